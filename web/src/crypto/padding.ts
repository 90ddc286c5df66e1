// Length-hiding padding of a body (API.md, "padded body"): a 4-byte big-endian length,
// the body, then zero bytes up to the next power of two, at least 1024 bytes. As
// shared/crypto/padding.py.

export const MIN_PADDED_LEN = 1024;
const LENGTH_PREFIX = 4;
const MAX_BODY_LEN = 2 ** 32 - 1;

export function paddedSize(bodyLength: number): number {
  if (!Number.isInteger(bodyLength) || bodyLength < 0 || bodyLength > MAX_BODY_LEN) {
    throw new RangeError("The body length is out of range for a 4-byte length prefix.");
  }
  let size = MIN_PADDED_LEN;
  while (size < LENGTH_PREFIX + bodyLength) size *= 2;
  return size;
}

export function isValidPaddedSize(n: number): boolean {
  if (!Number.isSafeInteger(n) || n < MIN_PADDED_LEN) return false;
  let size = MIN_PADDED_LEN;
  while (size < n) size *= 2;
  return size === n;
}

export function pad(body: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(paddedSize(body.length));
  new DataView(out.buffer).setUint32(0, body.length, false);
  out.set(body, LENGTH_PREFIX);
  return out;
}

/**
 * Inverse of pad(). Like the Python, a larger bucket than pad() would pick is accepted;
 * the bytes were authenticated by AES-GCM before this runs.
 */
export function unpad(padded: Uint8Array): Uint8Array {
  if (!isValidPaddedSize(padded.length)) {
    throw new RangeError("The padded body is not a power of two of at least 1024 bytes.");
  }
  const length = new DataView(padded.buffer, padded.byteOffset, padded.byteLength).getUint32(0);
  const end = LENGTH_PREFIX + length;
  if (end > padded.length) {
    throw new RangeError("The padded body's length prefix exceeds its size.");
  }
  if (padded.subarray(end).some((b) => b !== 0)) {
    throw new RangeError("The padded body has non-zero padding bytes.");
  }
  return padded.subarray(LENGTH_PREFIX, end);
}
