// What the report form shows before any file is chosen: which files, how many, how large.
// Apart from lib/attachments.ts (which re-exports them), so the report page's first load
// does not carry the preparing and uploading of files, which loads once a file is chosen
// (README, "The reporter's first load").

/** What the report page and the VCP's page open: images, PDF, plain text. */
export const ATTACHABLE_TYPES = ["image/jpeg", "image/png", "image/webp", "image/gif", "application/pdf", "text/plain"];
/** The platform's defaults (SAFEHANDS_ATTACHMENTS_MAX_*); the server has the last word. */
export const MAX_FILES = 5;
export const MAX_BYTES = 20 * 1024 * 1024;

/** A size for people: "820 kB", "4.2 MB" (of 1024, as file managers count). */
export function formatSize(bytes: number, language: string): string {
  const [value, unit] =
    bytes >= 1024 * 1024 ? [bytes / (1024 * 1024), "megabyte"] : [Math.max(bytes / 1024, 0.1), "kilobyte"];
  return new Intl.NumberFormat(language, { style: "unit", unit, maximumFractionDigits: 1 }).format(value);
}

export function isPhoto(mediaType: string): boolean {
  return mediaType.startsWith("image/");
}
