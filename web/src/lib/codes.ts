// The admin's requests about the code of conduct: the current version, the draft, how many
// volunteers a new version asks to sign again and within how many days, and publishing.
// Typed from policy's OpenAPI document (lib/client.ts).
import { ApiError } from "./api";
import { answer, client, type PolicyTypes } from "./client";
import { accessToken } from "./session";

export type Code = PolicyTypes["schemas"]["CurrentCode"];

const policy = client("policy", accessToken);
const of = (org: string) => ({ params: { path: { org } } });

export interface CodeState {
  current: Code | null;
  draft: string | null;
  // Volunteers (not rejected) who signed some version, and the organisation's grace period.
  signAgain: number;
  graceDays: number;
}

async function optional<T>(work: Promise<T>): Promise<T | null> {
  try {
    return await work;
  } catch (failure) {
    if (failure instanceof ApiError && failure.status === 404) return null;
    throw failure;
  }
}

export async function loadCodeState(org: string): Promise<CodeState> {
  const [current, draft, signing] = await Promise.all([
    optional(answer(policy.GET("/v1/orgs/{org}/codes/current", of(org)))),
    optional(answer(policy.GET("/v1/orgs/{org}/codes/draft", of(org)))),
    answer(policy.GET("/v1/orgs/{org}/codes/signing-again", of(org))),
  ]);
  return {
    current,
    draft: draft?.text ?? null,
    signAgain: signing.must_sign_again_on_publish,
    graceDays: signing.resign_grace_days ?? 30,
  };
}

export const saveDraft = (org: string, text: string) =>
  answer(policy.PUT("/v1/orgs/{org}/codes/draft", { ...of(org), body: { text } }));

export const publishCode = (org: string, text: string) =>
  answer(policy.POST("/v1/orgs/{org}/codes", { ...of(org), body: { text } }));

/** Whether publishing `text` would make a new version: not empty, not the current text. */
export function publishable(text: string, current: Code | null): boolean {
  return text.trim() !== "" && text !== current?.text;
}
