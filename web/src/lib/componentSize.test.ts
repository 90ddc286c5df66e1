// No component over 300 lines (the project's standard, issue 26): a page is built from parts
// (pages/Vcp.svelte beside components/vcp/ and lib/vcp.ts), so that a newcomer finds where a
// change belongs. This fails when any .svelte file under src/ grows past the limit.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const LIMIT = 300;
const SOURCE = join(__dirname, "..");

function svelteFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return svelteFiles(path);
    return entry.name.endsWith(".svelte") ? [path] : [];
  });
}

/** Lines as `wc -l` counts them: the newlines. */
const linesOf = (text: string) => text.split("\n").length - (text.endsWith("\n") ? 1 : 0);

describe("component size", () => {
  it("finds the components", () => {
    expect(svelteFiles(SOURCE).length).toBeGreaterThan(50);
  });

  it(`keeps every .svelte file at ${LIMIT} lines or fewer`, () => {
    const over = svelteFiles(SOURCE)
      .map((path) => ({ file: relative(SOURCE, path), lines: linesOf(readFileSync(path, "utf8")) }))
      .filter(({ lines }) => lines > LIMIT);
    expect(over).toEqual([]);
  });
});
