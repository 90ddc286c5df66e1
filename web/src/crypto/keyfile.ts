// A VCP's private key at rest (issue 12, "The key"): the same JSON key file as
// `safehands vcp keygen` (shared/crypto/keyfile.py), with the same Argon2id parameters
// (hash-wasm). The private key is wrapped twice with AES-256-GCM (WebCrypto): under an
// Argon2id key from the passphrase, and under one from a recovery code shown once at key
// generation, so a forgotten passphrase costs a re-wrap, not every report.
//
// It brings Argon2 (WebAssembly, about 11 KB gzipped), which the reporter's pages do not
// need: importing the other functions from ./index leaves it out of their bundle.

import { argon2id } from "hash-wasm";

import { b64urlDecode, b64urlEncode, normaliseBase32, ownBytes, randomBase32, randomBytes, utf8 } from "./encoding";
import { AEAD_TAG_LEN } from "./hpke";
import {
  DEFAULT_SUITE,
  PRIVATE_KEY_LEN,
  SUITES,
  fingerprintOfRaw,
  generateKeyPair,
  isSuite,
  parsePublicKey,
  privateKeyFromBytes,
  rawPrivateKey,
  type PrivateKey,
  type PublicKeyJson,
  type Suite,
} from "./keys";

export const KEYFILE_FORMAT = "safehands-vcp-key";
export const KEYFILE_VERSION = 1;
const SALT_LEN = 16;
const NONCE_LEN = 12;
const WRAP_KEY_LEN = 32;
export const RECOVERY_CODE_LEN = 32; // 160 bits
// Bounds as in the Python, so a crafted file cannot make the page allocate without limit.
const MAX_MEMORY_COST_KIB = 4 * 1024 * 1024;
const MAX_ITERATIONS = 64;
const MAX_LANES = 64;
const MAX_KEYFILE_BYTES = 64 * 1024;

/** Argon2id parameters; memory_cost in KiB as in RFC 9106 and the Python. */
export interface KdfParams {
  name: "argon2id";
  memory_cost: number;
  iterations: number;
  lanes: number;
}

/** RFC 9106's second recommended option (64 MiB, t = 3, p = 4), as `safehands vcp keygen`. */
export const DEFAULT_KDF_PARAMS: Readonly<KdfParams> = Object.freeze({
  name: "argon2id",
  memory_cost: 64 * 1024,
  iterations: 3,
  lanes: 4,
});

export interface WrappedKey {
  kdf: KdfParams;
  salt: string;
  nonce: string;
  ciphertext: string;
}

/** The JSON content of a key file. */
export interface KeyFile {
  format: "safehands-vcp-key";
  version: 1;
  suite: Suite;
  public_key: PublicKeyJson;
  fingerprint: string;
  passphrase: WrappedKey;
  recovery: WrappedKey;
}

type Slot = "passphrase" | "recovery";

/** The passphrase or the recovery code does not unlock the key file. Nothing is locked out. */
export class WrongPassphrase extends Error {
  override name = "WrongPassphrase";
}

/** The file is not a usable SafeHands key file; the message names what is wrong. */
export class DamagedKeyFile extends Error {
  override name = "DamagedKeyFile";
}

function damaged(what: string): DamagedKeyFile {
  return new DamagedKeyFile(`This key file cannot be used: ${what}.`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function checkFields(value: Record<string, unknown>, fields: readonly string[], where: string): void {
  for (const field of fields) {
    if (!(field in value)) throw damaged(`${where} has no "${field}" field`);
  }
  for (const field of Object.keys(value)) {
    if (!fields.includes(field)) throw damaged(`${where} has an unknown field "${field}"`);
  }
}

function isIntegerIn(value: unknown, low: number, high: number): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= low && value <= high;
}

function checkKdf(value: unknown, where: string): KdfParams {
  if (!isObject(value)) throw damaged(`the ${where} Argon2 parameters are not an object`);
  checkFields(value, ["name", "memory_cost", "iterations", "lanes"], `the ${where} Argon2 parameters`);
  const { name, memory_cost, iterations, lanes } = value;
  if (name !== "argon2id") throw damaged(`the ${where} key derivation is not argon2id`);
  if (!isIntegerIn(lanes, 1, MAX_LANES)) throw damaged(`the ${where} Argon2 lanes are not 1 to ${MAX_LANES}`);
  if (!isIntegerIn(iterations, 1, MAX_ITERATIONS)) {
    throw damaged(`the ${where} Argon2 iterations are not 1 to ${MAX_ITERATIONS}`);
  }
  if (!isIntegerIn(memory_cost, 8 * lanes, MAX_MEMORY_COST_KIB)) {
    throw damaged(`the ${where} Argon2 memory cost is out of range`);
  }
  return { name, memory_cost, iterations, lanes };
}

function checkBytes(value: unknown, what: string, length: number): string {
  let raw: Uint8Array;
  try {
    raw = b64urlDecode(value as string);
  } catch {
    throw damaged(`${what} is not base64url`);
  }
  if (raw.length !== length) throw damaged(`${what} is not ${length} bytes`);
  return value as string;
}

function checkWrapped(value: unknown, slot: Slot, suite: Suite): WrappedKey {
  const where = slot === "passphrase" ? "passphrase" : "recovery code";
  if (!isObject(value)) throw damaged(`its "${slot}" part is not an object`);
  checkFields(value, ["kdf", "salt", "nonce", "ciphertext"], `its "${slot}" part`);
  return {
    kdf: checkKdf(value.kdf, where),
    salt: checkBytes(value.salt, `the ${where} salt`, SALT_LEN),
    nonce: checkBytes(value.nonce, `the ${where} nonce`, NONCE_LEN),
    ciphertext: checkBytes(
      value.ciphertext,
      `the key wrapped under the ${where}`,
      PRIVATE_KEY_LEN[suite] + AEAD_TAG_LEN,
    ),
  };
}

function parseText(text: string): unknown {
  if (text.length > MAX_KEYFILE_BYTES) throw damaged("it is far too large to be a key file");
  try {
    return JSON.parse(text);
  } catch {
    throw new DamagedKeyFile("This is not a SafeHands key file: it is not JSON.");
  }
}

/**
 * Check a key file (the parsed JSON, its text, or its bytes) as the Python does, and return
 * it. DamagedKeyFile with a sentence naming what is wrong: not JSON, not a SafeHands key
 * file, an unknown version, a missing or unknown field, a public key that does not match
 * its fingerprint...
 */
export async function readKeyFile(file: unknown): Promise<KeyFile> {
  let value = file;
  if (value instanceof Uint8Array || value instanceof ArrayBuffer) {
    try {
      value = new TextDecoder("utf-8", { fatal: true }).decode(value);
    } catch {
      throw new DamagedKeyFile("This is not a SafeHands key file: it is not text.");
    }
  }
  if (typeof value === "string") value = parseText(value);
  if (!isObject(value)) throw new DamagedKeyFile("This is not a SafeHands key file: it is not a JSON object.");
  if (value.format !== KEYFILE_FORMAT) {
    throw new DamagedKeyFile("This is not a SafeHands key file: it does not say it is one.");
  }
  if (!("version" in value)) throw damaged('it has no "version" field');
  if (value.version !== KEYFILE_VERSION) {
    throw new DamagedKeyFile(
      `This key file is version ${JSON.stringify(value.version)}, and this page knows only version ${KEYFILE_VERSION}.`,
    );
  }
  checkFields(value, ["format", "version", "suite", "public_key", "fingerprint", "passphrase", "recovery"], "it");
  const { suite } = value;
  if (!isSuite(suite)) throw damaged(`its suite is not one of ${SUITES.join(", ")}`);
  let publicKey;
  try {
    if (isObject(value.public_key)) checkFields(value.public_key, ["suite", "key"], "its public key");
    publicKey = parsePublicKey(value.public_key);
  } catch (error) {
    if (error instanceof DamagedKeyFile) throw error;
    throw damaged(`its public key is not valid (${(error as Error).message})`);
  }
  if (publicKey.suite !== suite) throw damaged("its suite does not match its public key's suite");
  if (value.fingerprint !== (await fingerprintOfRaw(publicKey.raw))) {
    throw damaged("its fingerprint does not match its public key");
  }
  return {
    format: KEYFILE_FORMAT,
    version: KEYFILE_VERSION,
    suite,
    public_key: { suite, key: (value.public_key as PublicKeyJson).key },
    fingerprint: value.fingerprint as string,
    passphrase: checkWrapped(value.passphrase, "passphrase", suite),
    recovery: checkWrapped(value.recovery, "recovery", suite),
  };
}

/** The file's text for download, formatted as `safehands vcp keygen` writes it. */
export function keyFileText(file: KeyFile): string {
  return JSON.stringify(file, null, 2) + "\n";
}

function passphraseBytes(passphrase: string): Uint8Array {
  // NFC, so the same passphrase typed where accents compose differently derives the same key.
  return utf8(passphrase.normalize("NFC"));
}

function requirePassphrase(passphrase: string): string {
  if (typeof passphrase !== "string" || passphrase === "") {
    throw new RangeError("The passphrase must not be empty.");
  }
  return passphrase;
}

function normaliseRecoveryCode(code: string): string {
  const compact = normaliseBase32(code, RECOVERY_CODE_LEN);
  if (compact === null) {
    throw new WrongPassphrase(
      `A recovery code has ${RECOVERY_CODE_LEN} letters and digits: A to Z and 2 to 7. Spaces and dashes do not matter.`,
    );
  }
  return compact;
}

/** A fresh recovery code, 32 base32 characters in groups of four, as the command line prints it. */
export function newRecoveryCode(): string {
  return randomBase32(RECOVERY_CODE_LEN).match(/.{4}/g)!.join("-");
}

async function deriveWrapKey(secret: Uint8Array, salt: Uint8Array, params: KdfParams, usage: KeyUsage): Promise<CryptoKey> {
  const raw = await argon2id({
    password: secret,
    salt,
    iterations: params.iterations,
    parallelism: params.lanes,
    memorySize: params.memory_cost,
    hashLength: WRAP_KEY_LEN,
    outputType: "binary",
  });
  return crypto.subtle.importKey("raw", ownBytes(raw), { name: "AES-GCM" }, false, [usage]);
}

// The associated data binds the header, so swapping in another public key, moving a
// wrapped key to the other slot or weakening the parameters makes unwrapping fail. It is
// Python's json.dumps(header, sort_keys=True, separators=(",", ":")): written out here in
// sorted order rather than relying on JSON.stringify's insertion order by accident.
function associatedData(publicKey: PublicKeyJson, slot: Slot, params: KdfParams): Uint8Array<ArrayBuffer> {
  const kdf = `{"iterations":${params.iterations},"lanes":${params.lanes},"memory_cost":${params.memory_cost},"name":"argon2id"}`;
  return utf8(
    `{"format":"${KEYFILE_FORMAT}","kdf":${kdf},"public_key":${JSON.stringify(publicKey.key)},` +
      `"slot":"${slot}","suite":"${publicKey.suite}","version":${KEYFILE_VERSION}}`,
  );
}

async function wrap(key: PrivateKey, secret: Uint8Array, slot: Slot, params: KdfParams): Promise<WrappedKey> {
  const salt = randomBytes(SALT_LEN);
  const nonce = randomBytes(NONCE_LEN);
  const ciphertext = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv: nonce, additionalData: associatedData(key.publicKey, slot, params) },
    await deriveWrapKey(secret, salt, params, "encrypt"),
    ownBytes(rawPrivateKey(key)),
  );
  return {
    kdf: { ...params },
    salt: b64urlEncode(salt),
    nonce: b64urlEncode(nonce),
    ciphertext: b64urlEncode(new Uint8Array(ciphertext)),
  };
}

async function unwrap(file: KeyFile, secret: Uint8Array, slot: Slot): Promise<PrivateKey> {
  const wrapped = slot === "passphrase" ? file.passphrase : file.recovery;
  let wrapKey: CryptoKey;
  try {
    wrapKey = await deriveWrapKey(secret, b64urlDecode(wrapped.salt), wrapped.kdf, "decrypt");
  } catch {
    throw damaged("its Argon2 parameters need more memory than this browser gives");
  }
  let raw: ArrayBuffer;
  try {
    raw = await crypto.subtle.decrypt(
      {
        name: "AES-GCM",
        iv: ownBytes(b64urlDecode(wrapped.nonce)),
        additionalData: associatedData(file.public_key, slot, wrapped.kdf),
      },
      wrapKey,
      ownBytes(b64urlDecode(wrapped.ciphertext)),
    );
  } catch {
    throw new WrongPassphrase(
      slot === "passphrase"
        ? "The passphrase is wrong, or the key file was altered."
        : "The recovery code is wrong, or the key file was altered.",
    );
  }
  const key = await privateKeyFromBytes(file.suite, new Uint8Array(raw));
  if (key.publicKey.key !== file.public_key.key) throw damaged("its private key does not match its public key");
  return key;
}

async function protect(key: PrivateKey, passphrase: string, recoveryCode: string, params: KdfParams): Promise<KeyFile> {
  return {
    format: KEYFILE_FORMAT,
    version: KEYFILE_VERSION,
    suite: key.suite,
    public_key: { ...key.publicKey },
    fingerprint: key.fingerprint,
    passphrase: await wrap(key, passphraseBytes(passphrase), "passphrase", params),
    recovery: await wrap(key, utf8(normaliseRecoveryCode(recoveryCode)), "recovery", params),
  };
}

/**
 * Make a key pair (the hybrid suite unless told otherwise) and its key file. The recovery
 * code is returned once, to be shown to the VCP; it is stored nowhere.
 */
export async function createKeyFile(
  passphrase: string,
  suite: Suite = DEFAULT_SUITE,
  params: KdfParams = DEFAULT_KDF_PARAMS,
): Promise<{ file: KeyFile; recoveryCode: string; publicKey: PublicKeyJson; privateKey: PrivateKey }> {
  requirePassphrase(passphrase);
  const { publicKey, privateKey } = await generateKeyPair(suite);
  const recoveryCode = newRecoveryCode();
  const file = await protect(privateKey, passphrase, recoveryCode, { ...params });
  return { file, recoveryCode, publicKey, privateKey };
}

/**
 * Unlock a key file (the parsed JSON, its text or its bytes) with the passphrase. The
 * returned PrivateKey carries its publicKey and fingerprint. WrongPassphrase or
 * DamagedKeyFile, each with a sentence.
 */
export async function unlockKeyFile(file: unknown, passphrase: string): Promise<PrivateKey> {
  const checked = await readKeyFile(file);
  if (typeof passphrase !== "string" || passphrase === "") throw new WrongPassphrase("Type the passphrase of the key file.");
  return unwrap(checked, passphraseBytes(passphrase), "passphrase");
}

/**
 * A new key file protected by `newPassphrase`, proven with the recovery code. The
 * recovery wrapping is kept, so the same code keeps working (as `safehands vcp rewrap`).
 */
export async function recoverKeyFile(
  file: unknown,
  recoveryCode: string,
  newPassphrase: string,
  params: KdfParams = DEFAULT_KDF_PARAMS,
): Promise<KeyFile> {
  requirePassphrase(newPassphrase);
  const checked = await readKeyFile(file);
  const key = await unwrap(checked, utf8(normaliseRecoveryCode(recoveryCode)), "recovery");
  return { ...checked, passphrase: await wrap(key, passphraseBytes(newPassphrase), "passphrase", { ...params }) };
}
