// The admin's requests about the code of conduct: the current version, the draft, how many
// volunteers a new version asks to sign again and within how many days, and publishing.
import { ApiError } from "./api";
import { call } from "./workspace";

export interface Code {
  version: number;
  sha256: string;
  text: string;
  published_at?: string | null;
}

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

const codes = (org: string) => `/v1/orgs/${encodeURIComponent(org)}/codes`;

export async function loadCodeState(org: string): Promise<CodeState> {
  const [current, draft, signing] = await Promise.all([
    optional(call<Code>("policy", `${codes(org)}/current`)),
    optional(call<{ text: string }>("policy", `${codes(org)}/draft`)),
    call<{ must_sign_again_on_publish: number; resign_grace_days?: number }>(
      "policy",
      `${codes(org)}/signing-again`,
    ),
  ]);
  return {
    current,
    draft: draft?.text ?? null,
    signAgain: signing.must_sign_again_on_publish,
    graceDays: signing.resign_grace_days ?? 30,
  };
}

export const saveDraft = (org: string, text: string) =>
  call("policy", `${codes(org)}/draft`, "PUT", { text });

export const publishCode = (org: string, text: string) =>
  call<{ version: number; sha256: string }>("policy", codes(org), "POST", { text });

/** Whether publishing `text` would make a new version: not empty, not the current text. */
export function publishable(text: string, current: Code | null): boolean {
  return text.trim() !== "" && text !== current?.text;
}
