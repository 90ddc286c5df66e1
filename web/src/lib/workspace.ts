// What the workspaces (/admin, /operator, /coordinator) share: the sentence for a failed
// request, and the three pillars of an organisation. Their requests go through the typed
// client (lib/client.ts) with the person's access token.
import { ApiError, NetworkError } from "./api";

/** How many rows a workspace's table shows per page. */
export const ROWS_PER_PAGE = 20;

export type Pillar = "code_of_conduct" | "vcp" | "admission_policy";
export const PILLARS: readonly Pillar[] = ["code_of_conduct", "vcp", "admission_policy"];

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
