import { describe, expect, it } from "vitest";
import { latestRead } from "./latestRead";

describe("latestRead", () => {
  it("lets only the read begun last count, whatever order the answers come in", () => {
    const begin = latestRead();
    const first = begin();
    expect(first()).toBe(true);
    const second = begin();
    expect(first()).toBe(false);
    expect(second()).toBe(true);
  });

  it("keeps separate counts for separate things", () => {
    const list = latestRead();
    const side = latestRead();
    const listRead = list();
    side();
    expect(listRead()).toBe(true);
  });
});
