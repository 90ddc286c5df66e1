// The independent vectors (tests/vectors/independent-crypto-v1.json, made from API.md by
// an implementation that is not the project's): every envelope opens with the listed
// keys to exactly the listed body and under no other context, and every receipt derives
// the listed values.

import { describe, expect, it, vi } from "vitest";

import { b64urlDecode, concatBytes } from "./encoding";
import { CannotOpen, NotARecipient } from "./errors";
import { deriveFromReceipt, fingerprint, normaliseReceipt, open, type Envelope, type PublicKeyJson, type Suite } from "./index";
import { privateKeyFromBytes, type PrivateKey } from "./keys";
import { paddedSize } from "./padding";
import { readVectors } from "./test-support";

// Post-quantum keys in pure JavaScript are slow on a busy machine; no test here hangs.
vi.setConfig({ testTimeout: 60_000 });

interface VectorVcp {
  vcp_id: string;
  private: { x25519_private: string; mlkem768_seed?: string };
  public_key: PublicKeyJson;
  fingerprint: string;
}
interface VectorCase {
  org_id: string;
  report_id: string;
  message_id?: string;
  context: string;
  body: unknown;
  envelope: Envelope;
  receipt?: string;
}
interface VectorReceipt {
  receipt_as_typed: string;
  org_id: string;
  normalised: string;
  mailbox_secret_hex: string;
  lookup: string;
  reply_public_key_hybrid: PublicKeyJson;
  reply_public_key_x25519: PublicKeyJson;
}
interface Vectors {
  suites: Record<Suite, { vcps: VectorVcp[]; report: VectorCase; vcp_message: VectorCase }>;
  receipts: VectorReceipt[];
  padding: { body_json_bytes: number; padded_bytes: number }[];
}

const vectors = readVectors<Vectors>("independent-crypto-v1.json");

async function vcpKey(suite: Suite, vcp: VectorVcp): Promise<PrivateKey> {
  const x = b64urlDecode(vcp.private.x25519_private);
  const raw = suite === "X25519" ? x : concatBytes(b64urlDecode(vcp.private.mlkem768_seed!), x);
  return privateKeyFromBytes(suite, raw);
}

function otherContexts(c: VectorCase): string[] {
  return [
    `safehands/v1/report/${c.org_id}/00000000-0000-0000-0000-000000000000`,
    `safehands/v1/report/other-org/${c.report_id}`,
    `safehands/v1/message/${c.org_id}/${c.report_id}/${c.report_id}`,
    c.context + "x",
    c.context.slice(0, -1),
    "",
  ].filter((context) => context !== c.context);
}

describe.each(["MLKEM768-X25519", "X25519"] as const)("independent vectors, %s", (suite) => {
  const data = vectors.suites[suite];

  it("loads each VCP's private key to the listed public key and fingerprint", async () => {
    for (const vcp of data.vcps) {
      const key = await vcpKey(suite, vcp);
      expect(key.publicKey).toEqual(vcp.public_key);
      expect(key.fingerprint).toBe(vcp.fingerprint);
      expect(await fingerprint(vcp.public_key)).toBe(vcp.fingerprint);
    }
  });

  it("opens the report with every VCP key to exactly the body, and under no other context", async () => {
    const c = data.report;
    expect(c.context).toBe(`safehands/v1/report/${c.org_id}/${c.report_id}`);
    for (const vcp of data.vcps) {
      const key = await vcpKey(suite, vcp);
      expect(await open(c.envelope, c.context, key)).toEqual(c.body);
      for (const context of otherContexts(c)) {
        await expect(open(c.envelope, context, key)).rejects.toThrow(CannotOpen);
      }
    }
  });

  it("opens the VCP message with the receipt's reply key and both VCP keys", async () => {
    const c = data.vcp_message;
    expect(c.context).toBe(`safehands/v1/message/${c.org_id}/${c.report_id}/${c.message_id}`);
    const reply = await deriveFromReceipt(c.receipt!, c.org_id, suite);
    const keys = [reply.replyPrivateKey, ...(await Promise.all(data.vcps.map((v) => vcpKey(suite, v))))];
    expect(c.envelope.recipients.map((r) => r.key_id)).toEqual(keys.map((k) => k.fingerprint));
    for (const key of keys) {
      expect(await open(c.envelope, c.context, key)).toEqual(c.body);
      for (const context of otherContexts(c)) {
        await expect(open(c.envelope, context, key)).rejects.toThrow(CannotOpen);
      }
    }
  });

  it("refuses the report to a key that is not a recipient", async () => {
    const reply = await deriveFromReceipt(data.vcp_message.receipt!, data.vcp_message.org_id, suite);
    await expect(open(data.report.envelope, data.report.context, reply.replyPrivateKey)).rejects.toThrow(NotARecipient);
  });
});

describe("independent receipt vectors", () => {
  it.each(vectors.receipts)("derives the listed values from $receipt_as_typed", async (r) => {
    expect(normaliseReceipt(r.receipt_as_typed)).toBe(r.normalised);
    const hybrid = await deriveFromReceipt(r.receipt_as_typed, r.org_id, "MLKEM768-X25519");
    const classic = await deriveFromReceipt(r.receipt_as_typed, r.org_id, "X25519");
    for (const derived of [hybrid, classic]) {
      expect(derived.mailboxSecret).toBe(r.mailbox_secret_hex);
      expect(derived.lookup).toBe(r.lookup);
    }
    expect(hybrid.replyPublicKey).toEqual(r.reply_public_key_hybrid);
    expect(classic.replyPublicKey).toEqual(r.reply_public_key_x25519);
  });
});

describe("independent padding vectors", () => {
  it.each(vectors.padding)("pads $body_json_bytes bytes to $padded_bytes", ({ body_json_bytes, padded_bytes }) => {
    expect(paddedSize(body_json_bytes)).toBe(padded_bytes);
  });
});
