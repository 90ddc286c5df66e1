import { describe, expect, it } from "vitest";
import { lineDiff, pageOf } from "./lineDiff";

describe("lineDiff", () => {
  it("marks added, removed and kept lines in order", () => {
    expect(lineDiff("a\nb\nc", "a\nc\nd")).toEqual([
      { kind: "same", text: "a" },
      { kind: "removed", text: "b" },
      { kind: "same", text: "c" },
      { kind: "added", text: "d" },
    ]);
  });
  it("treats an empty text as no lines", () => {
    expect(lineDiff("", "x")).toEqual([{ kind: "added", text: "x" }]);
  });
});

describe("pageOf", () => {
  it("returns one page", () => {
    expect(pageOf([1, 2, 3, 4, 5], 1, 2)).toEqual([3, 4]);
  });
});
