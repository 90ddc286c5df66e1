// The admin's requests (/admin and its sections in components/admin/) and the shapes of
// their answers, typed from the services' OpenAPI documents (lib/client.ts). The sections
// call these; no URL is written in a component.
import type { RoleSummary } from "./admission";
import { ApiError } from "./api";
import { answer, client, type IdentityTypes, type NotifyTypes, type PolicyTypes, type ReportsTypes } from "./client";
import { downloadFile } from "./files";
import { accessToken, session } from "./session";

export type { RoleSummary };

type Policy = PolicyTypes["schemas"];
export type Checklist = Policy["Checklist"];
export type ChecklistItem = Policy["ChecklistItem"];
export type Template = Policy["TemplateSummary"];
export type Advice = Policy["AdviceRequestView"];
export type OrgSettings = Policy["OrganisationSettings"];
export type NewRole = Policy["RoleDefinition"];
export type NewAdvice = Policy["NewAdviceRequest"];
export type Vcp = ReportsTypes["schemas"]["AppointedVcp"];
export type Contacts = NotifyTypes["schemas"]["Contacts"];
export type Member = IdentityTypes["schemas"]["Member"];
export type CentreVcp = ReportsTypes["schemas"]["CentreVcp"];
export type Webhook = NotifyTypes["schemas"]["Subscription"];
export type Delivery = NotifyTypes["schemas"]["Delivery"];
export type Release = ReportsTypes["schemas"]["ReleasedStatistics"];

const policy = client("policy", accessToken);
const reports = client("reports", accessToken);
const identity = client("identity", accessToken);
const notify = client("notify", accessToken);
const of = (org: string) => ({ params: { path: { org } } });

// Checklist. The last one read per organisation is kept in this tab's memory (never in its
// storage), so that going back to /admin shows it at once while it is read again, rather
// than a loading page; it is forgotten when the session ends.
const lastChecklists = new Map<string, Checklist>();
session.subscribe((current) => {
  if (current === null) lastChecklists.clear();
});
export const lastChecklist = (org: string): Checklist | null => lastChecklists.get(org) ?? null;
export async function loadChecklist(org: string): Promise<Checklist> {
  const checklist = await answer(policy.GET("/v1/orgs/{org}/checklist", of(org)));
  lastChecklists.set(org, checklist);
  return checklist;
}

// Toolkit
export const loadTemplates = () => answer(policy.GET("/v1/templates"));
export const adoptTemplate = (org: string, templateId: string) =>
  answer(policy.POST("/v1/orgs/{org}/codes/draft", { ...of(org), body: { template_id: templateId } }));
export const filledTemplate = (org: string, templateId: string) =>
  answer(
    policy.GET("/v1/orgs/{org}/templates/{template_id}", { params: { path: { org, template_id: templateId } } }),
  );
// A file, not JSON: lib/files.ts saves its bytes (the contract's `…/{template_id}.docx|pdf`).
export const downloadTemplateAs = (org: string, templateId: string, kind: "docx" | "pdf") =>
  downloadFile(
    "policy",
    `/v1/orgs/${encodeURIComponent(org)}/templates/${encodeURIComponent(templateId)}.${kind}`,
    `${org}-${templateId}.${kind}`,
  );

// Roles
export const loadRoles = (org: string) => answer(policy.GET("/v1/orgs/{org}/roles", of(org)));
export const saveRole = (org: string, roleId: string, role: NewRole) =>
  answer(
    policy.PUT("/v1/orgs/{org}/roles/{role_id}", { params: { path: { org, role_id: roleId } }, body: role }),
  );

// VCPs
export const loadVcps = (org: string) => answer(reports.GET("/v1/orgs/{org}/vcps", of(org)));
export const appointVcp = (org: string, name: string, email: string) =>
  answer(reports.POST("/v1/orgs/{org}/vcps", { ...of(org), body: { vcp_id: crypto.randomUUID(), name, email } }));
export const dismissVcp = (org: string, vcpId: string) =>
  answer(reports.DELETE("/v1/orgs/{org}/vcps/{vcp_id}", { params: { path: { org, vcp_id: vcpId } } }));
export const loadCentreVcps = () => answer(reports.GET("/v1/centre-vcps"));
export const askCentreVcp = (org: string, vcpId: string) =>
  answer(reports.POST("/v1/orgs/{org}/centre-vcps", { ...of(org), body: { vcp_id: vcpId } }));

// Members
export const loadMembers = (org: string) => answer(identity.GET("/v1/orgs/{org}/members", of(org)));
export const inviteMember = (org: string, name: string, email: string, role: "admin" | "coordinator") =>
  answer(identity.POST("/v1/orgs/{org}/members", { ...of(org), body: { name, email, roles: [role] } }));
export const removeMember = (org: string, memberId: string) =>
  answer(
    identity.DELETE("/v1/orgs/{org}/members/{member_id}", { params: { path: { org, member_id: memberId } } }),
  );

// Contacts: none set yet is a 404, which is no failure.
export async function loadContacts(org: string): Promise<Required<Contacts> | null> {
  try {
    // Each list defaults to none in the contract (a request may leave it out).
    const found = await answer(notify.GET("/v1/orgs/{org}/contacts", of(org)));
    return { coordinators: found.coordinators ?? [], admins: found.admins ?? [] };
  } catch (failure) {
    if (failure instanceof ApiError && failure.status === 404) return null;
    throw failure;
  }
}
export const saveContacts = (org: string, contacts: Contacts) =>
  answer(notify.PUT("/v1/orgs/{org}/contacts", { ...of(org), body: contacts }));

/** The addresses in a text field: one a line or separated by commas. */
export const lines = (text: string): string[] =>
  text
    .split(/[\n,]/)
    .map((line) => line.trim())
    .filter(Boolean);

// Settings
export const loadSettings = (org: string) => answer(policy.GET("/v1/orgs/{org}/settings", of(org)));
export const saveSettings = (org: string, settings: OrgSettings) =>
  answer(policy.PUT("/v1/orgs/{org}/settings", { ...of(org), body: settings }));

// Webhooks
export const loadWebhooks = (org: string) => answer(notify.GET("/v1/orgs/{org}/webhooks", of(org)));
export const subscribeWebhook = (org: string, url: string, eventTypes: string[], secret: string) =>
  answer(notify.POST("/v1/orgs/{org}/webhooks", { ...of(org), body: { url, event_types: eventTypes, secret } }));
export const unsubscribeWebhook = (org: string, webhookId: string) =>
  answer(
    notify.DELETE("/v1/orgs/{org}/webhooks/{webhook_id}", { params: { path: { org, webhook_id: webhookId } } }),
  );
export const loadDeliveries = (org: string, webhookId: string) =>
  answer(
    notify.GET("/v1/orgs/{org}/webhooks/{webhook_id}/deliveries", {
      params: { path: { org, webhook_id: webhookId } },
    }),
  );

/** A webhook's signing secret, made in the browser and shown once (Standard Webhooks form). */
export function newWebhookSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return `whsec_${btoa(String.fromCharCode(...bytes))}`;
}

// Statistics
export const loadStats = (org: string) => answer(reports.GET("/v1/orgs/{org}/stats", of(org)));

// Advice
export const ADVICE_TOPICS = ["code_of_conduct", "vcp", "admission", "incident", "other"] as const;
export const loadAdvice = (org: string) => answer(policy.GET("/v1/orgs/{org}/advice-requests", of(org)));
export const requestAdvice = (org: string, advice: NewAdvice) =>
  answer(policy.POST("/v1/orgs/{org}/advice-requests", { ...of(org), body: advice }));
