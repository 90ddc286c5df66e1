// Keys of the two suites (API.md, "PublicKey"), as shared/crypto/keys.py.
//
// A private key is held as the project's raw form: X25519 (32 bytes), or for the hybrid
// the 64-byte ML-KEM-768 seed d || z followed by the 32-byte X25519 private key. The raw
// bytes live in a module-private WeakMap, so a PrivateKey object shows no key material
// when logged, serialised with JSON.stringify or copied with structuredClone.

import { x25519 } from "@noble/curves/ed25519.js";
import { ml_kem768 } from "@noble/post-quantum/ml-kem.js";

import { b64urlDecode, b64urlEncode, concatBytes, ownBytes, randomBytes, sha256, toHex } from "./encoding";
import { InvalidPublicKey, KeyForgotten } from "./errors";

export type Suite = "MLKEM768-X25519" | "X25519";
export const SUITE_HYBRID = "MLKEM768-X25519" satisfies Suite;
export const SUITE_X25519 = "X25519" satisfies Suite;
/** The hybrid, so that a report recorded today stays confidential against a future quantum computer. */
export const DEFAULT_SUITE: Suite = SUITE_HYBRID;
export const SUITES: readonly Suite[] = [SUITE_HYBRID, SUITE_X25519];

/** `{"suite", "key"}` on the wire, `key` the raw public key in base64url without padding. */
export interface PublicKeyJson {
  suite: Suite;
  key: string;
}

/** A key pair of one suite. Opaque: the private bytes cannot be read from the object. */
export interface PrivateKey {
  readonly suite: Suite;
  readonly publicKey: PublicKeyJson;
  /** The fingerprint of publicKey: the `key_id` of this key in an envelope. */
  readonly fingerprint: string;
}

export const X25519_KEY_LEN = 32;
export const MLKEM768_PUBLIC_KEY_LEN = 1184;
export const MLKEM768_SEED_LEN = 64;
export const PUBLIC_KEY_LEN: Readonly<Record<Suite, number>> = {
  "MLKEM768-X25519": MLKEM768_PUBLIC_KEY_LEN + X25519_KEY_LEN,
  X25519: X25519_KEY_LEN,
};
export const PRIVATE_KEY_LEN: Readonly<Record<Suite, number>> = {
  "MLKEM768-X25519": MLKEM768_SEED_LEN + X25519_KEY_LEN,
  X25519: X25519_KEY_LEN,
};

export function isSuite(value: unknown): value is Suite {
  return value === SUITE_HYBRID || value === SUITE_X25519;
}

// Any scalar works as a probe: X25519 with a small-order point gives the all-zero output,
// which noble refuses.
const SMALL_ORDER_PROBE = Uint8Array.from({ length: 32 }, (_, i) => i);

function checkX25519Public(raw: Uint8Array): void {
  try {
    x25519.getSharedSecret(SMALL_ORDER_PROBE, raw);
  } catch {
    // A small-order key makes every HPKE encryption to it fail, and so every report to
    // the organisation, so it is refused where keys are read.
    throw new InvalidPublicKey("The X25519 public key is a small-order point.");
  }
}

// FIPS 203's encapsulation-key check: every 12-bit coefficient of t̂ is below q = 3329.
// The last 32 bytes of the ML-KEM public key are the seed ρ and are not checked.
function checkMlKemModulus(raw: Uint8Array): void {
  const encoded = raw.subarray(0, MLKEM768_PUBLIC_KEY_LEN - 32);
  for (let i = 0; i < encoded.length; i += 3) {
    const a = encoded[i]!;
    const b = encoded[i + 1]!;
    const c = encoded[i + 2]!;
    if ((a | ((b & 0x0f) << 8)) >= 3329 || ((b >> 4) | (c << 4)) >= 3329) {
      throw new InvalidPublicKey("The ML-KEM-768 part of the public key is not a valid key.");
    }
  }
}

/** A checked public key: its suite and raw bytes. */
export interface ParsedPublicKey {
  suite: Suite;
  raw: Uint8Array<ArrayBuffer>;
}

/** Check a PublicKey as the Python model does (shape, base64url, length, validity); InvalidPublicKey otherwise. */
export function parsePublicKey(key: unknown): ParsedPublicKey {
  if (typeof key !== "object" || key === null) {
    throw new InvalidPublicKey("A public key is an object with a suite and a key.");
  }
  const { suite, key: text } = key as Record<string, unknown>;
  if (!isSuite(suite)) {
    throw new InvalidPublicKey(`The public key's suite is not one of ${SUITES.join(", ")}.`);
  }
  if (typeof text !== "string") {
    throw new InvalidPublicKey("The public key's key is not a base64url string.");
  }
  let raw: Uint8Array<ArrayBuffer>;
  try {
    raw = ownBytes(b64urlDecode(text));
  } catch (error) {
    throw new InvalidPublicKey(`The public key is not valid: ${(error as Error).message}`);
  }
  if (raw.length !== PUBLIC_KEY_LEN[suite]) {
    throw new InvalidPublicKey(
      `A ${suite} public key is ${PUBLIC_KEY_LEN[suite]} bytes, not ${raw.length}.`,
    );
  }
  if (suite === SUITE_HYBRID) checkMlKemModulus(raw);
  checkX25519Public(raw.subarray(raw.length - X25519_KEY_LEN));
  return { suite, raw };
}

export async function fingerprintOfRaw(raw: Uint8Array<ArrayBuffer>): Promise<string> {
  return toHex(await sha256(raw)).slice(0, 32);
}

/** The first 32 hex characters of SHA-256 over the raw public key. Throws InvalidPublicKey for a bad key. */
export async function fingerprint(key: PublicKeyJson): Promise<string> {
  return fingerprintOfRaw(parsePublicKey(key).raw);
}

const rawPrivateKeys = new WeakMap<PrivateKey, Uint8Array>();

/** The raw private bytes of a key made by this module; only ever store them encrypted. */
export function rawPrivateKey(key: PrivateKey): Uint8Array {
  const raw = rawPrivateKeys.get(key);
  if (raw === undefined) {
    throw new KeyForgotten("This private key was forgotten, or was not made by the crypto module.");
  }
  return raw;
}

/**
 * Overwrite a private key's bytes and forget them (sign-out, or the VCP's idle timeout):
 * afterwards the key opens nothing. A no-op for a key already forgotten.
 */
export function forgetPrivateKey(key: PrivateKey): void {
  rawPrivateKeys.get(key)?.fill(0);
  rawPrivateKeys.delete(key);
}

/** Load the raw form (X25519, or ML-KEM seed then X25519) of a private key of `suite`. */
export async function privateKeyFromBytes(suite: Suite, raw: Uint8Array): Promise<PrivateKey> {
  if (!isSuite(suite)) throw new TypeError(`Unknown suite ${String(suite)}.`);
  if (raw.length !== PRIVATE_KEY_LEN[suite]) {
    throw new RangeError(`A ${suite} private key is ${PRIVATE_KEY_LEN[suite]} bytes, not ${raw.length}.`);
  }
  const own = ownBytes(raw);
  const xPrivate = own.subarray(own.length - X25519_KEY_LEN);
  const xPublic = x25519.getPublicKey(xPrivate);
  const publicRaw =
    suite === SUITE_X25519
      ? ownBytes(xPublic)
      : concatBytes(ml_kem768.keygen(own.subarray(0, MLKEM768_SEED_LEN)).publicKey, xPublic);
  const key: PrivateKey = Object.freeze({
    suite,
    publicKey: Object.freeze({ suite, key: b64urlEncode(publicRaw) }),
    fingerprint: await fingerprintOfRaw(publicRaw),
  });
  rawPrivateKeys.set(key, own);
  return key;
}

/** A fresh key pair, the hybrid suite unless told otherwise. */
export async function generateKeyPair(
  suite: Suite = DEFAULT_SUITE,
): Promise<{ publicKey: PublicKeyJson; privateKey: PrivateKey }> {
  const privateKey = await privateKeyFromBytes(suite, randomBytes(PRIVATE_KEY_LEN[suite]));
  return { publicKey: privateKey.publicKey, privateKey };
}
