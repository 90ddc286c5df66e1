// Signatures on a VCP's messages (API.md, "Signed VCP messages"), as shared/crypto/signing.py.
//
// The VCP's Ed25519 seed is HKDF-SHA256 over the raw private key of their key file (no salt,
// info "safehands/v1/vcp-signing-key"), so every key file and recovery code gives it. The
// signature covers exact text, not JSON: the prefix, the org, report and message ids, then
// the envelope's suite, nonce and ciphertext as on the wire, joined by "\n".

import { ed25519 } from "@noble/curves/ed25519.js";
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";

import { b64urlDecode, b64urlEncode, utf8 } from "./encoding";
import type { Envelope } from "./envelope";
import { rawPrivateKey, type PrivateKey } from "./keys";

export const SIGNING_KEY_INFO = "safehands/v1/vcp-signing-key";
export const SIGNATURE_PREFIX = "safehands/v1/message-signature";
const SIGNATURE_LEN = 64;
const SIGNING_KEY_LEN = 32;

function seedOf(key: PrivateKey): Uint8Array {
  return hkdf(sha256, rawPrivateKey(key), undefined, utf8(SIGNING_KEY_INFO), SIGNING_KEY_LEN);
}

/** The raw Ed25519 public key in base64url: `signing_key` on the wire. */
export function signingPublicKey(key: PrivateKey): string {
  return b64urlEncode(ed25519.getPublicKey(seedOf(key)));
}

function checkId(name: string, value: string): string {
  if (!value || value.includes("/")) throw new RangeError(`${name} must be non-empty and must not contain '/'.`);
  return value;
}

/** The bytes a message signature covers. */
export function signedText(orgId: string, reportId: string, messageId: string, envelope: Envelope): Uint8Array {
  return utf8(
    [
      SIGNATURE_PREFIX,
      checkId("org_id", orgId),
      checkId("report_id", reportId),
      checkId("message_id", messageId),
      envelope.suite,
      envelope.nonce,
      envelope.ciphertext,
    ].join("\n"),
  );
}

/** The message's `signature` (base64url of 64 bytes). */
export function signMessage(
  key: PrivateKey,
  orgId: string,
  reportId: string,
  messageId: string,
  envelope: Envelope,
): string {
  return b64urlEncode(ed25519.sign(signedText(orgId, reportId, messageId, envelope), seedOf(key)));
}

/** Whether `signature` was made by the holder of `signingKey` over this message; never throws. */
export function verifyMessage(
  signingKey: string,
  signature: string,
  orgId: string,
  reportId: string,
  messageId: string,
  envelope: Envelope,
): boolean {
  try {
    const publicKey = b64urlDecode(signingKey);
    const raw = b64urlDecode(signature);
    if (publicKey.length !== SIGNING_KEY_LEN || raw.length !== SIGNATURE_LEN) return false;
    return ed25519.verify(raw, signedText(orgId, reportId, messageId, envelope), publicKey);
  } catch {
    return false;
  }
}
