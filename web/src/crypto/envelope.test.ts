import { describe, expect, it, vi } from "vitest";

import { b64urlDecode, b64urlEncode } from "./encoding";
import { CannotOpen, CannotSeal, InvalidPublicKey, NotARecipient } from "./errors";
import {
  deriveFromReceipt,
  fingerprint,
  forgetPrivateKey,
  generateKeyPair,
  messageContext,
  newReceipt,
  open,
  reportContext,
  resealContentKey,
  seal,
  type Envelope,
  type Suite,
} from "./index";

// Post-quantum keys in pure JavaScript are slow on a busy machine; no test here hangs.
vi.setConfig({ testTimeout: 60_000 });

const SUITES = ["MLKEM768-X25519", "X25519"] as const;
const CONTEXT = reportContext("demo", "5b032f37-80a4-4916-95ee-14c8bcc8fd01");
const BODY = {
  category: "aggression",
  description: "Hij duwde me tegen de muur. Ünïcode ✓ 🚩 \"quotes\" \\ and \u0000",
  wants_contact: false,
};

function withCiphertextByte(envelope: Envelope, index: number): Envelope {
  const raw = b64urlDecode(envelope.ciphertext);
  raw[index] = raw[index]! ^ 1;
  return { ...envelope, ciphertext: b64urlEncode(raw) };
}

describe("contexts", () => {
  it("follow API.md", () => {
    expect(reportContext("demo", "r1")).toBe("safehands/v1/report/demo/r1");
    expect(messageContext("demo", "r1", "m1")).toBe("safehands/v1/message/demo/r1/m1");
  });

  it("refuse ids that are empty or hold a slash", () => {
    expect(() => reportContext("demo/x", "r1")).toThrow(RangeError);
    expect(() => messageContext("demo", "", "m1")).toThrow(RangeError);
    expect(() => messageContext("demo", "r1", "a/b")).toThrow(RangeError);
  });
});

describe.each(SUITES)("seal and open, %s", (suite: Suite) => {
  it("round-trips to two VCPs, each of whom reads exactly the body", async () => {
    const vcps = [await generateKeyPair(suite), await generateKeyPair(suite)];
    const envelope = await seal(BODY, CONTEXT, vcps.map((k) => k.publicKey));
    expect(envelope.v).toBe(1);
    expect(envelope.suite).toBe(suite);
    expect(b64urlDecode(envelope.nonce).length).toBe(12);
    expect(b64urlDecode(envelope.ciphertext).length).toBe(1024 + 16);
    expect(envelope.recipients.map((r) => r.key_id)).toEqual(
      await Promise.all(vcps.map((k) => fingerprint(k.publicKey))),
    );
    expect(new Set(envelope.recipients.map((r) => b64urlDecode(r.sealed_key).length))).toEqual(
      new Set([suite === "X25519" ? 80 : 1168]),
    );
    for (const k of vcps) expect(await open(envelope, CONTEXT, k.privateKey)).toEqual(BODY);
    // Survives the trip through JSON, as it travels.
    const travelled = JSON.parse(JSON.stringify(envelope)) as Envelope;
    expect(await open(travelled, CONTEXT, vcps[1]!.privateKey)).toEqual(BODY);
  });

  it("pads to hide the length: bodies of 10 and 1000 bytes give the same size", async () => {
    const { publicKey } = await generateKeyPair(suite);
    const short = await seal({ text: "x" }, CONTEXT, [publicKey]);
    const long = await seal({ text: "x".repeat(1000) }, CONTEXT, [publicKey]);
    expect(long.ciphertext.length).toBe(short.ciphertext.length);
    const larger = await seal({ text: "x".repeat(3000) }, CONTEXT, [publicKey]);
    expect(b64urlDecode(larger.ciphertext).length).toBe(4096 + 16);
  });

  it("opens for the reporter's reply key derived from the receipt", async () => {
    const vcp = await generateKeyPair(suite);
    const receipt = newReceipt();
    const sender = await deriveFromReceipt(receipt, "demo", suite);
    const context = messageContext("demo", "r1", "m1");
    const envelope = await seal({ text: "Hoe gaat het?" }, context, [sender.replyPublicKey, vcp.publicKey]);
    const reader = await deriveFromReceipt(receipt, "demo", suite);
    expect(await open(envelope, context, reader.replyPrivateKey)).toEqual({ text: "Hoe gaat het?" });
  });

  it("fails under another context, and with altered bytes", async () => {
    const vcp = await generateKeyPair(suite);
    const envelope = await seal(BODY, CONTEXT, [vcp.publicKey]);
    await expect(open(envelope, reportContext("demo", "another"), vcp.privateKey)).rejects.toThrow(CannotOpen);
    await expect(open(withCiphertextByte(envelope, 0), CONTEXT, vcp.privateKey)).rejects.toThrow(CannotOpen);
    const sealed = b64urlDecode(envelope.recipients[0]!.sealed_key);
    sealed[sealed.length - 1] = sealed[sealed.length - 1]! ^ 1;
    const altered = { ...envelope, recipients: [{ ...envelope.recipients[0]!, sealed_key: b64urlEncode(sealed) }] };
    await expect(open(altered, CONTEXT, vcp.privateKey)).rejects.toThrow(CannotOpen);
  });

  it("says NotARecipient to a key the envelope is not sealed to", async () => {
    const [vcp, stranger] = [await generateKeyPair(suite), await generateKeyPair(suite)];
    const envelope = await seal(BODY, CONTEXT, [vcp.publicKey]);
    await expect(open(envelope, CONTEXT, stranger.privateKey)).rejects.toThrow(NotARecipient);
    const other = await generateKeyPair(suite === "X25519" ? "MLKEM768-X25519" : "X25519");
    await expect(open(envelope, CONTEXT, other.privateKey)).rejects.toThrow(NotARecipient);
  });

  it("hands a case over: the new key opens the same envelope", async () => {
    const [vcp, colleague] = [await generateKeyPair(suite), await generateKeyPair(suite)];
    const envelope = await seal(BODY, CONTEXT, [vcp.publicKey]);
    const entry = await resealContentKey(envelope, CONTEXT, vcp.privateKey, colleague.publicKey);
    expect(entry.key_id).toBe(colleague.privateKey.fingerprint);
    const handedOver = { ...envelope, recipients: [...envelope.recipients, entry] };
    expect(await open(handedOver, CONTEXT, colleague.privateKey)).toEqual(BODY);
    await expect(resealContentKey(envelope, CONTEXT, colleague.privateKey, colleague.publicKey)).rejects.toThrow(
      NotARecipient,
    );
  });
});

describe("what cannot be sealed or opened", () => {
  it("refuses bodies that are not JSON objects or not faithful JSON", async () => {
    const { publicKey } = await generateKeyPair("X25519");
    for (const body of [null, "text", 3, [1, 2], { n: NaN }, { n: Infinity }, { s: "\ud800" }, { big: 1n }]) {
      await expect(seal(body, CONTEXT, [publicKey])).rejects.toThrow(CannotSeal);
    }
    await expect(seal({ text: "x".repeat(1 << 20) }, CONTEXT, [publicKey])).rejects.toThrow(/too large/);
  });

  it("refuses no recipients, mixed suites, the same key twice, and invalid keys", async () => {
    const hybrid = await generateKeyPair("MLKEM768-X25519");
    const classic = await generateKeyPair("X25519");
    await expect(seal(BODY, CONTEXT, [])).rejects.toThrow(CannotSeal);
    await expect(seal(BODY, CONTEXT, [hybrid.publicKey, classic.publicKey])).rejects.toThrow(/same suite/);
    await expect(seal(BODY, CONTEXT, [classic.publicKey, classic.publicKey])).rejects.toThrow(/distinct/);
    const zeroPoint = { suite: "X25519" as const, key: b64urlEncode(new Uint8Array(32)) };
    await expect(seal(BODY, CONTEXT, [zeroPoint])).rejects.toThrow(/small-order/);
    const short = { suite: "X25519" as const, key: b64urlEncode(new Uint8Array(31)) };
    await expect(seal(BODY, CONTEXT, [short])).rejects.toThrow(InvalidPublicKey);
    const raw = b64urlDecode(hybrid.publicKey.key);
    raw.set([0xff, 0xff], 0); // a coefficient of 4095, above q = 3329
    const notMlKem = { suite: "MLKEM768-X25519" as const, key: b64urlEncode(raw) };
    await expect(seal(BODY, CONTEXT, [notMlKem])).rejects.toThrow(/ML-KEM-768/);
    await expect(fingerprint(notMlKem)).rejects.toThrow(InvalidPublicKey);
  });

  it("says the envelope is damaged when its shape is wrong", async () => {
    const vcp = await generateKeyPair("X25519");
    const envelope = await seal(BODY, CONTEXT, [vcp.publicKey]);
    const broken: unknown[] = [
      { ...envelope, v: 2 },
      { ...envelope, suite: "RSA" },
      { ...envelope, nonce: "AAAA" },
      { ...envelope, ciphertext: envelope.ciphertext.slice(0, -4) },
      { ...envelope, recipients: [] },
      { ...envelope, recipients: [envelope.recipients[0], envelope.recipients[0]] },
      { ...envelope, recipients: [{ ...envelope.recipients[0], sealed_key: "AAAA" }] },
      null,
    ];
    for (const b of broken) await expect(open(b as Envelope, CONTEXT, vcp.privateKey)).rejects.toThrow(CannotOpen);
  });

  it("forgets a key on request: afterwards it opens nothing", async () => {
    const vcp = await generateKeyPair("X25519");
    const envelope = await seal(BODY, CONTEXT, [vcp.publicKey]);
    expect(await open(envelope, CONTEXT, vcp.privateKey)).toEqual(BODY);
    forgetPrivateKey(vcp.privateKey);
    await expect(open(envelope, CONTEXT, vcp.privateKey)).rejects.toThrow(/forgotten/);
    forgetPrivateKey(vcp.privateKey);
  });

  it("keeps private key bytes out of logs and JSON", async () => {
    const { privateKey } = await generateKeyPair();
    expect(Object.keys(privateKey).sort()).toEqual(["fingerprint", "publicKey", "suite"]);
    expect(JSON.stringify(privateKey)).not.toMatch(/private/i);
    expect(Object.isFrozen(privateKey)).toBe(true);
  });
});
