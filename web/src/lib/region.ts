// The regional centre's offer to the organisations (issue 25, items 3 and 4): the region's
// open roles on /vacatures (anyone), a role's listing (its admin), and the centre's news
// (the operator writes, an organisation's staff reads). Calls and plain rules only, typed
// from policy's OpenAPI document (lib/client.ts).
import { answer, client, type PolicyTypes } from "./client";
import { accessToken } from "./session";

type Schemas = PolicyTypes["schemas"];
/** With `apply_path`, "/o/{org}/apply?role={role_id}": applying starts in the
 * organisation's own admission. */
export type OpenRole = Schemas["OpenRoleView"];
export type OpenRolePage = Schemas["OpenRolePage"];

const policy = client("policy");
const signedIn = client("policy", accessToken);

/** How many open roles /vacatures shows per page (policy takes at most 50). */
export const OPEN_ROLES_PER_PAGE = 20;

/** The query policy's `GET /v1/open-roles` takes: only what was asked. */
export function openRolesParams(words: string, place: string, page: number) {
  const query: { q?: string; place?: string; page: number; page_size: number } = {
    page: Math.max(1, Math.floor(page)),
    page_size: OPEN_ROLES_PER_PAGE,
  };
  if (words.trim()) query.q = words.trim();
  if (place.trim()) query.place = place.trim();
  return query;
}

/** The same as a query string (what the address bar of the request shows). */
export function openRolesQuery(words: string, place: string, page: number): string {
  const { q, place: where, page: number, page_size } = openRolesParams(words, place, page);
  const params = new URLSearchParams();
  if (q) params.set("q", q);
  if (where) params.set("place", where);
  params.set("page", String(number));
  params.set("page_size", String(page_size));
  return `?${params.toString()}`;
}

export const findOpenRoles = (words: string, place: string, page = 1) =>
  answer(policy.GET("/v1/open-roles", { params: { query: openRolesParams(words, place, page) } }));

export type RoleListing = Schemas["RoleListing"];
export type ListedRole = Schemas["RoleWithListing"];

export const loadRolesWithListings = (org: string) =>
  answer(signedIn.GET("/v1/orgs/{org}/roles", { params: { path: { org } } }));

/** The listing as saved, in the shape the list of roles gives it. */
export const saveListing = (org: string, roleId: string, listing: RoleListing) =>
  answer(
    signedIn.PUT("/v1/orgs/{org}/roles/{role_id}/listing", {
      params: { path: { org, role_id: roleId } },
      body: listing,
    }),
  ).then(
    (saved): Schemas["ListingSummary"] => ({
      listed: saved.listed ?? false,
      place: saved.place,
      hours: saved.hours,
      text: saved.text ?? "",
    }),
  );

export type OrganisationKind = "sport" | "youth" | "care";
export const KINDS: readonly OrganisationKind[] = ["sport", "youth", "care"];
export type NewsAudience = "all" | OrganisationKind;

export type NewsItem = Schemas["NewsItem"];

export const loadOrganisationNews = (org: string) =>
  answer(signedIn.GET("/v1/orgs/{org}/news", { params: { path: { org } } }));
export const loadAllNews = () => answer(signedIn.GET("/v1/news"));
export const publishNews = (item: Schemas["NewNewsItem"]) =>
  answer(signedIn.POST("/v1/news", { body: item }));
export const editNews = (newsId: string, item: Schemas["NewNewsItem"]) =>
  answer(signedIn.PUT("/v1/news/{news_id}", { params: { path: { news_id: newsId } }, body: item }));
export const withdrawNews = (newsId: string) =>
  answer(signedIn.DELETE("/v1/news/{news_id}", { params: { path: { news_id: newsId } } }));

export interface NewsSettings {
  kind: OrganisationKind | null;
  news_digest: boolean;
}

const newsSettings = (settings: Schemas["OrganisationSettings"]): NewsSettings => ({
  kind: settings.kind ?? null,
  news_digest: settings.news_digest ?? false,
});

export const loadNewsSettings = (org: string) =>
  answer(signedIn.GET("/v1/orgs/{org}/settings", { params: { path: { org } } })).then(newsSettings);

/** Only these two: policy keeps the settings a request leaves out. */
export const saveNewsSettings = (org: string, settings: NewsSettings) =>
  answer(
    signedIn.PUT("/v1/orgs/{org}/settings", {
      params: { path: { org } },
      body: { kind: settings.kind, news_digest: settings.news_digest },
    }),
  ).then(newsSettings);
