import { describe, expect, it } from "vitest";

import { b64urlDecode, b64urlEncode, normaliseBase32, randomBase32, toHex } from "./encoding";

describe("base64url without padding", () => {
  it("round-trips every length and agrees with Node's encoder", () => {
    for (let n = 0; n < 70; n++) {
      const data = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n) & 0xff);
      const text = b64urlEncode(data);
      expect(text).toBe(Buffer.from(data).toString("base64url"));
      expect(b64urlDecode(text)).toEqual(data);
    }
  });

  it.each([
    ["padding", "AAA="],
    ["standard alphabet", "ab+/"],
    ["an impossible length", "AAAAA"],
    ["whitespace", "AA AA"],
    ["non-zero trailing bits", "AB"],
  ])("refuses %s", (_, text) => {
    expect(() => b64urlDecode(text)).toThrow(RangeError);
  });

  it("writes hex", () => {
    expect(toHex(Uint8Array.of(0, 15, 255))).toBe("000fff");
  });
});

describe("base32 codes", () => {
  it("normalises case, spaces, tabs and dashes, and refuses the rest", () => {
    expect(normaliseBase32(" ab-cd\tef\n", 6)).toBe("ABCDEF");
    expect(normaliseBase32("ABCDE", 6)).toBeNull();
    expect(normaliseBase32("ABCDE1", 6)).toBeNull();
    expect(normaliseBase32("abcdeß", 6)).toBeNull();
  });

  it("draws from the whole alphabet only", () => {
    const drawn = randomBase32(4000);
    expect(drawn).toMatch(/^[A-Z2-7]{4000}$/);
    expect(new Set(drawn).size).toBe(32);
  });
});
