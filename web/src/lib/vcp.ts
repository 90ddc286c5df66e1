// The VCP's side of API.md, in the browser: the inbox, a case opened with the VCP's own key,
// replies sealed here, status, quarterly counts and hand-over. The private key is passed in
// by the page and never leaves this module's functions; only envelopes are sent.
import { writable } from "svelte/store";
import {
  CannotOpen,
  NotARecipient,
  messageContext,
  open,
  reportContext,
  resealContentKey,
  seal,
  signMessage,
  signingPublicKey,
  type Envelope,
  type PrivateKey,
  type PublicKeyJson,
  type Recipient,
} from "../crypto";
// Typed from reports' OpenAPI document (lib/client.ts). The case routes' answers are still
// objects of any fields in the contract: their shapes below are named here until reports
// types them (typedRequests.test.ts lists them).
import { answer, client, untypedAnswer, type ReportsTypes } from "./client";
import { attachmentsOf, type AttachmentRef } from "./attachments";
import {
  CATEGORIES,
  keysOfCase,
  loadVcpKeys,
  type Category,
  type ReportStatus,
  type VcpKey,
} from "./reporting";

export { loadVcpKeys, type VcpKey };

export interface CaseSummary {
  report_id: string;
  received_at: string;
  status: ReportStatus;
  acknowledge_by: string | null;
  feedback_by: string | null;
  overdue?: boolean;
  next_deadline?: string | null;
  /** The reporter reported or wrote since this VCP last opened the case. */
  unread?: boolean;
}

/** How many cases in the inbox are unread: the tab's title shows it ("(1) …"). */
export const unreadCases = writable(0);

interface RawMessage {
  message_id: string;
  from: "vcp" | "reporter";
  at: string;
  envelope: Envelope;
  vcp_id?: string | null;
}

export interface RawCase extends CaseSummary {
  envelope: Envelope;
  reply_key: PublicKeyJson;
  /** The current keys of the VCPs in the case: the conversation is sealed to these. */
  case_keys?: string[];
  /** The VCPs the reporter chose not to write to: the case is never handed to them. */
  left_out?: string[];
  messages: RawMessage[];
}

/** The report as the reporter wrote it (API.md's report body). */
export interface ReportContent {
  category: string;
  description: string;
  occurred_on?: string;
  location?: string;
  people_involved?: string;
  wants_contact?: boolean;
  contact?: string;
}

export interface CaseMessage {
  messageId: string;
  from: "vcp" | "reporter";
  at: string;
  vcpId: string | null;
  /** null when this key cannot read it; `problem` then says why. */
  text: string | null;
  problem: "not-for-this-key" | "altered" | null;
  /** The files on a VCP's reply (their keys from the opened message); none otherwise. */
  attachments?: AttachmentRef[];
}

export interface OpenedCase {
  summary: CaseSummary;
  raw: RawCase;
  /** null when the report is sealed to other keys only (not handed to this VCP yet). */
  report: ReportContent | null;
  reportProblem: "not-for-this-key" | "altered" | null;
  messages: CaseMessage[];
}

// A page passes the access token it holds (lib/session.ts's accessToken, awaited).
const reports = (token: string) => client("reports", () => Promise.resolve(token));
const of = (org: string) => ({ params: { path: { org } } });
const ofReport = (org: string, reportId: string) => ({ params: { path: { org, report_id: reportId } } });
const ofVcp = (org: string, vcpId: string) => ({ params: { path: { org, vcp_id: vcpId } } });

export const listReports = (org: string, token: string) =>
  untypedAnswer<CaseSummary[]>(reports(token).GET("/v1/orgs/{org}/reports", of(org)));

export const fetchCase = (org: string, reportId: string, token: string) =>
  untypedAnswer<RawCase>(reports(token).GET("/v1/orgs/{org}/reports/{report_id}", ofReport(org, reportId)));

/** One key in the organisation's key history (GET …/vcp-key-history). */
export type KeyHistoryEntry = ReportsTypes["schemas"]["KeyHistoryEntry"];

export const loadKeyHistory = (org: string, token: string) =>
  answer(reports(token).GET("/v1/orgs/{org}/vcp-key-history", of(org)));

/** Overdue first, then the next deadline, then the oldest (as the service and the CLI). */
export function sortInbox(rows: CaseSummary[]): CaseSummary[] {
  const next = (row: CaseSummary) =>
    row.next_deadline ?? (row.status === "received" ? row.acknowledge_by : row.feedback_by) ?? "~";
  return [...rows].sort(
    (a, b) =>
      Number(!isOverdue(a)) - Number(!isOverdue(b)) ||
      (next(a) < next(b) ? -1 : next(a) > next(b) ? 1 : 0) ||
      (a.received_at < b.received_at ? -1 : a.received_at > b.received_at ? 1 : 0),
  );
}

/** Whether a deadline of this case has passed (the service says so; the clock as fallback). */
export function isOverdue(row: CaseSummary, now: number = Date.now()): boolean {
  if (typeof row.overdue === "boolean") return row.overdue;
  if (row.status === "closed") return false;
  const due = row.status === "received" ? row.acknowledge_by : row.feedback_by;
  return due !== null && Date.parse(due) < now;
}

function problemOf(error: unknown): "not-for-this-key" | "altered" {
  if (error instanceof NotARecipient) return "not-for-this-key";
  if (error instanceof CannotOpen) return "altered";
  throw error;
}

function isReportContent(body: unknown): body is ReportContent {
  return (
    !!body &&
    typeof body === "object" &&
    typeof (body as { category?: unknown }).category === "string" &&
    typeof (body as { description?: unknown }).description === "string"
  );
}

/** Decrypt a case and every message with `key`; what this key cannot open is marked, not thrown. */
export async function openCase(org: string, raw: RawCase, key: PrivateKey): Promise<OpenedCase> {
  let report: ReportContent | null = null;
  let reportProblem: OpenedCase["reportProblem"] = null;
  try {
    const body = await open(raw.envelope, reportContext(org, raw.report_id), key);
    if (isReportContent(body)) report = body;
    else reportProblem = "altered";
  } catch (error) {
    reportProblem = problemOf(error);
  }
  const messages: CaseMessage[] = [];
  for (const m of raw.messages) {
    const base = { messageId: m.message_id, from: m.from, at: m.at, vcpId: m.vcp_id ?? null };
    try {
      const body = await open(m.envelope, messageContext(org, raw.report_id, m.message_id), key);
      const text = (body as { text?: unknown } | null)?.text;
      messages.push(
        typeof text === "string"
          ? { ...base, text, problem: null, attachments: attachmentsOf(body) }
          : { ...base, text: null, problem: "altered" },
      );
    } catch (error) {
      messages.push({ ...base, text: null, problem: problemOf(error) });
    }
  }
  const summary: CaseSummary = {
    report_id: raw.report_id,
    received_at: raw.received_at,
    status: raw.status,
    acknowledge_by: raw.acknowledge_by,
    feedback_by: raw.feedback_by,
    overdue: raw.overdue,
    next_deadline: raw.next_deadline,
  };
  return { summary, raw, report, reportProblem, messages };
}

/**
 * A reply to the reporter: sealed to their reply key and the case's VCPs, signed with the
 * signing key derived from the VCP's own key (so the reporter can tell it from a message
 * written straight into the database), then posted.
 */
export async function sendReply(
  org: string,
  raw: RawCase,
  text: string,
  messageId: string,
  token: string,
  key: PrivateKey,
  attachments: AttachmentRef[] = [],
): Promise<void> {
  const keys = keysOfCase(await loadVcpKeys(org), raw.case_keys ?? null);
  const envelope = await seal(
    // Files (lib/replyAttachments.ts) travel as their keys inside the sealed reply.
    attachments.length > 0 ? { text, attachments } : { text },
    messageContext(org, raw.report_id, messageId),
    [raw.reply_key, ...keys.map((k) => k.public_key)],
  );
  await answer(
    reports(token).POST("/v1/orgs/{org}/reports/{report_id}/messages", {
      ...ofReport(org, raw.report_id),
      body: { message_id: messageId, envelope, signature: signMessage(key, org, raw.report_id, messageId, envelope) },
    }),
  );
}

export type SettableStatus = "acknowledged" | "in_progress" | "closed";
export const SETTABLE_STATUSES: readonly SettableStatus[] = ["acknowledged", "in_progress", "closed"];

export const changeStatus = (org: string, reportId: string, status: SettableStatus, token: string) =>
  untypedAnswer<CaseSummary>(
    reports(token).POST("/v1/orgs/{org}/reports/{report_id}/status", { ...ofReport(org, reportId), body: { status } }),
  );

export interface Handover {
  vcp_id: string;
  report?: Recipient;
  messages: Record<string, Recipient>;
}

/**
 * The hand-over body `safehands vcp share` posts: the content key of the report and of every
 * message re-sealed to the other VCP's key, here in the browser. What is already sealed to
 * them is left out; what this key cannot open cannot be handed over (NotARecipient).
 */
export async function handoverFor(
  org: string,
  raw: RawCase,
  key: PrivateKey,
  target: VcpKey,
): Promise<Handover> {
  const handover: Handover = { vcp_id: target.vcp_id, messages: {} };
  const sealed: [string, Envelope, string | null][] = [
    [reportContext(org, raw.report_id), raw.envelope, null],
    ...raw.messages.map(
      (m) => [messageContext(org, raw.report_id, m.message_id), m.envelope, m.message_id] as [string, Envelope, string],
    ),
  ];
  for (const [context, envelope, messageId] of sealed) {
    if (envelope.recipients.some((r) => r.key_id === target.fingerprint)) continue;
    const entry = await resealContentKey(envelope, context, key, target.public_key);
    if (messageId === null) handover.report = entry;
    else handover.messages[messageId] = entry;
  }
  return handover;
}

export const postHandover = (org: string, reportId: string, handover: Handover, token: string) =>
  answer(reports(token).POST("/v1/orgs/{org}/reports/{report_id}/keys", { ...ofReport(org, reportId), body: handover }));

/** "2026Q4" for a date (UTC, as the service counts). */
export function quarterOf(iso: string): string {
  const date = new Date(iso);
  return `${date.getUTCFullYear()}Q${Math.floor(date.getUTCMonth() / 3) + 1}`;
}

/** Counts per category of the reports received in `quarter`; every category, zeros included. */
export function countsFor(
  cases: { receivedAt: string; category: string }[],
  quarter: string,
): Record<Category, number> {
  const counts = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;
  for (const c of cases) {
    if (quarterOf(c.receivedAt) !== quarter) continue;
    const category = (CATEGORIES as readonly string[]).includes(c.category) ? (c.category as Category) : "other";
    counts[category] += 1;
  }
  return counts;
}

export const releaseStatistics = (
  org: string,
  quarter: string,
  counts: Record<Category, number>,
  token: string,
) => answer(reports(token).POST("/v1/orgs/{org}/stats", { ...of(org), body: { quarter, counts } }));

/** The VCP's introduction for reporters (at most 500 characters; empty clears it). */
export const saveIntroduction = (org: string, vcpId: string, introduction: string, token: string) =>
  answer(reports(token).PUT("/v1/orgs/{org}/vcps/{vcp_id}/introduction", { ...ofVcp(org, vcpId), body: { introduction } }));

export const INTRODUCTION_MAX_LENGTH = 500;

/** An appointed VCP as `GET …/vcps` lists them (admin, vcp); a centre VCP's `accepted` is
 * false until they answered yes. */
export type AppointedVcp = ReportsTypes["schemas"]["AppointedVcp"];

export const loadAppointedVcps = (org: string, token: string) => answer(reports(token).GET("/v1/orgs/{org}/vcps", of(org)));

/** A centre VCP's answer to the organisation's request (issue 24). */
export const answerCentreRequest = (org: string, vcpId: string, accept: boolean, token: string) =>
  untypedAnswer<{ vcp_id: string; accepted: boolean }>(
    reports(token).POST("/v1/orgs/{org}/vcps/{vcp_id}/acceptance", { ...ofVcp(org, vcpId), body: { accept } }),
  );

/** Register the VCP's key, with the signing key derived from it that verifies their messages. */
export const registerPublicKey = (org: string, vcpId: string, key: PrivateKey, token: string) =>
  answer(
    reports(token).PUT("/v1/orgs/{org}/vcps/{vcp_id}/public-key", {
      ...ofVcp(org, vcpId),
      body: { public_key: key.publicKey, signing_key: signingPublicKey(key) },
    }),
  );
