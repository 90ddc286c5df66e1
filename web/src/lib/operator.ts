// The regional centre's requests (/operator and components/operator/) and the shapes of
// their answers, typed from the services' OpenAPI documents (lib/client.ts). The operators
// themselves are in lib/operators.ts.
import { answer, client, type IdentityTypes, type PolicyTypes, type ReportsTypes } from "./client";
import { accessToken } from "./session";

type Policy = PolicyTypes["schemas"];
export type OrgRow = Policy["OrganisationPillars"];
export type OrgPage = Policy["OrganisationPage"];
/** An open advice request in the centre's queue. */
export type Queued = Policy["QueuedAdviceRequest"];
export type CentreVcp = ReportsTypes["schemas"]["CentreVcp"];
export type NewOrganisation = Policy["NewOrganisation"];
export type Invitation = IdentityTypes["schemas"]["Invitation"];

const policy = client("policy", accessToken);
const identity = client("identity", accessToken);
const reports = client("reports", accessToken);

export const loadOrgs = (offset: number, limit: number) =>
  answer(policy.GET("/v1/orgs", { params: { query: { offset, limit } } }));
/** One organisation's checklist, as the operator may read it. */
export const loadOrgChecklist = (org: string) =>
  answer(policy.GET("/v1/orgs/{org}/checklist", { params: { path: { org } } }));
export const registerOrganisation = (organisation: NewOrganisation) =>
  answer(policy.POST("/v1/orgs", { body: organisation }));
export const inviteMember = (org: string, invitation: Invitation) =>
  answer(identity.POST("/v1/orgs/{org}/members", { params: { path: { org } }, body: invitation }));

export const loadAdviceQueue = () => answer(policy.GET("/v1/advice-requests"));
export const answerAdvice = (requestId: string, text: string, appointment: string | null) =>
  answer(
    policy.POST("/v1/advice-requests/{request_id}/answer", {
      params: { path: { request_id: requestId } },
      body: { text, ...(appointment ? { appointment } : {}) },
    }),
  );

export const loadCentreVcps = () => answer(reports.GET("/v1/centre-vcps"));
export const addCentreVcp = (vcpId: string, name: string, email: string) =>
  answer(reports.POST("/v1/centre-vcps", { body: { vcp_id: vcpId, name, email } }));
