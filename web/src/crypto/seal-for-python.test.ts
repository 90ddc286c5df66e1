// Envelopes, receipts and key files made by the browser's code, for the Python side to open.
//
// tests/unit/crypto/test_web_crypto_interop.py runs this file with
// SAFEHANDS_WEB_INTEROP_DIR set: it reads request.json there (the organisation, the
// bodies, Python-made VCP public keys of both suites, and a Python-made key file with its
// recovery code) and writes response.json (the envelopes sealed here, a fresh receipt and
// what was derived from it, key files made here, and the Python file with a new
// passphrase set here), which pytest then opens with shared/crypto. Without the variable,
// it does the same with the committed Python-made keys of tests/vectors/python-crypto-v1.json
// and checks the results here with their private keys, so it is a real round trip either way.

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";

import { b64urlDecode } from "./encoding";
import {
  deriveFromReceipt,
  formatReceipt,
  messageContext,
  newReceipt,
  open,
  reportContext,
  seal,
  type Envelope,
  type PublicKeyJson,
  type Suite,
} from "./index";
import { createKeyFile, recoverKeyFile, unlockKeyFile, type KeyFile } from "./keyfile";
import { privateKeyFromBytes, type PrivateKey } from "./keys";
import { readVectors } from "./test-support";

// Post-quantum keys in pure JavaScript are slow on a busy machine; no test here hangs.
vi.setConfig({ testTimeout: 60_000 });

interface Request {
  org_id: string;
  report_body: unknown;
  message_body: unknown;
  vcps: Record<Suite, PublicKeyJson[]>;
  passphrase: string;
  new_passphrase: string;
  python_key_file: { suite: Suite; file_text: string; recovery_code: string };
}

interface SealedCase {
  context: string;
  envelope: Envelope;
}

interface SuiteResponse {
  report_id: string;
  receipt: string;
  receipt_formatted: string;
  mailbox_secret_hex: string;
  lookup: string;
  reply_public_key: PublicKeyJson;
  report: SealedCase;
  vcp_message: SealedCase;
  reporter_message: SealedCase;
}

const outputDir = process.env.SAFEHANDS_WEB_INTEROP_DIR;

interface PythonVectors {
  suites: Record<Suite, { vcps: { private_key: string; public_key: PublicKeyJson }[] }>;
  keyfiles: Record<Suite, { passphrase: string; recovery_code: string; file_text: string; fingerprint: string }>;
}
const committed = readVectors<PythonVectors>("python-crypto-v1.json");

const request: Request = outputDir
  ? (JSON.parse(readFileSync(join(outputDir, "request.json"), "utf-8")) as Request)
  : {
      org_id: "sportclub-de-meeuwen",
      report_body: { category: "other", description: "Vitest round trip ✓", wants_contact: false },
      message_body: { text: "Een bericht." },
      vcps: {
        "MLKEM768-X25519": committed.suites["MLKEM768-X25519"].vcps.map((v) => v.public_key),
        X25519: committed.suites.X25519.vcps.map((v) => v.public_key),
      },
      passphrase: "een zin om te onthouden",
      new_passphrase: "een nieuwe zin",
      python_key_file: {
        suite: "X25519",
        file_text: committed.keyfiles.X25519.file_text,
        recovery_code: committed.keyfiles.X25519.recovery_code,
      },
    };

interface KeyFileResponse {
  key_files: Record<Suite, { file: KeyFile; recovery_code: string; public_key: PublicKeyJson }>;
  python_key_file_renewed: KeyFile;
}

const response: Partial<Record<Suite, SuiteResponse>> & Partial<KeyFileResponse> = {};

afterAll(() => {
  if (outputDir) writeFileSync(join(outputDir, "response.json"), JSON.stringify(response, null, 2));
});

describe.each(["MLKEM768-X25519", "X25519"] as const)("sealing for Python, %s", (suite) => {
  it("seals a report and messages to the given VCP keys and a receipt's reply key", async () => {
    const org = request.org_id;
    const vcps = request.vcps[suite];
    const reportId = crypto.randomUUID();
    const receipt = newReceipt();
    const derived = await deriveFromReceipt(receipt, org, suite);
    const vcpMessage = messageContext(org, reportId, crypto.randomUUID());
    const reporterMessage = messageContext(org, reportId, crypto.randomUUID());
    const made: SuiteResponse = {
      report_id: reportId,
      receipt,
      receipt_formatted: formatReceipt(receipt),
      mailbox_secret_hex: derived.mailboxSecret,
      lookup: derived.lookup,
      reply_public_key: derived.replyPublicKey,
      report: {
        context: reportContext(org, reportId),
        envelope: await seal(request.report_body, reportContext(org, reportId), vcps),
      },
      vcp_message: {
        context: vcpMessage,
        envelope: await seal(request.message_body, vcpMessage, [derived.replyPublicKey, ...vcps]),
      },
      reporter_message: {
        context: reporterMessage,
        envelope: await seal(request.message_body, reporterMessage, vcps),
      },
    };
    response[suite] = made;
    expect(made.report.envelope.recipients).toHaveLength(vcps.length);

    // What the browser sealed, the browser opens: with the reply key, and (when the
    // private keys are known here) with every VCP key.
    expect(await open(made.vcp_message.envelope, vcpMessage, derived.replyPrivateKey)).toEqual(request.message_body);
    if (!outputDir) {
      const keys: PrivateKey[] = await Promise.all(
        committed.suites[suite].vcps.map((v) => privateKeyFromBytes(suite, b64urlDecode(v.private_key))),
      );
      for (const key of keys) {
        expect(await open(made.report.envelope, made.report.context, key)).toEqual(request.report_body);
        expect(await open(made.reporter_message.envelope, reporterMessage, key)).toEqual(request.message_body);
      }
    }
  });
});

// Real Argon2id parameters (64 MiB, t = 3, p = 4): a few seconds each on a busy machine.
const ARGON2_TIMEOUT = 180_000;

describe("key files for Python", () => {
  it(
    "makes a key file in each suite with the command line's parameters",
    async () => {
      const made: KeyFileResponse["key_files"] = {} as KeyFileResponse["key_files"];
      for (const suite of ["MLKEM768-X25519", "X25519"] as const) {
        const { file, recoveryCode, publicKey, privateKey } = await createKeyFile(request.passphrase, suite);
        expect(file.passphrase.kdf).toEqual({ name: "argon2id", memory_cost: 65536, iterations: 3, lanes: 4 });
        expect(file.recovery.kdf).toEqual(file.passphrase.kdf);
        made[suite] = { file, recovery_code: recoveryCode, public_key: publicKey };
        if (!outputDir) {
          expect((await unlockKeyFile(file, request.passphrase)).fingerprint).toBe(privateKey.fingerprint);
        }
      }
      response.key_files = made;
    },
    ARGON2_TIMEOUT,
  );

  it(
    "sets a new passphrase on a key file made by Python, with its recovery code",
    async () => {
      const { file_text, recovery_code } = request.python_key_file;
      const renewed = await recoverKeyFile(file_text, recovery_code, request.new_passphrase);
      response.python_key_file_renewed = renewed;
      if (!outputDir) {
        const key = await unlockKeyFile(renewed, request.new_passphrase);
        expect(key.fingerprint).toBe(committed.keyfiles.X25519.fingerprint);
      }
    },
    ARGON2_TIMEOUT,
  );
});
