// The typed client (issue 26): openapi-fetch over the types generated from the services'
// OpenAPI documents (src/lib/openapi/<service>.d.ts, `make docs`), so a path, a parameter
// or a field the service does not have is a type error here, not a failure in a page.
// Every request still goes through lib/api.ts's `request`: the proof of work when an
// organisation is under pressure, ApiError with the service's sentence, NetworkError when
// the platform cannot be reached, and the access token a signed-in caller passes (the
// session's renewal stays in lib/session.ts's accessToken, which the caller awaits).
import createClient, { type Client } from "openapi-fetch";
import { request, type Service } from "./api";
import type { paths as IdentityPaths } from "./openapi/identity";
import type { paths as IntakePaths } from "./openapi/intake";
import type { paths as NotifyPaths } from "./openapi/notify";
import type { paths as PolicyPaths } from "./openapi/policy";
import type { paths as ReportsPaths } from "./openapi/reports";

export type { components as IdentityTypes } from "./openapi/identity";
export type { components as IntakeTypes } from "./openapi/intake";
export type { components as NotifyTypes } from "./openapi/notify";
export type { components as PolicyTypes } from "./openapi/policy";
export type { components as ReportsTypes } from "./openapi/reports";

interface ServicePaths {
  intake: IntakePaths;
  policy: PolicyPaths;
  reports: ReportsPaths;
  notify: NotifyPaths;
  identity: IdentityPaths;
}

// openapi-fetch builds an absolute URL; the service's part of it is what `request` takes.
const ORIGIN = "http://safehands.invalid";

/** The fetch openapi-fetch calls: lib/api.ts's request, whose answer (always a success:
 * request throws on anything else) is handed back as a Response for openapi-fetch to read. */
export function fetchThroughApi(service: Service, token?: () => Promise<string | null>) {
  return async (input: Request): Promise<Response> => {
    const url = new URL(input.url);
    const path = url.pathname.slice(`/api/${service}`.length) + url.search;
    const text = input.body === null ? "" : await input.text();
    const body: unknown = await request(service, path, {
      method: input.method,
      body: text ? (JSON.parse(text) as unknown) : undefined,
      token: token ? await token() : null,
    });
    return new Response(body === null ? null : JSON.stringify(body), {
      status: body === null ? 204 : 200,
      headers: { "content-type": "application/json" },
    });
  };
}

/** The typed client of one service; `token` for a signed-in caller (lib/session.ts's
 * accessToken). */
export function client<S extends Service>(
  service: S,
  token?: () => Promise<string | null>,
): Client<ServicePaths[S]> {
  return createClient<ServicePaths[S]>({
    baseUrl: `${ORIGIN}/api/${service}`,
    fetch: fetchThroughApi(service, token),
  });
}

/** The answer of a typed request: `request` has already thrown for every failure. */
export async function answer<T>(sent: Promise<{ data?: T }>): Promise<T> {
  const { data } = await sent;
  return data as T;
}

/** The answer of a typed request whose success the contract leaves an object of any fields
 * (some of reports' case routes): the caller names its shape until the service types it.
 * The path, parameters and body are still checked against the contract. */
export async function untypedAnswer<T>(sent: Promise<{ data?: unknown }>): Promise<T> {
  const { data } = await sent;
  return data as T;
}
