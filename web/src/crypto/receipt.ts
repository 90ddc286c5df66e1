// The reporter's receipt and what is derived from it (API.md, "Receipt"), as
// shared/crypto/receipt.py. The receipt is the reporter's only credential: it derives the
// mailbox secret (whose SHA-256 the server stores) and the reply key pair (to which the
// VCPs seal their answers). It never leaves the page.

import { concatBytes, normaliseBase32, ownBytes, randomBase32, sha256, toHex, utf8 } from "./encoding";
import { InvalidReceipt } from "./errors";
import {
  DEFAULT_SUITE,
  MLKEM768_SEED_LEN,
  SUITE_X25519,
  X25519_KEY_LEN,
  isSuite,
  privateKeyFromBytes,
  type PrivateKey,
  type PublicKeyJson,
  type Suite,
} from "./keys";

export const RECEIPT_LEN = 26; // 26 x 5 bits = 130 bits
const RECEIPT_SALT = utf8("safehands/v1/receipt");
const MAILBOX_SECRET_LEN = 32;
const DERIVED_LEN = MAILBOX_SECRET_LEN + X25519_KEY_LEN + MLKEM768_SEED_LEN; // 128
// 26 splits into groups of 4 or 5 only as two 5s and four 4s (as the command line shows it).
const GROUPS = [5, 5, 4, 4, 4, 4] as const;

/** A fresh receipt: 26 RFC 4648 base32 characters from crypto.getRandomValues. */
export function newReceipt(): string {
  return randomBase32(RECEIPT_LEN);
}

/** Upper-case and drop spaces and dashes; InvalidReceipt (a sentence) when it is not a receipt. */
export function normaliseReceipt(input: string): string {
  const compact = normaliseBase32(input, RECEIPT_LEN);
  if (compact !== null) return compact;
  const typed = typeof input === "string" ? input.replace(/[\s-]/g, "") : "";
  if (typed !== "" && !/^[A-Za-z2-7]*$/.test(typed)) {
    throw new InvalidReceipt(
      "A receipt has only the letters A to Z and the digits 2 to 7. Spaces and dashes do not matter.",
    );
  }
  throw new InvalidReceipt(
    `A receipt has ${RECEIPT_LEN} letters and digits, and this one has ${typed.length}. ` +
      "Spaces and dashes do not matter.",
  );
}

/** Display form in groups of 5 and 4, e.g. ABCDE-FGHIJ-KLMN-OPQR-STUV-WXYZ, as the command line shows it. */
export function formatReceipt(receipt: string, separator: "-" | " " = "-"): string {
  const compact = normaliseReceipt(receipt);
  const groups: string[] = [];
  let start = 0;
  for (const size of GROUPS) {
    groups.push(compact.slice(start, start + size));
    start += size;
  }
  return groups.join(separator);
}

export interface ReceiptKeys {
  /** The mailbox `secret` sent to POST /v1/orgs/{org}/mailbox, hex. */
  mailboxSecret: string;
  /** Hex SHA-256 of the mailbox secret: the `lookup` of a new report. */
  lookup: string;
  replyPublicKey: PublicKeyJson;
  replyPrivateKey: PrivateKey;
}

/**
 * HKDF-SHA256(ikm = receipt, salt = "safehands/v1/receipt", info = org_id, 128 bytes):
 * bytes 0-31 the mailbox secret, 32-63 the X25519 reply key, 64-127 the ML-KEM-768 seed.
 * The reply key takes the suite of the organisation's VCP keys (as the command line does),
 * so that a VCP's message can be sealed to the reply key and the VCP keys together.
 */
export async function deriveFromReceipt(
  receipt: string,
  orgId: string,
  suite: Suite = DEFAULT_SUITE,
): Promise<ReceiptKeys> {
  if (!isSuite(suite)) throw new TypeError(`Unknown suite ${String(suite)}.`);
  const compact = normaliseReceipt(receipt);
  const ikm = await crypto.subtle.importKey("raw", utf8(compact), "HKDF", false, ["deriveBits"]);
  const okm = new Uint8Array(
    await crypto.subtle.deriveBits(
      { name: "HKDF", hash: "SHA-256", salt: RECEIPT_SALT, info: utf8(orgId) },
      ikm,
      DERIVED_LEN * 8,
    ),
  );
  const secret = ownBytes(okm.subarray(0, MAILBOX_SECRET_LEN));
  const xPrivate = okm.subarray(MAILBOX_SECRET_LEN, MAILBOX_SECRET_LEN + X25519_KEY_LEN);
  const raw =
    suite === SUITE_X25519 ? xPrivate : concatBytes(okm.subarray(MAILBOX_SECRET_LEN + X25519_KEY_LEN), xPrivate);
  const replyPrivateKey = await privateKeyFromBytes(suite, raw);
  return {
    mailboxSecret: toHex(secret),
    lookup: toHex(await sha256(secret)),
    replyPublicKey: replyPrivateKey.publicKey,
    replyPrivateKey,
  };
}
