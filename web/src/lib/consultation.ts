// The consultation round on the draft code of conduct: the admin's requests (open, read
// with comments per section, answer, close) and the invited person's on /me (read the
// draft, comment named or anonymously). Comments never name their author to the admin
// unless the author chose to be named: the server leaves the name out.
// Typed from policy's and identity's OpenAPI documents (lib/client.ts).
import { ApiError } from "./api";
import { answer, client, type IdentityTypes, type PolicyTypes } from "./client";
import { accessToken } from "./session";

type Policy = PolicyTypes["schemas"];
export type Answer = Policy["CommentAnswer"];
export type AdminComment = Policy["AdminComment"];
export type SectionComments = Policy["SectionWithComments"];
export type Round = Policy["AdminConsultation"];
export type Heading = Policy["SectionHeading"];
export type MyComment = Policy["MyComment"];
export type MyRound = Policy["MyConsultation"];

const policy = client("policy", accessToken);
const of = (org: string) => ({ params: { path: { org } } });

/** The slug of comments on the code as a whole. */
export const GENERAL = "general";

/** `work`'s answer, or null when there is nothing (404) or it is not for this person (403). */
async function whenThere<T>(work: Promise<T>): Promise<T | null> {
  try {
    return await work;
  } catch (failure) {
    if (failure instanceof ApiError && (failure.status === 404 || failure.status === 403)) {
      return null;
    }
    throw failure;
  }
}

export const loadRound = (org: string) => whenThere(answer(policy.GET("/v1/orgs/{org}/consultation", of(org))));

export const openRound = (org: string, closesOn: string, memberIds: string[]) =>
  answer(policy.POST("/v1/orgs/{org}/consultation", { ...of(org), body: { closes_on: closesOn, member_ids: memberIds } }));

export const closeRound = (org: string) => answer(policy.POST("/v1/orgs/{org}/consultation/close", of(org)));

export const answerComment = (org: string, commentId: string, text: string) =>
  answer(
    policy.PUT("/v1/orgs/{org}/consultation/comments/{comment_id}/answer", {
      params: { path: { org, comment_id: commentId } },
      body: { text },
    }),
  );

export const loadMyRound = (org: string) =>
  whenThere(answer(policy.GET("/v1/orgs/{org}/consultation/mine", of(org))));

export const postComment = (org: string, section: string, text: string, named: boolean) =>
  answer(policy.POST("/v1/orgs/{org}/consultation/comments", { ...of(org), body: { section, text, named } }));

/** What the published version records of its round, from `GET …/codes/current`. */
export type Consulted = Policy["Consulted"];

export const loadConsulted = async (org: string): Promise<{ version: number; consulted: Consulted | null } | null> =>
  whenThere(
    answer(policy.GET("/v1/orgs/{org}/codes/current", of(org))).then((code) => ({
      version: code.version,
      consulted: code.consulted ?? null,
    })),
  );

/** The day after today in the browser's calendar, as YYYY-MM-DD: the earliest closing day. */
export function tomorrow(now: Date = new Date()): string {
  const next = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
  const month = String(next.getMonth() + 1).padStart(2, "0");
  const day = String(next.getDate()).padStart(2, "0");
  return `${next.getFullYear()}-${month}-${day}`;
}

export type StaffMember = IdentityTypes["schemas"]["Member"];

/** The organisation's admins and coordinators, whom the admin may invite besides the
 * volunteers (who are invited anyway). A staff member's `member_id` is their `sub`. */
export async function loadStaff(org: string): Promise<StaffMember[]> {
  const members = await answer(client("identity", accessToken).GET("/v1/orgs/{org}/members", of(org)));
  return members.filter((m) => m.roles.some((role) => role === "admin" || role === "coordinator"));
}
