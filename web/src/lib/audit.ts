// The organisation's audit log (docs/api.md "Audit log"): every service keeps its own chain,
// so the page asks all five and shows their entries merged by the hour they record.
// Typed from the services' OpenAPI documents (lib/client.ts): the route is the same in each.
import type { Service } from "./api";
import { answer, client, type PolicyTypes } from "./client";
import { downloadFile } from "./files";
import { accessToken } from "./session";

export const AUDIT_SERVICES: readonly Service[] = ["identity", "policy", "reports", "intake", "notify"];

/** The actions the services log, in the order the filter offers them. */
export const AUDIT_ACTIONS = [
  "organisation.registered",
  "member.added",
  "member.roles_changed",
  "member.removed",
  "member.signed_in",
  "passkey.added",
  "passkey.removed",
  "session.ended",
  "operator.added",
  "operator.removed",
  "vcp.appointed",
  "vcp.key_set",
  "vcp.introduction_set",
  "vcp.accepted",
  "vcp.declined",
  "vcp.case_handed_over",
  "vcp.dismissed",
  "code.published",
  "role.defined",
  "role.listing_changed",
  "settings.changed",
  "statistics.released",
  "volunteer.interview_recorded",
  "volunteer.vog_recorded",
  "volunteer.file_opened",
  "volunteers.exported",
  "webhook.subscribed",
  "webhook.removed",
  "advice.requested",
  "advice.answered",
  "consultation.opened",
  "consultation.commented",
  "consultation.answered",
  "consultation.closed",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export type AuditEntry = PolicyTypes["schemas"]["AuditEntry"];

export interface AuditFilter {
  person?: string;
  action?: string;
  from?: string;
  to?: string;
}

export function auditQuery(filter: AuditFilter): string {
  const params = new URLSearchParams();
  if (filter.person?.trim()) params.set("person", filter.person.trim());
  if (filter.action) params.set("action", filter.action);
  if (filter.from) params.set("from", filter.from);
  if (filter.to) params.set("to", filter.to);
  const query = params.toString();
  return query ? `?${query}` : "";
}

/** Entries merged from every service, newest first (by hour, then service and seq). */
/** An entry's key in a list: each organisation's chains count their `seq` from 1, so a list
 * of several organisations' entries (the operator's) needs the organisation too. */
export function entryKey(entry: Pick<AuditEntry, "org_id" | "service" | "seq">): string {
  return `${entry.org_id}/${entry.service}/${entry.seq}`;
}

export function mergeEntries(lists: AuditEntry[][]): AuditEntry[] {
  return lists
    .flat()
    .sort(
      (a, b) =>
        b.at.localeCompare(a.at) || a.service.localeCompare(b.service) || b.seq - a.seq,
    );
}

/** The filter as each service's `GET …/audit` takes it: only what is set. */
function auditParams(filter: AuditFilter) {
  const person = filter.person?.trim();
  return {
    ...(person ? { person } : {}),
    ...(filter.action ? { action: filter.action } : {}),
    ...(filter.from ? { from: filter.from } : {}),
    ...(filter.to ? { to: filter.to } : {}),
  };
}

type AuditQuery = { params: { path: { org: string }; query: ReturnType<typeof auditParams> } };
const readLog: Record<Service, (query: AuditQuery) => Promise<AuditEntry[]>> = {
  identity: (query) => answer(client("identity", accessToken).GET("/v1/orgs/{org}/audit", query)),
  policy: (query) => answer(client("policy", accessToken).GET("/v1/orgs/{org}/audit", query)),
  reports: (query) => answer(client("reports", accessToken).GET("/v1/orgs/{org}/audit", query)),
  intake: (query) => answer(client("intake", accessToken).GET("/v1/orgs/{org}/audit", query)),
  notify: (query) => answer(client("notify", accessToken).GET("/v1/orgs/{org}/audit", query)),
};

/** The log of the organisation as this person may see it, from every service's chain. */
export async function loadAuditLog(org: string, filter: AuditFilter): Promise<AuditEntry[]> {
  const query = { params: { path: { org }, query: auditParams(filter) } };
  const lists = await Promise.all(AUDIT_SERVICES.map((service) => readLog[service](query)));
  return mergeEntries(lists);
}

/** The platform's actions the operator sees (organisations registered), from the log of each
 * of these organisations: policy keeps `organisation.*` in each organisation's chain. */
export async function loadPlatformLog(orgs: readonly string[]): Promise<AuditEntry[]> {
  const lists = await Promise.all(
    orgs.map((org) => readLog.policy({ params: { path: { org }, query: { action: "organisation" } } })),
  );
  return mergeEntries(lists);
}

/** The regional centre's own log (its fallback contacts, news, trainings and their
 * registrations), kept under the tenant `regional-centre`: every entry, for the operators. */
export const REGIONAL_CENTRE = "regional-centre";

export function loadCentreLog(): Promise<AuditEntry[]> {
  return loadAuditLog(REGIONAL_CENTRE, {});
}

/** The log as workbooks, one per service's chain (each chain is kept by its own service, and
 * only the service can vouch for its hashes): `format=xlsx` of docs/api.md "Audit log".
 * Bytes, not JSON: lib/files.ts saves them. */
export async function downloadAuditXlsx(
  org: string,
  filter: AuditFilter,
  services: readonly Service[] = AUDIT_SERVICES,
): Promise<void> {
  const query = auditQuery(filter);
  const path = `/v1/orgs/${encodeURIComponent(org)}/audit${query}${query ? "&" : "?"}format=xlsx`;
  for (const service of services) {
    await downloadFile(service, path, `audit-${org}-${service}.xlsx`);
  }
}

function csvCell(value: string): string {
  // A leading = + - @ would be read as a formula by spreadsheets: quote it away.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The entries as CSV, with their hashes, so that the chain can be checked from the file. */
export function auditCsv(entries: AuditEntry[], actionName: (action: string) => string): string {
  const header = [
    "at",
    "service",
    "seq",
    "actor_sub",
    "actor_role",
    "action",
    "action_text",
    "object_type",
    "object_id",
    "prev_hash",
    "hash",
  ];
  const rows = entries.map((e) =>
    [
      e.at,
      e.service,
      String(e.seq),
      e.actor.sub,
      e.actor.role,
      e.action,
      actionName(e.action),
      e.object.type,
      e.object.id,
      e.prev_hash,
      e.hash,
    ]
      .map(csvCell)
      .join(","),
  );
  return [header.join(","), ...rows].join("\r\n") + "\r\n";
}
