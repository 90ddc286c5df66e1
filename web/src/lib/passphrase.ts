// A passphrase hint for the VCP's key file: length counts most (a few words beat symbols).
export const MIN_PASSPHRASE_LENGTH = 12;

export type Strength = "weak" | "fair" | "strong";

export function passphraseStrength(passphrase: string): Strength {
  const length = [...passphrase].length;
  if (length < MIN_PASSPHRASE_LENGTH) return "weak";
  const words = passphrase.trim().split(/\s+/).filter(Boolean).length;
  const kinds = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9\s]/].filter((k) => k.test(passphrase)).length;
  if (length >= 20 || (words >= 4 && length >= 16) || (length >= 16 && kinds >= 3)) return "strong";
  return "fair";
}
