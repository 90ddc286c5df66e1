import { describe, expect, it } from "vitest";
import { tomorrow } from "./consultation";

describe("tomorrow", () => {
  it("is the next calendar day, across a month's end", () => {
    expect(tomorrow(new Date(2026, 11, 31, 23, 30))).toBe("2027-01-01");
    expect(tomorrow(new Date(2026, 1, 5))).toBe("2026-02-06");
  });
});
