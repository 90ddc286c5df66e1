// The admission pillar as the pages see it: applying, a volunteer's own file and signature,
// and the coordinator's list. Calls and plain rules only; the pages do the showing.
import { getJson, postJson } from "./api";

export type Stage = "applied" | "interviewed" | "signed" | "vog" | "admitted" | "rejected";
export const STAGES: readonly Stage[] = [
  "applied",
  "interviewed",
  "signed",
  "vog",
  "admitted",
  "rejected",
];
export type Step = "interview" | "code_signature" | "vog";

export interface VolunteerRow {
  volunteer_id: string;
  name: string | null;
  role_id: string;
  role_title: string | null;
  stage: Stage;
  status: "pending" | "admitted" | "rejected";
  missing: Step[];
  signed_code_version: number | null;
  current_code_version: number | null;
  must_sign_again: boolean;
  vog_issued_on: string | null;
  vog_renewal_due: string | null;
  admitted_on: string | null;
  applied_at: string | null;
  // While the previous version's signature counts by a new version's grace period.
  resign_before?: string | null;
}

export interface RoleSummary {
  role_id: string;
  title: string;
  works_with_minors: boolean;
  works_with_vulnerable: boolean;
  vog_required: boolean;
  vog_max_age_days: number;
  vog_renewal_years: number;
}

export interface VolunteerPage {
  items: VolunteerRow[];
  total: number;
  page: number;
  page_size: number;
  pages: number;
  roles: RoleSummary[];
}

export interface CurrentCode {
  version: number;
  sha256: string;
  text: string;
  published_at?: string | null;
  resign_before?: string | null;
}

export interface Admission {
  status: "pending" | "admitted" | "rejected";
  missing: Step[];
}

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

const base = (org: string) => `/v1/orgs/${encodeURIComponent(org)}`;
const volunteerPath = (org: string, id: string) =>
  `${base(org)}/volunteers/${encodeURIComponent(id)}`;

export const apply = (
  org: string,
  body: { role_id: string; name: string; email: string; phone?: string; motivation?: string },
) =>
  postJson<{ application_id: string; volunteer_id: string }>(
    "intake",
    `${base(org)}/applications`,
    body,
  );

/** How a coordinator reaches an applicant (intake's `GET …/volunteers/{id}/contact`). */
export interface Contact {
  volunteer_id: string;
  name: string;
  email: string;
  phone: string | null;
  motivation: string | null;
  applied_at: string;
}

export const loadContact = (org: string, id: string, token: string | null) =>
  getJson<Contact>("intake", `${volunteerPath(org, id)}/contact`, token);

/** A phone number as intake takes it (services/intake/domain/contact.py): digits with
 * spaces, +, -, ( ), . or / between them, at least 6 digits, at most 30 characters. */
export function phoneProblem(typed: string): boolean {
  const phone = typed.trim();
  if (!phone) return false;
  const digits = phone.replace(/\D/g, "").length;
  return phone.length > 30 || digits < 6 || !/^\+?[0-9 ()\-./]+$/.test(phone);
}

export const loadAdmission = (org: string, id: string, token: string | null) =>
  getJson<Admission>("policy", `${volunteerPath(org, id)}/admission`, token);

export const loadVolunteer = (org: string, id: string, token: string | null) =>
  getJson<VolunteerRow>("policy", volunteerPath(org, id), token);

export const loadCurrentCode = (org: string) =>
  getJson<CurrentCode>("policy", `${base(org)}/codes/current`);

export const signCode = (
  org: string,
  id: string,
  body: { version: number; sha256: string; full_name: string },
  token: string | null,
) =>
  postJson<{ volunteer_id: string; recorded_at: string }>(
    "intake",
    `${volunteerPath(org, id)}/signature`,
    body,
    token,
  );

export const recordInterview = (
  org: string,
  id: string,
  body: { outcome: "proceed" | "reject" | "doubt"; notes?: string },
  token: string | null,
) => postJson("intake", `${volunteerPath(org, id)}/interview`, body, token);

export const recordVog = (
  org: string,
  id: string,
  body: { issued_on: string; screening_aspects: number[]; checked_by: string },
  token: string | null,
) => postJson("intake", `${volunteerPath(org, id)}/vog`, body, token);

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

export function listQueryString(query: ListQuery): string {
  const params = new URLSearchParams();
  if (query.state) params.set("state", query.state);
  if (query.role_id) params.set("role_id", query.role_id);
  if (query.q?.trim()) params.set("q", query.q.trim());
  if (query.must_resign) params.set("must_resign", "true");
  if (query.export) params.set("export", "true");
  if (query.vog_due_within_days !== undefined) {
    params.set("vog_due_within_days", String(query.vog_due_within_days));
  }
  params.set("page", String(query.page ?? 1));
  params.set("page_size", String(query.page_size ?? 25));
  return params.toString();
}

export const listVolunteers = (org: string, query: ListQuery, token: string | null) =>
  getJson<VolunteerPage>("policy", `${base(org)}/volunteers?${listQueryString(query)}`, token);

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
