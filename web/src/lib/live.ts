// Live pages: a signed-in page hears that something it shows changed and fetches it again
// through its usual requests. One stream per tab and service (GET /v1/orgs/{org}/changes,
// server-sent events) read with fetch, so that the access token goes in the Authorization
// header (never in a URL), parsed by lib/sse.ts. The stream carries hints only: a kind and
// ids the person may see already.
//
// When the stream cannot be had (the network, the service, a proxy that buffers), the page
// asks every POLL_MS instead, and the stream is tried again with a growing pause; every
// attempt takes a fresh token from lib/session.ts (a stream also ends when its token does).
import type { Service } from "./api";
import { accessToken } from "./session";
import { SseParser } from "./sse";

export interface Change {
  /** "reports", "volunteer", or "resync" (fetch everything: hints were missed). */
  kind: string;
  [id: string]: string;
}

export const POLL_MS = 30_000;
// The server sends a comment every 15 s on a quiet stream: three missed and the connection
// is taken for dead (a proxy or a network that dropped it without a word) and made again.
export const SILENCE_MS = 45_000;
const FIRST_PAUSE_MS = 1_000;
const LONGEST_PAUSE_MS = 60_000;

/** The pause before the `attempt`-th reconnect (0 first): doubling, at most a minute. */
export function backoff(attempt: number): number {
  return Math.min(LONGEST_PAUSE_MS, FIRST_PAUSE_MS * 2 ** attempt);
}

type Fetch = typeof fetch;

/** Parse a stream's body, calling `onEvent` per event; resolves when the body ends. */
export async function readEvents(
  body: ReadableStream<Uint8Array>,
  onEvent: (event: string, data: string) => void,
  onBytes: () => void = () => undefined,
): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parser = new SseParser();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    onBytes();
    for (const e of parser.feed(decoder.decode(value, { stream: true }))) onEvent(e.event, e.data);
  }
}

/**
 * Watch `service`'s changes of `org`: `onChange` is called for each hint, on every
 * (re)connect (anything may have changed meanwhile), and every POLL_MS while there is no
 * stream. Returns the function that stops watching.
 */
export function watchChanges(
  service: Service,
  org: string,
  onChange: (change: Change) => void,
  deps: { fetch?: Fetch; token?: () => Promise<string | null> } = {},
): () => void {
  const doFetch = deps.fetch ?? ((input, init) => fetch(input, init));
  const token = deps.token ?? accessToken;
  let stopped = false;
  let controller: AbortController | null = null;
  let poller: ReturnType<typeof setInterval> | null = null;
  let pause: ReturnType<typeof setTimeout> | null = null;

  const startPolling = () => {
    poller ??= setInterval(() => onChange({ kind: "resync" }), POLL_MS);
  };
  const stopPolling = () => {
    if (poller !== null) clearInterval(poller);
    poller = null;
  };

  async function connect(attempt: number): Promise<void> {
    if (stopped) return;
    const aborter = new AbortController();
    controller = aborter;
    let live = false;
    let refused = false;
    // Polling runs until the stream says it is live: a proxy that buffers the stream never
    // lets `ready` through, and the page still learns of changes.
    startPolling();
    let silence: ReturnType<typeof setTimeout> | null = null;
    const heard = () => {
      if (silence !== null) clearTimeout(silence);
      silence = setTimeout(() => aborter.abort(), SILENCE_MS);
    };
    try {
      const bearer = await token();
      if (!bearer) return; // signed out: nothing to watch
      const response = await doFetch(`/api/${service}/v1/orgs/${encodeURIComponent(org)}/changes`, {
        headers: { authorization: `Bearer ${bearer}`, accept: "text/event-stream" },
        credentials: "same-origin",
        cache: "no-store",
        referrerPolicy: "no-referrer",
        signal: aborter.signal,
      });
      const type = response.headers.get("content-type") ?? "";
      if (!response.ok || !response.body || !type.startsWith("text/event-stream")) {
        // 403/404: not (any more) someone this stream is for; polling stays, the requests
        // themselves say what is wrong.
        refused = response.status === 403 || response.status === 404;
        await response.body?.cancel().catch(() => undefined);
      } else {
        heard();
        await readEvents(response.body, (event, data) => {
          if (event === "ready") {
            live = true;
            stopPolling();
            onChange({ kind: "resync" });
          } else if (event === "end") {
            // No longer a member: the stream is not for this person any more.
            refused = data.includes("not a member");
          } else if (event === "change") {
            try {
              onChange(JSON.parse(data) as Change);
            } catch {
              onChange({ kind: "resync" });
            }
          }
        }, heard);
      }
    } catch {
      // The network, silence, or stop(): below decides.
    } finally {
      if (silence !== null) clearTimeout(silence);
    }
    if (stopped) return;
    startPolling();
    if (refused) return;
    // A stream that ran (and ended: its token expired, the server restarted) is taken up
    // again at once with a renewed token; a failed attempt waits longer each time.
    const next = live ? 0 : attempt + 1;
    pause = setTimeout(() => void connect(next), live ? 250 : backoff(attempt));
  }

  void connect(0);
  return () => {
    stopped = true;
    controller?.abort();
    stopPolling();
    if (pause !== null) clearTimeout(pause);
  };
}

/** `run` once for hints that arrive within `ms` of each other (a hand-over, say, gives
 * several); a hint after that runs it again, so the last change is never missed. */
export function coalesced(run: () => unknown, ms = 300): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  return () => {
    timer ??= setTimeout(() => {
      timer = null;
      void run();
    }, ms);
  };
}
