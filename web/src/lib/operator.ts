// The regional centre's requests (/operator and components/operator/) and the shapes of
// their answers. The operators themselves are in lib/operators.ts.
import type { Checklist } from "./admin";
import { call, type Pillar } from "./workspace";

export interface OrgRow {
  org_id: string;
  name: string;
  pillars: Record<Pillar, { done: boolean }>;
  counts: { vcps_with_key: number };
}
export interface OrgPage {
  total: number;
  items: OrgRow[];
}
/** An open advice request in the centre's queue. */
export interface Queued {
  request_id: string;
  org_id: string;
  organisation: string;
  topic: string;
  question: string;
  preferred_times: string | null;
  requested_at: string;
  warning: string | null;
}
export interface CentreVcp {
  vcp_id: string;
  name: string;
}
export interface NewOrganisation {
  org_id: string;
  name: string;
  language: string;
}
export interface Invitation {
  email: string;
  name: string;
  roles: string[];
}

const orgPath = (org: string) => `/v1/orgs/${encodeURIComponent(org)}`;

export const loadOrgs = (offset: number, limit: number) =>
  call<OrgPage>("policy", `/v1/orgs?offset=${offset}&limit=${limit}`);
/** One organisation's checklist, as the operator may read it. */
export const loadOrgChecklist = (org: string) => call<Checklist>("policy", `${orgPath(org)}/checklist`);
export const registerOrganisation = (organisation: NewOrganisation) =>
  call("policy", "/v1/orgs", "POST", organisation);
export const inviteMember = (org: string, invitation: Invitation) =>
  call("identity", `${orgPath(org)}/members`, "POST", invitation);

export const loadAdviceQueue = () => call<Queued[]>("policy", "/v1/advice-requests");
export const answerAdvice = (requestId: string, text: string, appointment: string | null) =>
  call("policy", `/v1/advice-requests/${encodeURIComponent(requestId)}/answer`, "POST", {
    text,
    ...(appointment ? { appointment } : {}),
  });

export const loadCentreVcps = () => call<CentreVcp[]>("reports", "/v1/centre-vcps");
export const addCentreVcp = (vcpId: string, name: string, email: string) =>
  call("reports", "/v1/centre-vcps", "POST", { vcp_id: vcpId, name, email });
