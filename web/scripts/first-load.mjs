// The reporter's first load, measured on the built app (`npm run build` first): the gzipped
// JavaScript the browser fetches for /o/<org>/report before the reporter types — the entry
// chunk, its static imports, and the report page's chunk and its catalogue with their static
// imports. Prints each chunk and the totals,
// with and without the crypto chunk (which another change loads on first input).
// Usage: node scripts/first-load.mjs [chunk name ...]   (default: Report report.nl, the page and
// its Dutch catalogue, web/src/i18n/report.nl.ts)
import { readFileSync, readdirSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join } from "node:path";

const dist = process.env.DIST ?? new URL("../dist/", import.meta.url).pathname;
const assets = join(dist, "assets");
const files = readdirSync(assets).filter((name) => name.endsWith(".js"));
// gzip -6 and KB of 1000 bytes, as bench/lighthouse.py and tests/browser/test_first_load.py count.
const gz = (name) => gzipSync(readFileSync(join(assets, name)), { level: 6 }).length;
const staticImports = (name) =>
  [...readFileSync(join(assets, name), "utf8").matchAll(/(?:from|import)\s*"\.\/([^"]+\.js)"/g)].map(
    (m) => m[1],
  );

function closure(roots) {
  const seen = new Set();
  const stack = [...roots];
  while (stack.length) {
    const name = stack.pop();
    if (seen.has(name)) continue;
    seen.add(name);
    stack.push(...staticImports(name));
  }
  return seen;
}

const html = readFileSync(join(dist, "index.html"), "utf8");
const entry = [...html.matchAll(/(?:src|href)="\/assets\/([^"]+\.js)"/g)].map((m) => m[1]);
const pages = process.argv.slice(2).length ? process.argv.slice(2) : ["Report", "report.nl"];
const pick = (prefix) => files.filter((name) => name.startsWith(`${prefix}-`));
const roots = [...entry];
for (const page of pages) roots.push(...pick(page));
const chunks = [...closure(roots)].sort();
const crypto = (name) => name.startsWith("reporting-");
let total = 0;
let withoutCrypto = 0;
for (const name of chunks) {
  const size = gz(name);
  total += size;
  if (!crypto(name)) withoutCrypto += size;
  console.log(`${(size / 1000).toFixed(2).padStart(8)} KB  ${name}${crypto(name) ? "  (crypto)" : ""}`);
}
console.log(`${(total / 1000).toFixed(2).padStart(8)} KB  in all`);
console.log(`${(withoutCrypto / 1000).toFixed(2).padStart(8)} KB  without the crypto chunk`);
