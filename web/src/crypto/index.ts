// The browser's end-to-end encryption (API.md, "Crypto formats"), byte-compatible with
// shared/crypto. Pages import from here only.

export { CannotOpen, CannotSeal, InvalidPublicKey, InvalidReceipt, KeyForgotten, NotARecipient } from "./errors";
export {
  DEFAULT_SUITE,
  SUITES,
  fingerprint,
  forgetPrivateKey,
  generateKeyPair,
  type PrivateKey,
  type PublicKeyJson,
  type Suite,
} from "./keys";
export {
  messageContext,
  open,
  reportContext,
  resealContentKey,
  seal,
  type Envelope,
  type Recipient,
} from "./envelope";
export {
  deriveFromReceipt,
  formatReceipt,
  newReceipt,
  normaliseReceipt,
  type ReceiptKeys,
} from "./receipt";
// Signatures on a VCP's messages: the VCP signs, the reporter's page verifies.
export { signMessage, signingPublicKey, verifyMessage } from "./signing";
// The VCP's key file. Tree-shaken away from pages that do not use it (the reporter's),
// so Argon2's WebAssembly only reaches the VCP's pages.
export {
  DEFAULT_KDF_PARAMS,
  DamagedKeyFile,
  WrongPassphrase,
  createKeyFile,
  keyFileText,
  newRecoveryCode,
  readKeyFile,
  recoverKeyFile,
  unlockKeyFile,
  type KdfParams,
  type KeyFile,
  type WrappedKey,
} from "./keyfile";
