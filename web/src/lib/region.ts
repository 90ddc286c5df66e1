// The regional centre's offer to the organisations (issue 25, items 3 and 4): the region's
// open roles on /vacatures (anyone), a role's listing (its admin), and the centre's news
// (the operator writes, an organisation's staff reads). Calls and plain rules only.
import { getJson } from "./api";
import { call } from "./workspace";

export interface OpenRole {
  org_id: string;
  organisation: string;
  role_id: string;
  title: string;
  place: string;
  hours: string;
  vog_required: boolean;
  text: string;
  // "/o/{org}/apply?role={role_id}": applying starts in the organisation's own admission.
  apply_path: string;
}

export interface OpenRolePage {
  items: OpenRole[];
  total: number;
  page: number;
  page_size: number;
  pages: number;
}

/** How many open roles /vacatures shows per page (policy takes at most 50). */
export const OPEN_ROLES_PER_PAGE = 20;

/** The query policy's `GET /v1/open-roles` takes: only what was asked. */
export function openRolesQuery(words: string, place: string, page: number): string {
  const params = new URLSearchParams();
  if (words.trim()) params.set("q", words.trim());
  if (place.trim()) params.set("place", place.trim());
  params.set("page", String(Math.max(1, Math.floor(page))));
  params.set("page_size", String(OPEN_ROLES_PER_PAGE));
  return `?${params.toString()}`;
}

export const findOpenRoles = (words: string, place: string, page = 1) =>
  getJson<OpenRolePage>("policy", `/v1/open-roles${openRolesQuery(words, place, page)}`);

export interface RoleListing {
  listed: boolean;
  place: string;
  hours: string;
  text: string;
}

export interface ListedRole {
  role_id: string;
  title: string;
  vog_required: boolean;
  listing: RoleListing | null;
}

const orgPath = (org: string) => `/v1/orgs/${encodeURIComponent(org)}`;

export const loadRolesWithListings = (org: string) => call<ListedRole[]>("policy", `${orgPath(org)}/roles`);

export const saveListing = (org: string, roleId: string, listing: RoleListing) =>
  call<RoleListing>("policy", `${orgPath(org)}/roles/${encodeURIComponent(roleId)}/listing`, "PUT", listing);

export type OrganisationKind = "sport" | "youth" | "care";
export const KINDS: readonly OrganisationKind[] = ["sport", "youth", "care"];
export type NewsAudience = "all" | OrganisationKind;

export interface NewsItem {
  news_id: string;
  title: string;
  body: string;
  audience: NewsAudience;
  published_at: string;
}

export const loadOrganisationNews = (org: string) => call<NewsItem[]>("policy", `${orgPath(org)}/news`);
export const loadAllNews = () => call<NewsItem[]>("policy", "/v1/news");
export const publishNews = (item: { title: string; body: string; audience: NewsAudience }) =>
  call<NewsItem>("policy", "/v1/news", "POST", item);

export interface NewsSettings {
  kind: OrganisationKind | null;
  news_digest: boolean;
}

export const loadNewsSettings = (org: string) => call<NewsSettings>("policy", `${orgPath(org)}/settings`);

/** Only these two: policy keeps the settings a request leaves out. */
export const saveNewsSettings = (org: string, settings: NewsSettings) =>
  call<NewsSettings>("policy", `${orgPath(org)}/settings`, "PUT", {
    kind: settings.kind,
    news_digest: settings.news_digest,
  });
