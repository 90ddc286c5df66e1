import { describe, expect, it } from "vitest";

describe("scaffold", () => {
  it("runs Vitest", () => {
    expect(new TextEncoder().encode("ok").length).toBe(2);
  });
});
