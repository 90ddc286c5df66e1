// The errors of the crypto module. Their messages are plain sentences a page may show;
// they never carry plaintext, key bytes, passphrases or receipts (fingerprints and suite
// names are public and may appear).

/** The envelope holds no sealed key for this key (or for this key's suite). */
export class NotARecipient extends Error {
  override name = "NotARecipient";
}

/** The envelope could not be opened: wrong context, or damaged or altered bytes. */
export class CannotOpen extends Error {
  override name = "CannotOpen";
}

/** A typed receipt is not a receipt; the message says what a receipt looks like. */
export class InvalidReceipt extends Error {
  override name = "InvalidReceipt";
}

/** A public key (from the server or a file) is not a valid key of its suite. */
export class InvalidPublicKey extends Error {
  override name = "InvalidPublicKey";
}

/** What the caller asked to seal cannot be sealed (no recipients, mixed suites, not JSON, too large). */
export class CannotSeal extends Error {
  override name = "CannotSeal";
}

/**
 * The private key was forgotten (the VCP's workspace locked, or they signed out) or was not
 * made by this module. A TypeError, as before it had a class: code that holds a key across
 * an await meets it when the workspace locked meanwhile, and then has nothing to show.
 */
export class KeyForgotten extends TypeError {
  override name = "KeyForgotten";
}
