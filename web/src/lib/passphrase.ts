// The strength of a VCP's new passphrase, which guards every report key: zxcvbn's estimate of
// the guesses an attacker needs, with English and Dutch word lists. The lists are large, so
// they load (loadPassphraseCheck) only where a passphrase is chosen, on /vcp.
export const MIN_PASSPHRASE_LENGTH = 12;

export type Strength = "weak" | "fair" | "strong";
export type StrengthCheck = (passphrase: string) => Strength;

/** zxcvbn's score (0–4: 10^3, 10^6, 10^8, 10^10 guesses and beyond) as the page words it; under
 * the minimum length a passphrase is weak whatever its score, as the form refuses it. */
export function strengthOf(passphrase: string, score: number): Strength {
  if ([...passphrase].length < MIN_PASSPHRASE_LENGTH || score <= 2) return "weak";
  return score === 3 ? "fair" : "strong";
}

let loading: Promise<StrengthCheck> | null = null;

/** The check, loaded once; a failed load (a dropped connection) is tried again next time. */
export function loadPassphraseCheck(): Promise<StrengthCheck> {
  loading ??= import("./passphraseCheck").then(
    ({ zxcvbn }) =>
      (passphrase: string) =>
        strengthOf(passphrase, zxcvbn.check(passphrase).score),
    (error: unknown) => {
      loading = null;
      throw error;
    },
  );
  return loading;
}
