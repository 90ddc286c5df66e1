// The encrypted envelope of a report or message (API.md, "Envelope"), as
// shared/crypto/envelope.py: the padded JSON body is encrypted once with AES-256-GCM
// under a fresh content key (WebCrypto), and the content key is sealed to every
// recipient with HPKE. The context is both the AES-GCM associated data and the HPKE
// info, binding the ciphertext to one organisation and one report or message.

import { b64urlDecode, b64urlEncode, ownBytes, randomBytes, utf8 } from "./encoding";
import { CannotOpen, CannotSeal, NotARecipient } from "./errors";
import { AEAD_TAG_LEN, CONTENT_KEY_LEN, openContentKey, sealContentKey, sealedKeyLength } from "./hpke";
import {
  fingerprintOfRaw,
  isSuite,
  parsePublicKey,
  rawPrivateKey,
  type ParsedPublicKey,
  type PrivateKey,
  type PublicKeyJson,
  type Suite,
} from "./keys";
import { isValidPaddedSize, pad, paddedSize, unpad } from "./padding";

export interface Recipient {
  key_id: string;
  sealed_key: string;
}

export interface Envelope {
  v: 1;
  suite: Suite;
  nonce: string;
  ciphertext: string;
  recipients: Recipient[];
}

export const NONCE_LEN = 12;
/** 1 MiB of padded plaintext, as the services accept. */
export const MAX_PADDED_LEN = 1 << 20;
export const MAX_RECIPIENTS = 32;

function contextPart(name: string, value: string): string {
  // A '/' inside an id would let two different (org, report) pairs share a context.
  if (typeof value !== "string" || value === "" || value.includes("/")) {
    throw new RangeError(`The ${name} must be non-empty and must not contain '/'.`);
  }
  return value;
}

/** `safehands/v1/report/{org_id}/{report_id}` */
export function reportContext(orgId: string, reportId: string): string {
  return `safehands/v1/report/${contextPart("org_id", orgId)}/${contextPart("report_id", reportId)}`;
}

/** `safehands/v1/message/{org_id}/{report_id}/{message_id}` */
export function messageContext(orgId: string, reportId: string, messageId: string): string {
  return (
    `safehands/v1/message/${contextPart("org_id", orgId)}/${contextPart("report_id", reportId)}` +
    `/${contextPart("message_id", messageId)}`
  );
}

// Lone surrogates and non-finite numbers cannot be encoded faithfully; the Python seal
// refuses them too, rather than letting them turn into something else.
const LONE_SURROGATE = /\p{Surrogate}/u;

function encodeBody(body: unknown): Uint8Array<ArrayBuffer> {
  // Openers accept only a JSON object.
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new CannotSeal("The body must be a JSON object.");
  }
  let text: string;
  try {
    text = JSON.stringify(body, (key: string, value: unknown) => {
      if (LONE_SURROGATE.test(key) || (typeof value === "string" && LONE_SURROGATE.test(value))) {
        throw new CannotSeal("The body contains text that is not valid Unicode.");
      }
      if (typeof value === "number" && !Number.isFinite(value)) {
        throw new CannotSeal("The body contains a number that JSON cannot hold.");
      }
      return value;
    });
  } catch (error) {
    if (error instanceof CannotSeal) throw error;
    throw new CannotSeal("The body cannot be written as JSON.");
  }
  return utf8(text);
}

async function aesKey(contentKey: Uint8Array<ArrayBuffer>, usage: KeyUsage): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", contentKey, { name: "AES-GCM" }, false, [usage]);
}

async function recipientEntry(
  contentKey: Uint8Array<ArrayBuffer>,
  recipient: ParsedPublicKey,
  context: string,
): Promise<Recipient> {
  const sealed = await sealContentKey(recipient.suite, recipient.raw, contentKey, context);
  return { key_id: await fingerprintOfRaw(recipient.raw), sealed_key: b64urlEncode(sealed) };
}

/** Encrypt a JSON object (padded) under context to every recipient key; all keys share one suite. */
export async function seal(body: unknown, context: string, recipients: PublicKeyJson[]): Promise<Envelope> {
  if (!Array.isArray(recipients) || recipients.length === 0) {
    throw new CannotSeal("An envelope needs at least one recipient.");
  }
  if (recipients.length > MAX_RECIPIENTS) {
    throw new CannotSeal(`An envelope has at most ${MAX_RECIPIENTS} recipients.`);
  }
  const parsed = recipients.map(parsePublicKey);
  const suite = parsed[0]!.suite;
  // The envelope names one suite, so a mix cannot be expressed on the wire.
  if (parsed.some((r) => r.suite !== suite)) {
    throw new CannotSeal("All recipients of an envelope must use the same suite.");
  }
  const keyIds = await Promise.all(parsed.map((r) => fingerprintOfRaw(r.raw)));
  if (new Set(keyIds).size !== keyIds.length) throw new CannotSeal("The recipients must be distinct keys.");

  const encoded = encodeBody(body);
  if (paddedSize(encoded.length) > MAX_PADDED_LEN) {
    throw new CannotSeal(`The body is too large (the padded limit is ${MAX_PADDED_LEN} bytes).`);
  }
  const contentKey = randomBytes(CONTENT_KEY_LEN);
  // A random 96-bit nonce is safe: each content key encrypts exactly once.
  const nonce = randomBytes(NONCE_LEN);
  const ciphertext = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv: nonce, additionalData: utf8(context), tagLength: AEAD_TAG_LEN * 8 },
    await aesKey(contentKey, "encrypt"),
    pad(encoded),
  );
  const entries: Recipient[] = [];
  for (const [i, recipient] of parsed.entries()) {
    const sealed = await sealContentKey(recipient.suite, recipient.raw, contentKey, context);
    entries.push({ key_id: keyIds[i]!, sealed_key: b64urlEncode(sealed) });
  }
  return {
    v: 1,
    suite,
    nonce: b64urlEncode(nonce),
    ciphertext: b64urlEncode(new Uint8Array(ciphertext)),
    recipients: entries,
  };
}

interface CheckedEnvelope {
  suite: Suite;
  nonce: Uint8Array<ArrayBuffer>;
  ciphertext: Uint8Array<ArrayBuffer>;
  recipients: Recipient[];
}

function damaged(what: string): CannotOpen {
  return new CannotOpen(`The envelope is damaged: ${what}.`);
}

function decodeField(value: unknown, what: string): Uint8Array<ArrayBuffer> {
  if (typeof value !== "string") throw damaged(`its ${what} is not text`);
  try {
    return ownBytes(b64urlDecode(value));
  } catch {
    throw damaged(`its ${what} is not base64url`);
  }
}

function checkEnvelope(envelope: unknown): CheckedEnvelope {
  if (typeof envelope !== "object" || envelope === null) throw damaged("it is not an object");
  const { v, suite, nonce, ciphertext, recipients } = envelope as Record<string, unknown>;
  if (v !== 1) throw new CannotOpen("The envelope is not version 1, so this page cannot open it.");
  if (!isSuite(suite)) throw damaged("its suite is unknown");
  const rawNonce = decodeField(nonce, "nonce");
  if (rawNonce.length !== NONCE_LEN) throw damaged(`its nonce is not ${NONCE_LEN} bytes`);
  const rawCiphertext = decodeField(ciphertext, "ciphertext");
  const paddedLength = rawCiphertext.length - AEAD_TAG_LEN;
  if (!isValidPaddedSize(paddedLength) || paddedLength > MAX_PADDED_LEN) {
    throw damaged("its ciphertext is not a padded body plus a tag");
  }
  if (!Array.isArray(recipients) || recipients.length === 0) throw damaged("it has no recipients");
  const keyIds = new Set<string>();
  for (const r of recipients as unknown[]) {
    if (typeof r !== "object" || r === null) throw damaged("a recipient is not an object");
    const { key_id, sealed_key } = r as Record<string, unknown>;
    if (typeof key_id !== "string" || !/^[0-9a-f]{32}$/.test(key_id)) throw damaged("a key_id is not a fingerprint");
    if (typeof sealed_key !== "string") throw damaged("a sealed_key is not text");
    if (keyIds.has(key_id)) throw damaged("two recipients have the same key_id");
    keyIds.add(key_id);
  }
  return { suite, nonce: rawNonce, ciphertext: rawCiphertext, recipients: recipients as Recipient[] };
}

async function unsealContentKey(
  checked: CheckedEnvelope,
  context: string,
  key: PrivateKey,
): Promise<Uint8Array<ArrayBuffer>> {
  if (checked.suite !== key.suite) {
    throw new NotARecipient(`The envelope uses the ${checked.suite} suite, and this key is ${key.suite}.`);
  }
  const entry = checked.recipients.find((r) => r.key_id === key.fingerprint);
  if (entry === undefined) {
    throw new NotARecipient(`The key ${key.fingerprint} is not among the envelope's recipients.`);
  }
  const sealed = decodeField(entry.sealed_key, "sealed_key");
  if (sealed.length !== sealedKeyLength(checked.suite)) throw damaged("the sealed_key has the wrong length");
  const privateRaw = rawPrivateKey(key);
  let contentKey: Uint8Array<ArrayBuffer>;
  try {
    contentKey = await openContentKey(checked.suite, privateRaw, sealed, context);
  } catch {
    throw new CannotOpen("The content key could not be unsealed: wrong context, or the envelope was altered.");
  }
  if (contentKey.length !== CONTENT_KEY_LEN) throw damaged("the sealed content key has the wrong length");
  return contentKey;
}

async function decryptBody(checked: CheckedEnvelope, contentKey: Uint8Array<ArrayBuffer>, context: string): Promise<unknown> {
  let padded: Uint8Array;
  try {
    padded = new Uint8Array(
      await crypto.subtle.decrypt(
        { name: "AES-GCM", iv: checked.nonce, additionalData: utf8(context), tagLength: AEAD_TAG_LEN * 8 },
        await aesKey(contentKey, "decrypt"),
        checked.ciphertext,
      ),
    );
  } catch {
    throw new CannotOpen("The ciphertext failed authentication: wrong context, or the envelope was altered.");
  }
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(unpad(padded)));
  } catch {
    // Authenticated but malformed: the sender broke the format.
    throw new CannotOpen("The decrypted body is not padded UTF-8 JSON.");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new CannotOpen("The decrypted body is not a JSON object.");
  }
  return body;
}

/**
 * Open an envelope addressed to `key` under `context` and return the parsed JSON body.
 * NotARecipient when the envelope holds no sealed key for this key; CannotOpen when the
 * context is wrong or the envelope is damaged.
 */
export async function open(envelope: Envelope, context: string, key: PrivateKey): Promise<unknown> {
  const checked = checkEnvelope(envelope);
  return decryptBody(checked, await unsealContentKey(checked, context, key), context);
}

/**
 * Seal an envelope's content key to one more key (handing a case to another VCP), as
 * Python's reseal_content_key. The body is decrypted first, so a key that does not open
 * this ciphertext is never passed on. The caller adds the entry to the envelope's recipients.
 */
export async function resealContentKey(
  envelope: Envelope,
  context: string,
  key: PrivateKey,
  newRecipient: PublicKeyJson,
): Promise<Recipient> {
  const checked = checkEnvelope(envelope);
  const recipient = parsePublicKey(newRecipient);
  if (recipient.suite !== checked.suite) {
    throw new CannotSeal(`The envelope uses the ${checked.suite} suite, and the new key is ${recipient.suite}.`);
  }
  const contentKey = await unsealContentKey(checked, context, key);
  await decryptBody(checked, contentKey, context);
  return recipientEntry(contentKey, recipient, context);
}
