// Every key a page's components use is in a catalogue that page loads (lib/pageTexts.ts), so
// a page never shows a bare key. A static scan: from each page App.svelte loads, follow the
// imports through components and lib/ modules, and collect the string literals that name a
// key; a template such as `stage_${s}` counts for every key it can make, and a counted
// message's base ("coord_count", lib/plural.ts) for its _one and _other forms.
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ALL_CATALOGUES } from "./catalogues";
import { PAGE_TEXTS } from "./pageTexts";

const SOURCE = join(__dirname, "..");
const KEYS = new Set(Object.values(ALL_CATALOGUES).flatMap(({ nl }) => Object.keys(nl)));
const catalogueOf = new Map(
  Object.entries(ALL_CATALOGUES).flatMap(([name, { nl }]) => Object.keys(nl).map((key) => [key, name])),
);

function resolveImport(from: string, spec: string): string | null {
  const base = resolve(dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, join(base, "index.ts")]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

function importsOf(file: string): string[] {
  const code = readFileSync(file, "utf8");
  const specs = [
    ...[...code.matchAll(/(?:from|import)\s+"(\.{1,2}\/[^"]+)"/g)].map((m) => m[1]!),
    ...[...code.matchAll(/import\(\s*"(\.{1,2}\/[^"]+)"\s*\)/g)].map((m) => m[1]!),
  ];
  return specs.map((spec) => resolveImport(file, spec)).filter((path): path is string => !!path);
}

/** The components and modules a page renders with: its own file and all it imports. */
function filesOf(page: string): Set<string> {
  const seen = new Set<string>();
  const stack = [page];
  while (stack.length) {
    const file = stack.pop()!;
    if (seen.has(file) || !/\.(svelte|ts)$/.test(file)) continue;
    // The catalogues and the loader name every key; they are what is checked against.
    if (file.startsWith(join(SOURCE, "i18n") + "/") || file.endsWith(join("lib", "i18n.ts"))) continue;
    seen.add(file);
    stack.push(...importsOf(file));
  }
  return seen;
}

export function keysUsedIn(code: string): Set<string> {
  const used = new Set<string>();
  for (const m of code.matchAll(/"([a-z0-9_]+)"|'([a-z0-9_]+)'|`([a-z0-9_]+)`/g)) {
    const word = m[1] ?? m[2] ?? m[3]!;
    if (KEYS.has(word)) used.add(word);
    if (KEYS.has(`${word}_one`)) for (const form of ["one", "other"]) used.add(`${word}_${form}`);
  }
  // A key's template ends its fixed part with `_` (`stage_${s}`); `h${level}` is no key.
  for (const m of code.matchAll(/`([a-z0-9_]+_)\$\{/g)) {
    for (const key of KEYS) if (key.startsWith(m[1]!)) used.add(key);
  }
  return used;
}

// The pages as App.svelte loads them: `report: () => import("./pages/Report.svelte")`.
const app = join(SOURCE, "App.svelte");
const PAGES = Object.fromEntries(
  [...readFileSync(app, "utf8").matchAll(/"?([a-z-]+)"?: \(\) => import\("(\.\/pages\/\w+\.svelte)"\)/g)].map(
    (m) => [m[1]!, join(SOURCE, m[2]!)],
  ),
) as Record<string, string>;

describe("the texts each page loads", () => {
  it("names every page of the router", () => {
    expect(Object.keys(PAGES).sort()).toEqual(Object.keys(PAGE_TEXTS).sort());
  });

  it("finds keys the ways components name them", () => {
    expect(keysUsedIn('$t("report_title")')).toEqual(new Set(["report_title"]));
    expect(keysUsedIn("$t(`stage_${s}` as MessageKey)")).toContain("stage_admitted");
    expect(keysUsedIn('plural($language, "coord_count", n)')).toEqual(
      new Set(["coord_count_one", "coord_count_other"]),
    );
  });

  it.each(Object.entries(PAGE_TEXTS))("%s: every key its components use is loaded", (name, areas) => {
    const loaded = new Set(["common", ...areas]);
    const missing: string[] = [];
    for (const file of filesOf(PAGES[name]!)) {
      for (const key of keysUsedIn(readFileSync(file, "utf8"))) {
        const catalogue = catalogueOf.get(key)!;
        if (!loaded.has(catalogue)) missing.push(`${relative(SOURCE, file)}: ${key} (in ${catalogue})`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("the entry's own components use only the common catalogue", () => {
    const pages = new Set(Object.values(PAGES));
    const entry = [join(SOURCE, "main.ts")];
    const seen = new Set<string>();
    while (entry.length) {
      const file = entry.pop()!;
      if (seen.has(file) || pages.has(file)) continue;
      if (file.startsWith(join(SOURCE, "i18n") + "/") || file.endsWith(join("lib", "i18n.ts"))) continue;
      seen.add(file);
      entry.push(...importsOf(file));
    }
    const outside = [...seen].flatMap((file) =>
      [...keysUsedIn(readFileSync(file, "utf8"))]
        .filter((key) => catalogueOf.get(key) !== "common")
        .map((key) => `${relative(SOURCE, file)}: ${key}`),
    );
    expect(seen.size).toBeGreaterThan(3);
    expect(outside).toEqual([]);
  });
});
