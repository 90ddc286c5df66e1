import { describe, expect, it } from "vitest";

import { isValidPaddedSize, pad, paddedSize, unpad } from "./padding";

describe("padding", () => {
  it.each([
    [0, 1024],
    [1, 1024],
    [1020, 1024],
    [1021, 2048],
    [2044, 2048],
    [2045, 4096],
    [4092, 4096],
    [4093, 8192],
    [100_000, 131_072],
  ])("pads a %i-byte body to %i bytes: the next power of two, at least 1024", (n, size) => {
    expect(paddedSize(n)).toBe(size);
    expect(pad(new Uint8Array(n)).length).toBe(size);
  });

  it("writes a 4-byte big-endian length, the body, then zero bytes", () => {
    const body = new Uint8Array(0x0102).fill(0xab);
    const padded = pad(body);
    expect([...padded.subarray(0, 4)]).toEqual([0, 0, 1, 2]);
    expect(padded.subarray(4, 4 + body.length).every((b) => b === 0xab)).toBe(true);
    expect(padded.subarray(4 + body.length).every((b) => b === 0)).toBe(true);
    expect(unpad(padded)).toEqual(body);
  });

  it("accepts a larger bucket than needed, as the Python does", () => {
    const padded = new Uint8Array(4096);
    padded.set([0, 0, 0, 3, 120, 121, 122]);
    expect(new TextDecoder().decode(unpad(padded))).toBe("xyz");
  });

  it.each([
    ["not a power of two", new Uint8Array(1500)],
    ["smaller than 1024 bytes", new Uint8Array(512)],
    ["a length past the end", Uint8Array.from({ length: 1024 }, (_, i) => (i === 2 ? 8 : 0))],
    ["non-zero padding", Uint8Array.from({ length: 1024 }, (_, i) => (i === 1000 ? 1 : 0))],
  ])("refuses %s", (_, padded) => {
    expect(() => unpad(padded)).toThrow(RangeError);
  });

  it("knows the valid sizes", () => {
    expect([1024, 2048, 1 << 20].every(isValidPaddedSize)).toBe(true);
    expect([0, 512, 1023, 1025, 3072, 2 ** 40 + 1].some(isValidPaddedSize)).toBe(false);
  });
});
