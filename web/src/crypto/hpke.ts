// Sealing a content key to one recipient: HPKE base mode, single shot, HKDF-SHA256 and
// AES-256-GCM, info = context (API.md, "sealed_key"); sealed_key = enc || ciphertext.
//
// @hpke/core runs the key schedule and AEAD with WebCrypto. The X25519 suite uses
// @hpke/dhkem-x25519. The hybrid suite is X-Wing (KEM id 0x647a, as `cryptography`'s
// MLKEM768_X25519): sealing uses @hpke/hybridkem-x-wing as it is, but its private keys
// are the 32-byte X-Wing seed while ours are the expanded form (ML-KEM-768 seed d || z
// and the X25519 key), so decapsulation is done here with @noble/post-quantum's
// ML-KEM-768, @noble/curves' X25519 and the X-Wing combiner.

import { Aes256Gcm, CipherSuite, HkdfSha256, type RecipientContextParams } from "@hpke/core";
import { DhkemX25519HkdfSha256 } from "@hpke/dhkem-x25519";
import { XWing } from "@hpke/hybridkem-x-wing";
import { x25519 } from "@noble/curves/ed25519.js";
import { sha3_256 } from "@noble/hashes/sha3.js";
import { ml_kem768 } from "@noble/post-quantum/ml-kem.js";

import { concatBytes, ownBytes, utf8 } from "./encoding";
import { MLKEM768_SEED_LEN, SUITE_HYBRID, type Suite } from "./keys";

export const CONTENT_KEY_LEN = 32;
export const AEAD_TAG_LEN = 16;
const MLKEM768_CIPHERTEXT_LEN = 1088;
// draft-connolly-cfrg-xwing-kem: XWingLabel = "\./" || "/^\".
const XWING_LABEL = utf8("\\.//^\\");

/** The X-Wing combiner: SHA3-256(ss_M || ss_X || ct_X || pk_X || XWingLabel). */
export function xwingCombiner(
  ssM: Uint8Array,
  ssX: Uint8Array,
  ctX: Uint8Array,
  pkX: Uint8Array,
): Uint8Array {
  return sha3_256(concatBytes(ssM, ssX, ctX, pkX, XWING_LABEL));
}

// hpke-js passes the recipient key through to the KEM untouched, so the expanded private
// key travels as an opaque handle whose bytes stay in this module.
const expandedKeys = new WeakMap<CryptoKey, Uint8Array>();

class XWingWithExpandedKeys extends XWing {
  override async decap(params: RecipientContextParams): Promise<ArrayBuffer> {
    const key = "privateKey" in params.recipientKey ? params.recipientKey.privateKey : params.recipientKey;
    const expanded = expandedKeys.get(key);
    if (expanded === undefined) throw new TypeError("Not an expanded X-Wing private key.");
    const enc = ArrayBuffer.isView(params.enc)
      ? new Uint8Array(params.enc.buffer, params.enc.byteOffset, params.enc.byteLength)
      : new Uint8Array(params.enc);
    if (enc.length !== this.encSize) throw new RangeError("Invalid length of enc.");
    const seed = expanded.subarray(0, MLKEM768_SEED_LEN);
    const skX = expanded.subarray(MLKEM768_SEED_LEN);
    const ctM = enc.subarray(0, MLKEM768_CIPHERTEXT_LEN);
    const ctX = enc.subarray(MLKEM768_CIPHERTEXT_LEN);
    const ssM = ml_kem768.decapsulate(ctM, ml_kem768.keygen(seed).secretKey);
    const ssX = x25519.getSharedSecret(skX, ctX);
    return ownBytes(xwingCombiner(ssM, ssX, ctX, x25519.getPublicKey(skX))).buffer;
  }
}

const hybridKem = new XWingWithExpandedKeys();
const x25519Kem = new DhkemX25519HkdfSha256();

const SUITES: Record<Suite, CipherSuite> = {
  "MLKEM768-X25519": new CipherSuite({ kem: hybridKem, kdf: new HkdfSha256(), aead: new Aes256Gcm() }),
  X25519: new CipherSuite({ kem: x25519Kem, kdf: new HkdfSha256(), aead: new Aes256Gcm() }),
};

/** The KEM encapsulation length of a suite: the first part of a sealed_key. */
export function encLength(suite: Suite): number {
  return SUITES[suite].kem.encSize;
}

/** The exact length of a sealed content key in a suite (enc, the key, the AEAD tag). */
export function sealedKeyLength(suite: Suite): number {
  return encLength(suite) + CONTENT_KEY_LEN + AEAD_TAG_LEN;
}

export async function sealContentKey(
  suite: Suite,
  recipientPublicRaw: Uint8Array<ArrayBuffer>,
  contentKey: Uint8Array<ArrayBuffer>,
  context: string,
): Promise<Uint8Array<ArrayBuffer>> {
  const cipherSuite = SUITES[suite];
  const recipientPublicKey = await cipherSuite.kem.deserializePublicKey(recipientPublicRaw);
  const { ct, enc } = await cipherSuite.seal({ recipientPublicKey, info: utf8(context) }, contentKey);
  return concatBytes(new Uint8Array(enc), new Uint8Array(ct));
}

/** Unseal a content key with the raw private key of `suite`; throws on any failure. */
export async function openContentKey(
  suite: Suite,
  privateRaw: Uint8Array,
  sealed: Uint8Array,
  context: string,
): Promise<Uint8Array<ArrayBuffer>> {
  const cipherSuite = SUITES[suite];
  let recipientKey: CryptoKey;
  if (suite === SUITE_HYBRID) {
    recipientKey = { type: "private", extractable: false, algorithm: { name: "X-Wing" }, usages: ["deriveBits"] };
    expandedKeys.set(recipientKey, privateRaw);
  } else {
    recipientKey = await x25519Kem.importKey("raw", ownBytes(privateRaw).buffer, false);
  }
  const split = encLength(suite);
  const plain = await cipherSuite.open(
    { recipientKey, enc: ownBytes(sealed.subarray(0, split)), info: utf8(context) },
    ownBytes(sealed.subarray(split)),
  );
  return new Uint8Array(plain);
}
