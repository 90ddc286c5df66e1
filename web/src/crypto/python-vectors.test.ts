// tests/vectors/python-crypto-v1.json, written by shared/crypto (`python -m
// tests.support.write_web_vectors`): the browser opens what the services and the command
// line seal, and derives the same values from a receipt.

import { describe, expect, it, vi } from "vitest";

import { b64urlDecode } from "./encoding";
import { CannotOpen, NotARecipient } from "./errors";
import {
  deriveFromReceipt,
  fingerprint,
  formatReceipt,
  normaliseReceipt,
  open,
  type Envelope,
  type PublicKeyJson,
  type Suite,
} from "./index";
import { WrongPassphrase, keyFileText, readKeyFile, recoverKeyFile, unlockKeyFile } from "./keyfile";
import { privateKeyFromBytes } from "./keys";
import { paddedSize } from "./padding";
import { readVectors } from "./test-support";

// Post-quantum keys in pure JavaScript are slow on a busy machine; no test here hangs.
vi.setConfig({ testTimeout: 60_000 });

interface PythonKey {
  private_key: string;
  public_key: PublicKeyJson;
  fingerprint: string;
}
interface PythonCase {
  context: string;
  body: unknown;
  envelope: Envelope;
}
interface PythonSuite {
  org_id: string;
  report_id: string;
  receipt: string;
  vcps: PythonKey[];
  report: PythonCase;
  vcp_message: PythonCase;
  reporter_message: PythonCase;
}
interface PythonReceipt {
  receipt_as_typed: string;
  org_id: string;
  normalised: string;
  formatted: string;
  mailbox_secret_hex: string;
  lookup: string;
  reply_public_keys: Record<Suite, PublicKeyJson>;
}
interface PythonKeyFile {
  passphrase: string;
  recovery_code: string;
  public_key: PublicKeyJson;
  fingerprint: string;
  file_text: string;
}
interface PythonVectors {
  suites: Record<Suite, PythonSuite>;
  keyfiles: Record<Suite, PythonKeyFile>;
  receipts: PythonReceipt[];
  padding: { body_json_bytes: number; padded_bytes: number }[];
}

const vectors = readVectors<PythonVectors>("python-crypto-v1.json");

describe.each(["MLKEM768-X25519", "X25519"] as const)("Python-made vectors, %s", (suite) => {
  const data = vectors.suites[suite];
  const vcpKeys = () => Promise.all(data.vcps.map((v) => privateKeyFromBytes(suite, b64urlDecode(v.private_key))));

  it("loads each private key to the listed public key and fingerprint", async () => {
    const keys = await vcpKeys();
    keys.forEach((key, i) => {
      expect(key.publicKey).toEqual(data.vcps[i]!.public_key);
      expect(key.fingerprint).toBe(data.vcps[i]!.fingerprint);
    });
    for (const vcp of data.vcps) expect(await fingerprint(vcp.public_key)).toBe(vcp.fingerprint);
  });

  it("opens the report and the reporter's message with each VCP key, under their contexts only", async () => {
    for (const key of await vcpKeys()) {
      for (const c of [data.report, data.reporter_message]) {
        expect(await open(c.envelope, c.context, key)).toEqual(c.body);
        await expect(open(c.envelope, c.context + "0", key)).rejects.toThrow(CannotOpen);
        await expect(open(c.envelope, data.vcp_message.context, key)).rejects.toThrow(CannotOpen);
      }
    }
  });

  it("opens the VCP's message with the receipt's reply key and each VCP key", async () => {
    const c = data.vcp_message;
    const reply = await deriveFromReceipt(data.receipt, data.org_id, suite);
    for (const key of [reply.replyPrivateKey, ...(await vcpKeys())]) {
      expect(await open(c.envelope, c.context, key)).toEqual(c.body);
      await expect(open(c.envelope, data.report.context, key)).rejects.toThrow(CannotOpen);
    }
    await expect(open(data.report.envelope, data.report.context, reply.replyPrivateKey)).rejects.toThrow(
      NotARecipient,
    );
  });
});

describe("Python-made receipts", () => {
  it.each(vectors.receipts)("normalises, formats and derives like Python: $receipt_as_typed", async (r) => {
    expect(normaliseReceipt(r.receipt_as_typed)).toBe(r.normalised);
    expect(formatReceipt(r.receipt_as_typed)).toBe(r.formatted);
    for (const suite of ["MLKEM768-X25519", "X25519"] as const) {
      const derived = await deriveFromReceipt(r.receipt_as_typed, r.org_id, suite);
      expect(derived.mailboxSecret).toBe(r.mailbox_secret_hex);
      expect(derived.lookup).toBe(r.lookup);
      expect(derived.replyPublicKey).toEqual(r.reply_public_keys[suite]);
      expect(derived.replyPrivateKey.publicKey).toEqual(r.reply_public_keys[suite]);
    }
  });

  it.each(vectors.padding)("pads $body_json_bytes bytes to $padded_bytes as Python", (p) => {
    expect(paddedSize(p.body_json_bytes)).toBe(p.padded_bytes);
  });
});

// Real Argon2id parameters (64 MiB, t = 3, p = 4): a few seconds per unlock on a busy machine.
const ARGON2_TIMEOUT = 120_000;

describe.each(["MLKEM768-X25519", "X25519"] as const)("key files made by `safehands vcp keygen`, %s", (suite) => {
  const vector = vectors.keyfiles[suite];

  it("reads and writes the file exactly as the command line", async () => {
    const file = await readKeyFile(vector.file_text);
    expect(keyFileText(file)).toBe(vector.file_text);
  });

  it(
    "unlocks with the passphrase (typed composed or decomposed) to the listed key, and not with another",
    async () => {
      const key = await unlockKeyFile(vector.file_text, vector.passphrase);
      expect(key.publicKey).toEqual(vector.public_key);
      expect(key.fingerprint).toBe(vector.fingerprint);
      if (suite === "MLKEM768-X25519") {
        const composed = vector.passphrase.normalize("NFC");
        expect(composed).not.toBe(vector.passphrase);
        expect((await unlockKeyFile(new TextEncoder().encode(vector.file_text), composed)).fingerprint).toBe(
          vector.fingerprint,
        );
      }
      await expect(unlockKeyFile(vector.file_text, vector.passphrase + " ")).rejects.toThrow(WrongPassphrase);
    },
    ARGON2_TIMEOUT,
  );

  it(
    "sets a new passphrase with the printed recovery code",
    async () => {
      const renewed = await recoverKeyFile(JSON.parse(vector.file_text), vector.recovery_code, "nieuwe zin");
      expect((await unlockKeyFile(renewed, "nieuwe zin")).fingerprint).toBe(vector.fingerprint);
    },
    ARGON2_TIMEOUT,
  );
});
