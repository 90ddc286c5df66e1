// The consultation round on the draft code of conduct: the admin's requests (open, read
// with comments per section, answer, close) and the invited person's on /me (read the
// draft, comment named or anonymously). Comments never name their author to the admin
// unless the author chose to be named: the server leaves the name out.
import { ApiError } from "./api";
import { call } from "./workspace";

export interface Answer {
  text: string;
  answered_at: string;
}

export interface AdminComment {
  comment_id: string;
  section: string;
  text: string;
  named: boolean;
  author_name: string | null;
  commented_at: string;
  answer: Answer | null;
}

export interface SectionComments {
  slug: string;
  title: string;
  in_draft: boolean;
  comments: AdminComment[];
}

export interface Round {
  consultation_id: string;
  status: "open" | "closed";
  opened_at: string;
  closes_on: string;
  closed_on: string | null;
  invited: number;
  people: number;
  comments: number;
  sections: SectionComments[];
}

export interface Heading {
  slug: string;
  title: string;
  level: number;
}

export interface MyComment {
  comment_id: string;
  section: string;
  text: string;
  named: boolean;
  commented_at: string;
  answer: Answer | null;
}

export interface MyRound {
  consultation_id: string;
  organisation: string;
  open: boolean;
  closes_on: string;
  text: string;
  sections: Heading[];
  mine: MyComment[];
}

/** The slug of comments on the code as a whole. */
export const GENERAL = "general";

const base = (org: string) => `/v1/orgs/${encodeURIComponent(org)}/consultation`;

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

export const loadRound = (org: string) => whenThere(call<Round>("policy", base(org)));

export const openRound = (org: string, closesOn: string, memberIds: string[]) =>
  call<Round>("policy", base(org), "POST", { closes_on: closesOn, member_ids: memberIds });

export const closeRound = (org: string) => call<Round>("policy", `${base(org)}/close`, "POST");

export const answerComment = (org: string, commentId: string, text: string) =>
  call<AdminComment>(
    "policy",
    `${base(org)}/comments/${encodeURIComponent(commentId)}/answer`,
    "PUT",
    { text },
  );

export const loadMyRound = (org: string) => whenThere(call<MyRound>("policy", `${base(org)}/mine`));

export const postComment = (org: string, section: string, text: string, named: boolean) =>
  call<MyComment>("policy", `${base(org)}/comments`, "POST", { section, text, named });

/** What the published version records of its round, from `GET …/codes/current`. */
export interface Consulted {
  people: number;
  comments: number;
}

export const loadConsulted = async (org: string): Promise<{ version: number; consulted: Consulted | null } | null> =>
  whenThere(
    call<{ version: number; consulted?: Consulted | null }>(
      "policy",
      `/v1/orgs/${encodeURIComponent(org)}/codes/current`,
    ).then((code) => ({ version: code.version, consulted: code.consulted ?? null })),
  );

/** The day after today in the browser's calendar, as YYYY-MM-DD: the earliest closing day. */
export function tomorrow(now: Date = new Date()): string {
  const next = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
  const month = String(next.getMonth() + 1).padStart(2, "0");
  const day = String(next.getDate()).padStart(2, "0");
  return `${next.getFullYear()}-${month}-${day}`;
}

export interface StaffMember {
  member_id: string;
  name: string;
  roles: string[];
}

/** The organisation's admins and coordinators, whom the admin may invite besides the
 * volunteers (who are invited anyway). A staff member's `member_id` is their `sub`. */
export async function loadStaff(org: string): Promise<StaffMember[]> {
  const members = await call<StaffMember[]>("identity", `/v1/orgs/${encodeURIComponent(org)}/members`);
  return members.filter((m) => m.roles.some((role) => role === "admin" || role === "coordinator"));
}
