// tests/vectors/signed-message-v1.json, written by shared/crypto/signing.py (`python -m
// tests.support.write_signing_vectors`): the browser derives the same signing key from a key
// file's private key, signs the same way, and refuses a tampered message or another key.

import { describe, expect, it } from "vitest";

import { b64urlDecode } from "./encoding";
import type { Envelope } from "./envelope";
import { privateKeyFromBytes, type Suite } from "./keys";
import { signMessage, signedText, signingPublicKey, verifyMessage } from "./signing";
import { readVectors } from "./test-support";

interface SigningCase {
  suite: Suite;
  private_key: string;
  signing_key: string;
  other_signing_key: string;
  org_id: string;
  report_id: string;
  message_id: string;
  envelope: Envelope;
  signed_text: string;
  signature: string;
}

const { cases } = readVectors<{ cases: SigningCase[] }>("signed-message-v1.json");

describe.each(cases)("signed message, $suite", (c) => {
  it("derives the signing key and signs as Python does", async () => {
    const key = await privateKeyFromBytes(c.suite, b64urlDecode(c.private_key));
    expect(signingPublicKey(key)).toBe(c.signing_key);
    expect(new TextDecoder().decode(signedText(c.org_id, c.report_id, c.message_id, c.envelope))).toBe(
      c.signed_text,
    );
    expect(signMessage(key, c.org_id, c.report_id, c.message_id, c.envelope)).toBe(c.signature);
    expect(verifyMessage(c.signing_key, c.signature, c.org_id, c.report_id, c.message_id, c.envelope)).toBe(true);
  });

  it("refuses a tampered message and another key", () => {
    const other = (c.envelope.ciphertext[0] === "A" ? "B" : "A") + c.envelope.ciphertext.slice(1);
    const tampered = { ...c.envelope, ciphertext: other };
    const ok = (key: string, sig: string, env: Envelope, messageId = c.message_id) =>
      verifyMessage(key, sig, c.org_id, c.report_id, messageId, env);
    expect(ok(c.signing_key, c.signature, tampered)).toBe(false);
    expect(ok(c.signing_key, c.signature, c.envelope, "another-message")).toBe(false);
    expect(ok(c.other_signing_key, c.signature, c.envelope)).toBe(false);
    expect(ok(c.signing_key, c.signature.slice(0, -2), c.envelope)).toBe(false);
    expect(ok(c.signing_key, "not base64!", c.envelope)).toBe(false);
  });
});
