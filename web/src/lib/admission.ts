// The admission pillar as the pages see it: applying, a volunteer's own file and signature,
// and the coordinator's list. Calls and plain rules only; the pages do the showing.
// Typed from intake's and policy's OpenAPI documents (lib/client.ts).
import { answer, client, type IntakeTypes, type PolicyTypes } from "./client";

type Policy = PolicyTypes["schemas"];
export type Stage = Policy["Stage"];
export const STAGES: readonly Stage[] = [
  "applied",
  "interviewed",
  "signed",
  "vog",
  "admitted",
  "rejected",
];
export type Step = Policy["AdmissionStep"];
export type VolunteerRow = Policy["VolunteerRow"];
export type RoleSummary = Policy["RoleSummary"];
export type VolunteerPage = Policy["VolunteerPage"];
export type CurrentCode = Policy["CurrentCode"];
export type Admission = Policy["AdmissionState"];
/** How a coordinator reaches an applicant (intake's `GET …/volunteers/{id}/contact`). */
export type Contact = IntakeTypes["schemas"]["Contact"];

// A page passes the access token it holds (lib/session.ts's accessToken, awaited).
const withToken = (token: string | null) => () => Promise.resolve(token);
const intake = (token: string | null = null) => client("intake", withToken(token));
const policy = (token: string | null = null) => client("policy", withToken(token));
const volunteer = (org: string, id: string) => ({ params: { path: { org, volunteer_id: id } } });

export interface SignatureReceipt {
  orgName: string;
  version: number;
  // When that version was published: with the number, what the volunteer knows it by.
  publishedAt: string | null;
  fullName: string;
  signedAt: string;
}

/** The day before an ISO date ("2027-01-06" → "2027-01-05"): a grace period's
 * `resign_before` is the first day without it, people are told the last day with it. */
export function lastDayBefore(isoDate: string): string {
  const day = new Date(`${isoDate.slice(0, 10)}T12:00:00Z`);
  day.setUTCDate(day.getUTCDate() - 1);
  return day.toISOString().slice(0, 10);
}

export const apply = (org: string, body: IntakeTypes["schemas"]["Application"]) =>
  answer(intake().POST("/v1/orgs/{org}/applications", { params: { path: { org } }, body }));

export const loadContact = (org: string, id: string, token: string | null) =>
  answer(intake(token).GET("/v1/orgs/{org}/volunteers/{volunteer_id}/contact", volunteer(org, id)));

/** A phone number as intake takes it (services/intake/domain/contact.py): digits with
 * spaces, +, -, ( ), . or / between them, at least 6 digits, at most 30 characters. */
export function phoneProblem(typed: string): boolean {
  const phone = typed.trim();
  if (!phone) return false;
  const digits = phone.replace(/\D/g, "").length;
  return phone.length > 30 || digits < 6 || !/^\+?[0-9 ()\-./]+$/.test(phone);
}

export const loadAdmission = (org: string, id: string, token: string | null) =>
  answer(policy(token).GET("/v1/orgs/{org}/volunteers/{volunteer_id}/admission", volunteer(org, id)));

export const loadVolunteer = (org: string, id: string, token: string | null) =>
  answer(policy(token).GET("/v1/orgs/{org}/volunteers/{volunteer_id}", volunteer(org, id)));

export const loadCurrentCode = (org: string) =>
  answer(policy().GET("/v1/orgs/{org}/codes/current", { params: { path: { org } } }));

export const signCode = (org: string, id: string, body: IntakeTypes["schemas"]["Signature"], token: string | null) =>
  answer(intake(token).POST("/v1/orgs/{org}/volunteers/{volunteer_id}/signature", { ...volunteer(org, id), body }));

export const recordInterview = (
  org: string,
  id: string,
  body: IntakeTypes["schemas"]["Interview"],
  token: string | null,
) => answer(intake(token).POST("/v1/orgs/{org}/volunteers/{volunteer_id}/interview", { ...volunteer(org, id), body }));

export const recordVog = (org: string, id: string, body: IntakeTypes["schemas"]["VOGRecord"], token: string | null) =>
  answer(intake(token).POST("/v1/orgs/{org}/volunteers/{volunteer_id}/vog", { ...volunteer(org, id), body }));

export interface ListQuery {
  state?: Stage | "";
  role_id?: string;
  q?: string;
  must_resign?: boolean;
  vog_due_within_days?: number;
  page?: number;
  page_size?: number;
  /** The board's list: policy writes the export to the audit log. */
  export?: boolean;
}

/** The list's query as policy takes it: only what is set, trimmed. */
export function listParams(query: ListQuery) {
  const q = query.q?.trim();
  return {
    ...(query.state ? { state: query.state } : {}),
    ...(query.role_id ? { role_id: query.role_id } : {}),
    ...(q ? { q } : {}),
    ...(query.must_resign ? { must_resign: true } : {}),
    ...(query.export ? { export: true } : {}),
    ...(query.vog_due_within_days !== undefined ? { vog_due_within_days: query.vog_due_within_days } : {}),
    page: query.page ?? 1,
    page_size: query.page_size ?? 25,
  };
}

export function listQueryString(query: ListQuery): string {
  return new URLSearchParams(Object.entries(listParams(query)).map(([key, value]) => [key, String(value)])).toString();
}

export const listVolunteers = (org: string, query: ListQuery, token: string | null) =>
  answer(policy(token).GET("/v1/orgs/{org}/volunteers", { params: { path: { org }, query: listParams(query) } }));

/** SHA-256 of the code's exact text (UTF-8), as the signature route checks it. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A date as YYYY-MM-DD in local time. */
export function isoDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export type VogDateProblem = "missing" | "future" | "too_old";

/** Why a VOG issue date cannot be handed in for a role, checked before any request:
 * not given, in the future, or older than the role's maximum age in days. */
export function vogDateProblem(
  issuedOn: string,
  maxAgeDays: number,
  today: string,
): VogDateProblem | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(issuedOn)) return "missing";
  if (issuedOn > today) return "future";
  const age = (Date.parse(today) - Date.parse(issuedOn)) / 86_400_000;
  if (age > maxAgeDays) return "too_old";
  return null;
}

/** The aspects a VOG for the role must screen: 84 for minors, 85 for vulnerable people. */
export function requiredAspects(role: RoleSummary | undefined): number[] {
  if (!role) return [];
  return [...(role.works_with_minors ? [84] : []), ...(role.works_with_vulnerable ? [85] : [])];
}

function csvCell(value: string): string {
  // A leading = + - @ would be read as a formula by spreadsheets: quote it away.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

// Dutch Excel opens a .csv by double-click with the system's list separator, which in the
// Netherlands is ";" (the comma is the decimal sign), and reads it as UTF-8 only after a byte
// order mark; without both it shows one column and "O8â€“O12". LibreOffice and Numbers read
// this form as well.
const CSV_SEPARATOR = ";";
const BYTE_ORDER_MARK = "\uFEFF";

/** The board's list of admitted volunteers as CSV: name, role, admitted on, VOG dates. */
export function admittedCsv(rows: VolunteerRow[], header: string[]): string {
  const lines = [header.map(csvCell).join(CSV_SEPARATOR)];
  for (const row of rows) {
    lines.push(
      [
        row.name ?? "",
        row.role_title ?? row.role_id,
        row.admitted_on ?? "",
        row.vog_issued_on ?? "",
        row.vog_renewal_due ?? "",
      ]
        .map(csvCell)
        .join(CSV_SEPARATOR),
    );
  }
  return BYTE_ORDER_MARK + lines.join("\r\n") + "\r\n";
}
