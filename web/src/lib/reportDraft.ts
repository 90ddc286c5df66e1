// The reporter's draft and the keys it goes to: what the report page needs before sending,
// without the crypto. lib/reporting.ts seals and sends; the report page loads it once the
// reporter starts on the form (issue 26), so the first paint waits for none of it.
// The keys are typed from reports' OpenAPI document (lib/client.ts).
import { answer, client, type ReportsTypes } from "./client";

export const CATEGORIES = [
  "bullying",
  "discrimination",
  "sexual_intimidation",
  "aggression",
  "other",
] as const;
export type Category = (typeof CATEGORIES)[number];

/** `since`: the day (YYYY-MM-DD) the VCP set this key, null for a key older than the record;
 * `signing_key` verifies this VCP's messages (null for a key set by an older client);
 * `introduction` is what they wrote for reporters; `centre`: one of the regional centre's. */
export type VcpKey = ReportsTypes["schemas"]["VcpKey"];

export const loadVcpKeys = (org: string) =>
  answer(client("reports").GET("/v1/orgs/{org}/vcp-keys", { params: { path: { org } } }));

/** What the form holds, as typed. */
export interface ReportDraft {
  category: Category | "";
  description: string;
  occurredOn: string;
  location: string;
  wantsContact: boolean;
  contact: string;
}

export const emptyDraft = (): ReportDraft => ({
  category: "",
  description: "",
  occurredOn: "",
  location: "",
  wantsContact: false,
  contact: "",
});

/** Today in the reporter's own time zone, YYYY-MM-DD (no report happens in the future). */
export function localToday(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export type DraftProblem = "category" | "description" | "occurredOn" | "contact";

/** The fields the reporter still has to fix, in the order they appear on the page. */
export function draftProblems(draft: ReportDraft, today: string): DraftProblem[] {
  const problems: DraftProblem[] = [];
  if (!CATEGORIES.includes(draft.category as Category)) problems.push("category");
  if (!draft.description.trim()) problems.push("description");
  if (draft.occurredOn && draft.occurredOn > today) problems.push("occurredOn");
  if (draft.wantsContact && !draft.contact.trim()) problems.push("contact");
  return problems;
}

/** API.md's report body: optional fields left out when empty, contact only when wanted. */
export function reportBody(draft: ReportDraft): Record<string, unknown> {
  const body: Record<string, unknown> = {
    category: draft.category,
    description: draft.description.trim(),
  };
  if (draft.occurredOn) body.occurred_on = draft.occurredOn;
  if (draft.location.trim()) body.location = draft.location.trim();
  body.wants_contact = draft.wantsContact;
  if (draft.wantsContact && draft.contact.trim()) body.contact = draft.contact.trim();
  return body;
}

export function draftKey(draft: ReportDraft): string {
  return JSON.stringify(reportBody(draft));
}

/**
 * The keys a report is sealed to at the moment of sending (issue 24), from the keys the page
 * showed (`shown`), the vcp_ids the reporter kept chosen, and the keys as they are now. A
 * reporter who left nobody out writes to every VCP, one appointed meanwhile included; one
 * who left someone out writes to those they chose who still have a key. Empty when none of
 * them does: the page asks again rather than send to someone not chosen.
 */
export function recipientsAtSending(
  shown: readonly VcpKey[],
  chosen: readonly string[],
  current: VcpKey[],
): VcpKey[] {
  const leftNobodyOut = shown.every((k) => chosen.includes(k.vcp_id));
  return leftNobodyOut ? current : current.filter((k) => chosen.includes(k.vcp_id));
}
