// Envelopes and receipts made by the browser's code, for the Python side to open.
//
// tests/unit/crypto/test_web_crypto_interop.py runs this file with
// SAFEHANDS_WEB_INTEROP_DIR set: it reads request.json there (the organisation, the
// bodies and Python-made VCP public keys of both suites) and writes response.json (the
// envelopes sealed here, a fresh receipt and what was derived from it), which pytest then
// opens with shared/crypto. Without the variable, it seals the same way to the committed
// Python-made keys of tests/vectors/python-crypto-v1.json and opens the result with their
// private keys, so it is a real round trip either way.

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

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
import { privateKeyFromBytes, type PrivateKey } from "./keys";
import { readVectors } from "./test-support";

interface Request {
  org_id: string;
  report_body: unknown;
  message_body: unknown;
  vcps: Record<Suite, PublicKeyJson[]>;
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
    };

const response: Partial<Record<Suite, SuiteResponse>> = {};

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
