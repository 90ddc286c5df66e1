// The admin's requests (/admin and its sections in components/admin/) and the shapes of
// their answers. The sections call these; no URL is written in a component.
import type { RoleSummary } from "./admission";
import { ApiError } from "./api";
import { downloadFile } from "./files";
import { call, type Pillar } from "./workspace";

export type { RoleSummary };

export interface ChecklistItem {
  item: string;
  done: boolean;
  required: boolean;
  link: string;
}
export interface Checklist {
  pillars: Record<Pillar, { done: boolean; items: ChecklistItem[] }>;
  counts: { vcps_with_key: number; vcps_recommended: number; codes_published: number };
  gratis_vog: { eligible: boolean; missing_pillars: Pillar[] };
}
export interface Template {
  template_id: string;
  kind: string;
  language: string;
  title: string;
}
export interface Member {
  member_id: string;
  email: string;
  name: string;
  roles: string[];
  since?: string;
}
export interface Vcp {
  vcp_id: string;
  name: string | null;
  has_key: boolean;
  /** One of the regional centre's VCPs (issue 24); `accepted` false until they answer. */
  centre?: boolean;
  accepted?: boolean;
}
export interface CentreVcp {
  vcp_id: string;
  name: string;
}
export interface Webhook {
  webhook_id: string;
  url: string;
  event_types: string[];
}
export interface Delivery {
  delivery_id: string;
  event_type: string;
  status: string;
  created_at: string;
  attempts: { at: string; status_code: number | null; error: string | null }[];
}
export interface Release {
  quarter: string;
  counts: Record<string, number>;
}
export interface Advice {
  request_id: string;
  topic: string;
  question: string;
  preferred_times: string | null;
  requested_at: string;
  status: string;
  answer: { text: string; appointment: string | null; answered_at: string } | null;
}
export interface Contacts {
  coordinators: string[];
  admins: string[];
}
export interface OrgSettings {
  volunteer_retention_days: number;
  listed: boolean;
  resign_grace_days: number;
}
export interface NewRole {
  title: string;
  works_with_minors: boolean;
  works_with_vulnerable: boolean;
  vog_max_age_days: number;
  vog_renewal_years: number;
}
export interface NewAdvice {
  topic: string;
  question: string;
  preferred_times?: string;
}

const orgPath = (org: string) => `/v1/orgs/${encodeURIComponent(org)}`;
const id = encodeURIComponent;

// Checklist
export const loadChecklist = (org: string) => call<Checklist>("policy", `${orgPath(org)}/checklist`);

// Toolkit
export const loadTemplates = () => call<Template[]>("policy", "/v1/templates");
export const adoptTemplate = (org: string, templateId: string) =>
  call("policy", `${orgPath(org)}/codes/draft`, "POST", { template_id: templateId });
export const filledTemplate = (org: string, templateId: string) =>
  call<{ text: string }>("policy", `${orgPath(org)}/templates/${id(templateId)}`);
export const downloadTemplateAs = (org: string, templateId: string, kind: "docx" | "pdf") =>
  downloadFile(
    "policy",
    `${orgPath(org)}/templates/${id(templateId)}?format=${kind}`,
    `${org}-${templateId}.${kind}`,
  );

// Roles
export const loadRoles = (org: string) => call<RoleSummary[]>("policy", `${orgPath(org)}/roles`);
export const saveRole = (org: string, roleId: string, role: NewRole) =>
  call("policy", `${orgPath(org)}/roles/${id(roleId)}`, "PUT", role);

// VCPs
export const loadVcps = (org: string) => call<Vcp[]>("reports", `${orgPath(org)}/vcps`);
export const appointVcp = (org: string, name: string, email: string) =>
  call("reports", `${orgPath(org)}/vcps`, "POST", { vcp_id: crypto.randomUUID(), name, email });
export const dismissVcp = (org: string, vcpId: string) =>
  call("reports", `${orgPath(org)}/vcps/${id(vcpId)}`, "DELETE");
export const loadCentreVcps = () => call<CentreVcp[]>("reports", "/v1/centre-vcps");
export const askCentreVcp = (org: string, vcpId: string) =>
  call("reports", `${orgPath(org)}/centre-vcps`, "POST", { vcp_id: vcpId });

// Members
export const loadMembers = (org: string) => call<Member[]>("identity", `${orgPath(org)}/members`);
export const inviteMember = (org: string, name: string, email: string, role: string) =>
  call("identity", `${orgPath(org)}/members`, "POST", { name, email, roles: [role] });
export const removeMember = (org: string, memberId: string) =>
  call("identity", `${orgPath(org)}/members/${id(memberId)}`, "DELETE");

// Contacts: none set yet is a 404, which is no failure.
export async function loadContacts(org: string): Promise<Contacts | null> {
  try {
    return await call<Contacts>("notify", `${orgPath(org)}/contacts`);
  } catch (failure) {
    if (failure instanceof ApiError && failure.status === 404) return null;
    throw failure;
  }
}
export const saveContacts = (org: string, contacts: Contacts) =>
  call("notify", `${orgPath(org)}/contacts`, "PUT", contacts);

/** The addresses in a text field: one a line or separated by commas. */
export const lines = (text: string): string[] =>
  text
    .split(/[\n,]/)
    .map((line) => line.trim())
    .filter(Boolean);

// Settings
export const loadSettings = (org: string) => call<OrgSettings>("policy", `${orgPath(org)}/settings`);
export const saveSettings = (org: string, settings: OrgSettings) =>
  call<OrgSettings>("policy", `${orgPath(org)}/settings`, "PUT", settings);

// Webhooks
export const loadWebhooks = (org: string) => call<Webhook[]>("notify", `${orgPath(org)}/webhooks`);
export const subscribeWebhook = (org: string, url: string, eventTypes: string[], secret: string) =>
  call("notify", `${orgPath(org)}/webhooks`, "POST", { url, event_types: eventTypes, secret });
export const unsubscribeWebhook = (org: string, webhookId: string) =>
  call("notify", `${orgPath(org)}/webhooks/${id(webhookId)}`, "DELETE");
export const loadDeliveries = (org: string, webhookId: string) =>
  call<Delivery[]>("notify", `${orgPath(org)}/webhooks/${id(webhookId)}/deliveries`);

/** A webhook's signing secret, made in the browser and shown once (Standard Webhooks form). */
export function newWebhookSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return `whsec_${btoa(String.fromCharCode(...bytes))}`;
}

// Statistics
export const loadStats = (org: string) => call<Release[]>("reports", `${orgPath(org)}/stats`);

// Advice
export const ADVICE_TOPICS = ["code_of_conduct", "vcp", "admission", "incident", "other"] as const;
export const loadAdvice = (org: string) => call<Advice[]>("policy", `${orgPath(org)}/advice-requests`);
export const requestAdvice = (org: string, advice: NewAdvice) =>
  call("policy", `${orgPath(org)}/advice-requests`, "POST", advice);
