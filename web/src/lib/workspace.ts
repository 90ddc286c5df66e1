// What the workspaces (/admin, /operator, /coordinator) share: requests with the person's
// access token, the sentence for a failed one, and the three pillars of an organisation.
import { ApiError, NetworkError, request, type Service } from "./api";
import { accessToken } from "./session";

/** How many rows a workspace's table shows per page. */
export const ROWS_PER_PAGE = 20;

export type Pillar = "code_of_conduct" | "vcp" | "admission_policy";
export const PILLARS: readonly Pillar[] = ["code_of_conduct", "vcp", "admission_policy"];

/** A request with the current access token (renewed first when it has ended). */
export async function call<T>(
  service: Service,
  path: string,
  method = "GET",
  body?: unknown,
): Promise<T> {
  return request<T>(service, path, { method, body, token: await accessToken() });
}

/** The sentence for a failed request: the platform's own, or `unreachable` when it could not
 * be reached. Anything else is a bug and is thrown on. */
export function failureSentence(failure: unknown, unreachable: string): string {
  if (failure instanceof ApiError) return failure.detail;
  if (failure instanceof NetworkError) return unreachable;
  throw failure;
}

/** Whether a failed load means this person's roles do not open the workspace. */
export function refusesAccess(failure: unknown): boolean {
  return failure instanceof ApiError && (failure.status === 401 || failure.status === 403);
}
