// Sending a written reply, the VCP's in a case or the reporter's on the follow-up page: an
// empty one is refused before any request, and a failure comes back as the sentence to show
// beside the field, which gets the focus back (what was typed stays there to send again).
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

/** What a reply form shows while and after sending: the state of one reply field. */
export class ReplyState {
  sending = $state(false);
  sent = $state(false);
  error = $state<string | null>(null);

  constructor(
    private readonly fieldId: string,
    private readonly texts: () => ReplyTexts,
  ) {}

  /** Send what was typed, unless a reply is already on its way. */
  async submit(typed: string, send: (text: string) => Promise<void>): Promise<void> {
    if (this.sending) return;
    this.error = null;
    this.sent = false;
    this.sending = true;
    try {
      this.error = await sendTyped(typed, send, this.texts());
    } finally {
      this.sending = false;
    }
    this.sent = this.error === null;
    if (this.error) await focusAfterUpdate(this.fieldId);
  }
}
