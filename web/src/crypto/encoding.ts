// Byte and text encodings of the public contract (API.md, "Crypto formats"): base64url
// without padding, hex, and the RFC 4648 base32 alphabet of receipts and recovery codes.

export const BASE32_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const B64URL_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const B64URL_VALUE = new Map([...B64URL_ALPHABET].map((c, i) => [c, i]));

export function b64urlEncode(data: Uint8Array): string {
  let out = "";
  let i = 0;
  for (; i + 3 <= data.length; i += 3) {
    const n = (data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!;
    out +=
      B64URL_ALPHABET[(n >> 18) & 63]! +
      B64URL_ALPHABET[(n >> 12) & 63]! +
      B64URL_ALPHABET[(n >> 6) & 63]! +
      B64URL_ALPHABET[n & 63]!;
  }
  const rest = data.length - i;
  if (rest === 1) {
    const n = data[i]! << 16;
    out += B64URL_ALPHABET[(n >> 18) & 63]! + B64URL_ALPHABET[(n >> 12) & 63]!;
  } else if (rest === 2) {
    const n = (data[i]! << 16) | (data[i + 1]! << 8);
    out +=
      B64URL_ALPHABET[(n >> 18) & 63]! +
      B64URL_ALPHABET[(n >> 12) & 63]! +
      B64URL_ALPHABET[(n >> 6) & 63]!;
  }
  return out;
}

/**
 * Decode base64url without padding. Like the Python reference, only the canonical form
 * is accepted (no padding, no '+' or '/', unused trailing bits zero), so one value has
 * exactly one text form. Throws RangeError with a sentence otherwise.
 */
export function b64urlDecode(text: string): Uint8Array {
  if (typeof text !== "string") throw new RangeError("Expected a base64url string.");
  const remainder = text.length % 4;
  if (remainder === 1) {
    throw new RangeError("Not base64url: the length is impossible for any byte string.");
  }
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let bits = 0;
  let buffer = 0;
  let o = 0;
  for (const c of text) {
    const v = B64URL_VALUE.get(c);
    if (v === undefined) {
      throw new RangeError(
        "Not base64url without padding: only A-Z, a-z, 0-9, '-' and '_' are allowed.",
      );
    }
    buffer = (buffer << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (buffer >> bits) & 0xff;
    }
  }
  if (buffer & ((1 << bits) - 1)) {
    throw new RangeError("Not canonical base64url: the unused trailing bits are not zero.");
  }
  return out;
}

export function toHex(data: Uint8Array): string {
  let out = "";
  for (const byte of data) out += byte.toString(16).padStart(2, "0");
  return out;
}

export function utf8(text: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(text);
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** A copy in a fresh ArrayBuffer, the form WebCrypto and hpke-js take without surprises. */
export function ownBytes(data: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(data);
}

export function randomBytes(n: number): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(n));
}

export async function sha256(data: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", data));
}

// What Python's str.split() takes for whitespace within ASCII (tab to carriage return,
// 0x1c to 0x1f and space), so that a code typed with tabs or line breaks normalises the
// same in the browser as on the command line.
function isAsciiWhitespace(code: number): boolean {
  return (code >= 0x09 && code <= 0x0d) || (code >= 0x1c && code <= 0x20);
}

/**
 * Upper-case, drop whitespace and dashes, and check for `length` base32 characters, as
 * shared/crypto/encoding.py's normalize_base32. Returns null when the text is not such a
 * code, so each caller raises its own error with its own sentence.
 */
export function normaliseBase32(text: string, length: number): string | null {
  // Refuse non-ASCII before upper-casing: "ß".toUpperCase() is "SS".
  if (typeof text !== "string" || !/^\p{ASCII}*$/u.test(text)) return null;
  const compact = [...text]
    .filter((c) => c !== "-" && !isAsciiWhitespace(c.charCodeAt(0)))
    .join("")
    .toUpperCase();
  if (compact.length !== length) return null;
  for (const c of compact) if (!BASE32_ALPHABET.includes(c)) return null;
  return compact;
}

/** `length` characters drawn uniformly from the base32 alphabet with crypto.getRandomValues. */
export function randomBase32(length: number): string {
  // 32 divides 256, so a byte modulo 32 is uniform: no rejection sampling is needed.
  return Array.from(randomBytes(length), (b) => BASE32_ALPHABET[b % 32]!).join("");
}
