// A VCP's cases in every organisation they serve, grouped by organisation (issue 24: the
// regional centre's VCPs). reports decides which organisations on every request
// (GET /v1/vcp/cases; shared/auth/reach.py); the rows are each organisation's own inbox.
// Typed from reports' OpenAPI document (lib/client.ts); the groups' rows are still objects
// of any fields there, named here as the inbox's CaseSummary until reports types them.
import { client, untypedAnswer } from "./client";
import { sortInbox, type CaseSummary } from "./vcp";

export interface OrganisationCases {
  org_id: string;
  cases: CaseSummary[];
}

/** The groups as reports answers them (the token's organisation first), each inbox sorted. */
export async function loadCasesByOrganisation(token: string): Promise<OrganisationCases[]> {
  const groups = await untypedAnswer<OrganisationCases[]>(
    client("reports", () => Promise.resolve(token)).GET("/v1/vcp/cases"),
  );
  return groups.map((group) => ({ org_id: group.org_id, cases: sortInbox(group.cases) }));
}

/** The groups ordered by the organisations' names (the working one first), for the page. */
export function byName(groups: OrganisationCases[], names: Record<string, string>, current: string): OrganisationCases[] {
  const name = (id: string) => names[id] ?? id;
  return [...groups].sort(
    (a, b) =>
      Number(b.org_id === current) - Number(a.org_id === current) || name(a.org_id).localeCompare(name(b.org_id)),
  );
}
