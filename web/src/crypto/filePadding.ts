// A file's padding (Padmé, at least 1 KiB), apart from its encryption: the reporter's page
// shows the size a file will have without loading age before the report is sent.
export const MIN_PADDED_FILE_LEN = 1024;

/** The Padmé bucket of `length`: rounded up, keeping the top bits (at most 12 % more). */
export function padme(length: number): number {
  if (length < 2) return length;
  const exponent = Math.floor(Math.log2(length));
  const sizeBits = Math.floor(Math.log2(exponent)) + 1;
  const step = 2 ** (exponent - sizeBits);
  return Math.ceil(length / step) * step;
}

/** How many bytes a file of `size` bytes is padded to before encryption. */
export function paddedFileSize(size: number): number {
  return padme(Math.max(size, MIN_PADDED_FILE_LEN));
}
