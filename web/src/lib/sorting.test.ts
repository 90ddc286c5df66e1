import { describe, expect, it } from "vitest";
import { ariaSort, nextSort, sortRows } from "./sorting";

const rows = [
  { name: "bram", applied: "2026-03-02" },
  { name: "Anna", applied: null },
  { name: "cees", applied: "2026-01-10" },
  { name: "Club 10", applied: "2026-02-01" },
  { name: "Club 2", applied: "2026-02-01" },
];
const value = (row: (typeof rows)[number], key: "name" | "applied") => row[key];

describe("sorting a table", () => {
  it("sorts by the chosen column as people read it, and turns around on a second press", () => {
    const byName = nextSort(null, "name");
    expect(byName).toEqual({ key: "name", direction: "ascending" });
    expect(sortRows(rows, byName, value, "nl").map((r) => r.name)).toEqual([
      "Anna",
      "bram",
      "cees",
      "Club 2",
      "Club 10",
    ]);
    const back = nextSort(byName, "name");
    expect(back.direction).toBe("descending");
    expect(sortRows(rows, back, value, "nl")[0]!.name).toBe("Club 10");
    expect(nextSort(back, "applied")).toEqual({ key: "applied", direction: "ascending" });
  });

  it("puts empty values last either way and keeps equal ones in their order", () => {
    const applied = sortRows(rows, { key: "applied", direction: "ascending" }, value, "en");
    expect(applied.map((r) => r.name)).toEqual(["cees", "Club 10", "Club 2", "bram", "Anna"]);
    const late = sortRows(rows, { key: "applied", direction: "descending" }, value, "en");
    expect(late.map((r) => r.name)).toEqual(["bram", "Club 10", "Club 2", "cees", "Anna"]);
    expect(sortRows(rows, null, value, "en")).toEqual(rows);
  });

  it("says which column sorts and which way", () => {
    const state = { key: "name" as const, direction: "descending" as const };
    expect(ariaSort(state, "name")).toBe("descending");
    expect(ariaSort<"name" | "applied">(state, "applied")).toBe("none");
    expect(ariaSort(null, "name")).toBe("none");
  });
});
