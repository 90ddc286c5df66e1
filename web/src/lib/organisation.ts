// An organisation's public page (policy's `GET /v1/orgs/{org}/public`): kept apart from the
// reporting module so the organisation's page loads without the encryption code.
import { getJson } from "./api";

export interface PublicRole {
  role_id: string;
  title: string;
  works_with_minors: boolean;
  works_with_vulnerable: boolean;
  vog_required: boolean;
}

export interface PublicOrganisation {
  org_id: string;
  name: string;
  language: string;
  roles: PublicRole[];
  // How long an applicant's data is kept after their last activity (policy's setting).
  volunteer_retention_days: number;
}

export const loadOrganisation = (org: string) =>
  getJson<PublicOrganisation>("policy", `/v1/orgs/${encodeURIComponent(org)}/public`);

/** An organisation the home page's search found (policy's `GET /v1/directory`). */
export interface FoundOrganisation {
  org_id: string;
  name: string;
}

/** The fewest characters the search takes: fewer would list nearly every organisation. */
export const MIN_SEARCH_LENGTH = 2;

export const findOrganisations = (name: string) =>
  getJson<FoundOrganisation[]>("policy", `/v1/directory?name=${encodeURIComponent(name)}`);

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
