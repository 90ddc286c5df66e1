// Sending a written reply, the VCP's in a case or the reporter's on the follow-up page: an
// empty one is refused before any request, and a failure comes back as the sentence to show
// beside the field (what was typed stays there to send again).
import { tick } from "svelte";
import { ApiError, NetworkError } from "./api";

export interface ReplyTexts {
  empty: string;
  unreachable: string;
  refused: (detail: string) => string;
}

/** Send the trimmed text; null once it is sent, otherwise the sentence that says why not. */
export async function sendTyped(
  typed: string,
  send: (text: string) => Promise<void>,
  texts: ReplyTexts,
): Promise<string | null> {
  const text = typed.trim();
  if (!text) return texts.empty;
  try {
    await send(text);
    return null;
  } catch (error) {
    if (error instanceof NetworkError || (error instanceof ApiError && error.status >= 500)) {
      return texts.unreachable;
    }
    if (error instanceof ApiError) return texts.refused(error.detail);
    throw error;
  }
}

/** Put the focus on a field once the page shows what just changed (its error, say). */
export async function focusAfterUpdate(id: string): Promise<void> {
  await tick();
  document.getElementById(id)?.focus();
}
