// An organisation's public page (policy's `GET /v1/orgs/{org}/public`): kept apart from the
// reporting module so the organisation's page loads without the encryption code.
// Typed from policy's OpenAPI document (lib/client.ts).
import { answer, client, type PolicyTypes } from "./client";

export type PublicRole = PolicyTypes["schemas"]["PublicRole"];
/** With `volunteer_retention_days`: how long an applicant's data is kept after their last
 * activity (policy's setting). */
export type PublicOrganisation = PolicyTypes["schemas"]["PublicPage"];
/** An organisation the home page's search found (policy's `GET /v1/directory`). */
export type FoundOrganisation = PolicyTypes["schemas"]["FoundOrganisation"];

const policy = client("policy");

export const loadOrganisation = (org: string) =>
  answer(policy.GET("/v1/orgs/{org}/public", { params: { path: { org } } }));

/** The fewest characters the search takes: fewer would list nearly every organisation. */
export const MIN_SEARCH_LENGTH = 2;

export const findOrganisations = (name: string) =>
  answer(policy.GET("/v1/directory", { params: { query: { name } } }));

/** An organisation's address suggested from its name, as policy takes it: lower case,
 * accents dropped, words joined by "-", at most 64 characters ("Hockeyclub Ö&B" →
 * "hockeyclub-o-b"). */
export function slugFromName(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, 64)
    .replace(/^-+|-+$/g, "");
}
