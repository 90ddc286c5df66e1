import { describe, expect, it } from "vitest";
import { ESCAPE_WINDOW_MS, escapeTwice } from "./leave";

describe("escapeTwice", () => {
  it("leaves on the second Escape within the window, not on one or on other keys", () => {
    let now = 1000;
    let left = 0;
    const onKey = escapeTwice(() => (left += 1), () => now);
    onKey({ key: "Escape" });
    expect(left).toBe(0);
    now += 200;
    onKey({ key: "a" });
    onKey({ key: "Escape" });
    expect(left).toBe(1);
  });

  it("does not count two presses far apart", () => {
    let now = 0;
    let left = 0;
    const onKey = escapeTwice(() => (left += 1), () => now);
    onKey({ key: "Escape" });
    now += ESCAPE_WINDOW_MS + 1;
    onKey({ key: "Escape" });
    expect(left).toBe(0);
    now += 100;
    onKey({ key: "Escape" });
    expect(left).toBe(1);
  });
});
