// The reporter's side of API.md: what the report and follow-up pages send and read.
// Everything the reporter writes is sealed here, in the browser, before it is sent; the
// receipt never leaves this module's callers (only the mailbox secret and lookup derived
// from it do).
import {
  CannotOpen,
  NotARecipient,
  deriveFromReceipt,
  messageContext,
  newReceipt,
  open,
  reportContext,
  seal,
  type Envelope,
  type PublicKeyJson,
  type Suite,
  verifyMessage,
} from "../crypto";
// Requests through the typed client (lib/client.ts); the mailbox's answer is still an object
// of any fields in reports' contract, named here (MailboxAnswer) until reports types it.
import { ApiError } from "./api";
import { answer as answerOf, client, untypedAnswer } from "./client";
import { attachmentsOf, uploadFile, type AttachmentRef, type PreparedFile } from "./attachments";
export type { PublicOrganisation, PublicRole } from "./organisation";
import { draftKey, loadVcpKeys, reportBody, type ReportDraft, type VcpKey } from "./reportDraft";
export * from "./reportDraft";

/** A report ready to send: kept while the draft is unchanged, so a retry sends the same. */
export interface PreparedReport {
  reportId: string;
  receipt: string;
  draftKey: string;
  /** The files uploaded for it (issue 24): other files mean another report. */
  files: readonly PreparedFile[];
  submission: {
    report_id: string;
    envelope: Envelope;
    mailbox: { lookup: string; reply_key: PublicKeyJson };
  };
}

function suiteOf(keys: VcpKey[]): Suite {
  return keys[0]?.public_key.suite ?? "MLKEM768-X25519";
}

/**
 * Seal the draft to the chosen VCP keys and derive the mailbox from a new receipt. The files
 * are encrypted and uploaded first, for this report's id; each one's key goes into the
 * sealed body (issue 24).
 */
export async function prepareReport(
  org: string,
  draft: ReportDraft,
  keys: VcpKey[],
  files: readonly PreparedFile[] = [],
): Promise<PreparedReport> {
  const reportId = globalThis.crypto.randomUUID();
  const receipt = newReceipt();
  const body = reportBody(draft);
  if (files.length > 0) {
    const refs = [];
    for (const file of files) refs.push(await uploadFile(org, reportId, file));
    body.attachments = refs;
  }
  const envelope = await seal(
    body,
    reportContext(org, reportId),
    keys.map((k) => k.public_key),
  );
  const mailbox = await deriveFromReceipt(receipt, org, suiteOf(keys));
  return {
    reportId,
    receipt,
    draftKey: draftKey(draft),
    files,
    submission: {
      report_id: reportId,
      envelope,
      mailbox: { lookup: mailbox.lookup, reply_key: mailbox.replyPublicKey },
    },
  };
}

/**
 * Send a prepared report. On a retry, 409 ("this report_id is taken") means the earlier
 * attempt did arrive and only its answer was lost: the report_id is a fresh random uuid.
 */
export async function sendReport(
  org: string,
  prepared: PreparedReport,
  isRetry: boolean,
): Promise<void> {
  try {
    await answerOf(
      client("intake").POST("/v1/orgs/{org}/reports", { params: { path: { org } }, body: prepared.submission }),
    );
  } catch (error) {
    if (isRetry && error instanceof ApiError && error.status === 409) return;
    throw error;
  }
}

export type ReportStatus = "received" | "acknowledged" | "in_progress" | "closed";

export interface MailboxMessage {
  messageId: string;
  from: "vcp" | "reporter";
  at: string;
  /** The decrypted text; null when this browser cannot open it (the reporter's own). */
  text: string | null;
  unreadable: boolean;
  /** A "VCP" message without a valid signature of a current VCP: its text is not shown. */
  forged: boolean;
  /** The files on a VCP's reply, with their keys from the opened reply; none otherwise. */
  attachments?: AttachmentRef[];
}

export interface Mailbox {
  reportId: string;
  /** The keys of the VCPs in the case, which an answer is sealed to (null: every VCP key). */
  caseKeys: string[] | null;
  status: ReportStatus;
  acknowledgeBy: string | null;
  feedbackBy: string | null;
  messages: MailboxMessage[];
}

/** The mailbox secret and reply key, held in memory while the follow-up page is open. */
export interface MailboxAccess {
  secret: string;
  open(envelope: Envelope, context: string): Promise<unknown>;
}

interface MailboxAnswer {
  report_id: string;
  case_keys?: string[];
  status: ReportStatus;
  acknowledge_by?: string;
  feedback_by?: string;
  messages: {
    message_id: string;
    from: "vcp" | "reporter";
    at: string;
    envelope: Envelope;
    signature?: string;
    signed_by?: string;
  }[];
}

/**
 * Whether a VCP message may be shown (docs/api.md, "Signed VCP messages"): it must carry a
 * valid signature by the signing key of the current VCP it names. Only while no current VCP
 * has a signing key yet (all set their key with an older client) is an unsigned message
 * shown, since there is nothing to check it against. The check uses the current keys only
 * (the key history is not public), so a dismissed VCP's or a replaced key's messages fail.
 */
export function signatureHolds(
  org: string,
  reportId: string,
  message: MailboxAnswer["messages"][number],
  keys: VcpKey[],
): boolean {
  if (!keys.some((k) => k.signing_key)) return true;
  const signer = keys.find((k) => k.vcp_id === message.signed_by);
  if (!signer?.signing_key || !message.signature) return false;
  return verifyMessage(signer.signing_key, message.signature, org, reportId, message.message_id, message.envelope);
}

export async function accessFromReceipt(
  org: string,
  receipt: string,
  keys: VcpKey[],
): Promise<MailboxAccess> {
  const derived = await deriveFromReceipt(receipt, org, suiteOf(keys));
  return {
    secret: derived.mailboxSecret,
    open: (envelope, context) => open(envelope, context, derived.replyPrivateKey),
  };
}

function textOf(body: unknown): string | null {
  if (body && typeof body === "object" && "text" in body) {
    const text = (body as { text: unknown }).text;
    return typeof text === "string" ? text : null;
  }
  return null;
}

/** The status, deadlines and messages; the VCP's messages opened with the reply key. */
export async function readMailbox(org: string, access: MailboxAccess): Promise<Mailbox> {
  const answer = await untypedAnswer<MailboxAnswer>(
    client("reports").POST("/v1/orgs/{org}/mailbox", { params: { path: { org } }, body: { secret: access.secret } }),
  );
  // Fetched anew on every read: the signing keys as the organisation publishes them now.
  const keys = answer.messages.some((m) => m.from === "vcp") ? await loadVcpKeys(org) : [];
  const messages: MailboxMessage[] = [];
  for (const m of answer.messages) {
    if (m.from === "vcp" && !signatureHolds(org, answer.report_id, m, keys)) {
      // Not opened at all: whoever wrote it may be asking for details that identify.
      messages.push({ messageId: m.message_id, from: m.from, at: m.at, text: null, unreadable: false, forged: true });
      continue;
    }
    let text: string | null = null;
    let unreadable: boolean;
    let attachments: AttachmentRef[] = [];
    try {
      const body = await access.open(m.envelope, messageContext(org, answer.report_id, m.message_id));
      text = textOf(body);
      if (m.from === "vcp" && text !== null) attachments = attachmentsOf(body);
      unreadable = text === null && m.from === "vcp";
    } catch (error) {
      if (!(error instanceof NotARecipient || error instanceof CannotOpen)) throw error;
      // The reporter's own messages are sealed to the VCPs alone: not ours to open.
      unreadable = m.from === "vcp";
    }
    messages.push({ messageId: m.message_id, from: m.from, at: m.at, text, unreadable, forged: false, attachments });
  }
  return {
    reportId: answer.report_id,
    caseKeys: answer.case_keys ?? null,
    status: answer.status,
    acknowledgeBy: answer.acknowledge_by ?? null,
    feedbackBy: answer.feedback_by ?? null,
    messages,
  };
}

/**
 * The current keys among `caseKeys` (fingerprints): only the VCPs in the case read the
 * conversation. Every key when the server named none (an older server).
 */
export function keysOfCase(keys: VcpKey[], caseKeys: readonly string[] | null): VcpKey[] {
  return caseKeys === null ? keys : keys.filter((k) => caseKeys.includes(k.fingerprint));
}

/** The reporter's answer, sealed to the keys of the VCPs in the case. */
export async function sendAnswer(
  org: string,
  reportId: string,
  access: MailboxAccess,
  text: string,
  messageId: string,
  caseKeys: readonly string[] | null = null,
): Promise<void> {
  const keys = keysOfCase(await loadVcpKeys(org), caseKeys);
  const envelope = await seal(
    { text },
    messageContext(org, reportId, messageId),
    keys.map((k) => k.public_key),
  );
  await answerOf(
    client("reports").POST("/v1/orgs/{org}/mailbox/messages", {
      params: { path: { org } },
      body: { secret: access.secret, message_id: messageId, envelope },
    }),
  );
}

export type ReceiptCheck =
  | { ok: true; receipt: string }
  | { ok: false; problem: "length"; count: number }
  | { ok: false; problem: "characters" };

const BASE32 = /^[A-Z2-7]+$/;

/**
 * The receipt as typed, made ready for use (API.md: upper-case, spaces and dashes out), or
 * why it cannot be one — decided before any request is made.
 */
export function checkReceipt(typed: string): ReceiptCheck {
  const receipt = typed.replace(/[\s\-‐‑‒–—]/g, "").toUpperCase();
  if (receipt.length !== 26) return { ok: false, problem: "length", count: receipt.length };
  if (!BASE32.test(receipt)) return { ok: false, problem: "characters" };
  return { ok: true, receipt };
}
