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
}

export const loadOrganisation = (org: string) =>
  getJson<PublicOrganisation>("policy", `/v1/orgs/${encodeURIComponent(org)}/public`);
