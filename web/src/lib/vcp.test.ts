import { describe, expect, it, vi } from "vitest";

import {
  forgetPrivateKey,
  generateKeyPair,
  messageContext,
  open,
  reportContext,
  seal,
  fingerprint,
  type PublicKeyJson,
} from "../crypto";
import {
  countsFor,
  handoverFor,
  isOverdue,
  openCase,
  quarterOf,
  sortInbox,
  type CaseSummary,
  type RawCase,
  type VcpKey,
} from "./vcp";

vi.setConfig({ testTimeout: 60_000 });

const ORG = "demo";
const REPORT = "5b032f37-80a4-4916-95ee-14c8bcc8fd01";
const MESSAGE = "0c8f2b0e-5f2c-4a7e-9d55-2f0a4b0c1d11";

function row(id: string, fields: Partial<CaseSummary>): CaseSummary {
  return {
    report_id: id,
    received_at: "2026-10-01T10:00:00+00:00",
    status: "received",
    acknowledge_by: "2026-10-08T10:00:00+00:00",
    feedback_by: "2026-12-31T10:00:00+00:00",
    ...fields,
  };
}

describe("the inbox", () => {
  it("puts overdue cases first, then the nearest deadline, then the oldest", () => {
    const rows = [
      row("later", { overdue: false, next_deadline: "2026-12-20T00:00:00+00:00" }),
      row("overdue", { overdue: true, next_deadline: "2026-11-01T00:00:00+00:00" }),
      row("sooner", { overdue: false, next_deadline: "2026-12-10T00:00:00+00:00" }),
    ];
    expect(sortInbox(rows).map((r) => r.report_id)).toEqual(["overdue", "sooner", "later"]);
  });

  it("judges overdue by the clock when the service does not say", () => {
    const now = Date.parse("2026-10-09T00:00:00Z");
    expect(isOverdue(row("a", {}), now)).toBe(true);
    expect(isOverdue(row("b", { status: "acknowledged" }), now)).toBe(false);
    expect(isOverdue(row("c", { status: "closed", feedback_by: "2026-01-01T00:00:00Z" }), now)).toBe(false);
  });
});

describe("quarterly numbers", () => {
  it("name the quarter in UTC", () => {
    expect(quarterOf("2026-12-31T23:30:00+00:00")).toBe("2026Q4");
    expect(quarterOf("2027-01-01T00:30:00+01:00")).toBe("2026Q4");
    expect(quarterOf("2026-04-01T00:00:00Z")).toBe("2026Q2");
  });

  it("count only that quarter, every category present", () => {
    const counts = countsFor(
      [
        { receivedAt: "2026-10-02T00:00:00Z", category: "bullying" },
        { receivedAt: "2026-11-02T00:00:00Z", category: "bullying" },
        { receivedAt: "2026-11-03T00:00:00Z", category: "aggression" },
        { receivedAt: "2026-07-03T00:00:00Z", category: "aggression" },
      ],
      "2026Q4",
    );
    expect(counts).toEqual({
      bullying: 2,
      discrimination: 0,
      sexual_intimidation: 0,
      aggression: 1,
      other: 0,
    });
  });
});

async function aCase(recipients: PublicKeyJson[], replyKey: PublicKeyJson): Promise<RawCase> {
  return {
    ...row(REPORT, {}),
    envelope: await seal(
      { category: "bullying", description: "Hij lachte me uit.", wants_contact: false },
      reportContext(ORG, REPORT),
      recipients,
    ),
    reply_key: replyKey,
    messages: [
      {
        message_id: MESSAGE,
        from: "vcp",
        at: "2026-10-02T10:00:00+00:00",
        vcp_id: "anna",
        envelope: await seal({ text: "Dank je." }, messageContext(ORG, REPORT, MESSAGE), [
          replyKey,
          ...recipients,
        ]),
      },
    ],
  };
}

describe("a case in the browser", () => {
  it("opens with the VCP's key, marks what is not for it, and hands over what it opens", async () => {
    const anna = await generateKeyPair("X25519");
    const bram = await generateKeyPair("X25519");
    const reporter = await generateKeyPair("X25519");
    const raw = await aCase([anna.publicKey], reporter.publicKey);

    const opened = await openCase(ORG, raw, anna.privateKey);
    expect(opened.report?.description).toBe("Hij lachte me uit.");
    expect(opened.messages.map((m) => [m.vcpId, m.text])).toEqual([["anna", "Dank je."]]);

    const notYet = await openCase(ORG, raw, bram.privateKey);
    expect(notYet.report).toBeNull();
    expect(notYet.reportProblem).toBe("not-for-this-key");
    expect(notYet.messages[0]?.problem).toBe("not-for-this-key");

    const target: VcpKey = {
      vcp_id: "bram",
      public_key: bram.publicKey,
      fingerprint: await fingerprint(bram.publicKey),
      name: null,
      signing_key: null,
      since: null,
      introduction: null,
      centre: false,
    };
    const handover = await handoverFor(ORG, raw, anna.privateKey, target);
    expect(handover.vcp_id).toBe("bram");
    expect(Object.keys(handover.messages)).toEqual([MESSAGE]);
    // The server adds the entries to the envelopes; then Bram opens everything.
    const shared: RawCase = {
      ...raw,
      envelope: { ...raw.envelope, recipients: [...raw.envelope.recipients, handover.report!] },
      messages: raw.messages.map((m) => ({
        ...m,
        envelope: { ...m.envelope, recipients: [...m.envelope.recipients, handover.messages[m.message_id]!] },
      })),
    };
    const forBram = await openCase(ORG, shared, bram.privateKey);
    expect(forBram.report?.description).toBe("Hij lachte me uit.");
    expect(forBram.messages[0]?.text).toBe("Dank je.");
    // Nothing is handed over twice.
    expect(await handoverFor(ORG, shared, anna.privateKey, target)).toEqual({ vcp_id: "bram", messages: {} });
  });

  it("forgets a key: it opens nothing afterwards", async () => {
    const anna = await generateKeyPair("X25519");
    const envelope = await seal({ text: "x" }, reportContext(ORG, REPORT), [anna.publicKey]);
    expect(await open(envelope, reportContext(ORG, REPORT), anna.privateKey)).toEqual({ text: "x" });
    forgetPrivateKey(anna.privateKey);
    await expect(open(envelope, reportContext(ORG, REPORT), anna.privateKey)).rejects.toThrow();
  });
});
