import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { backoff, coalesced, POLL_MS, SILENCE_MS, watchChanges, type Change } from "./live";

function streamOf(chunks: string[], keepOpen = false): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      if (!keepOpen) controller.close();
    },
  });
}

const eventStream = (chunks: string[], keepOpen = false) =>
  new Response(streamOf(chunks, keepOpen), { headers: { "content-type": "text/event-stream" } });

describe("watchChanges", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("sends the token in the Authorization header, never in the URL, and passes hints on", async () => {
    const calls: [string, RequestInit | undefined][] = [];
    const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      calls.push([String(input), init]);
      return eventStream(['event: ready\ndata: {}\n\nevent: change\ndata: {"kind":"volunteer","volunteer_id":"v1"}\n\n'], true);
    });
    const seen: Change[] = [];
    const stop = watchChanges("policy", "demo", (c) => seen.push(c), {
      fetch: fetch as typeof globalThis.fetch,
      token: async () => "tok-123",
    });
    await vi.waitFor(() => expect(seen).toHaveLength(2));
    stop();
    const [[url, init]] = calls as [[string, RequestInit | undefined]];
    expect(url).toBe("/api/policy/v1/orgs/demo/changes");
    expect(url).not.toContain("tok-123");
    expect((init?.headers as Record<string, string>).authorization).toBe("Bearer tok-123");
    expect(seen).toEqual([{ kind: "resync" }, { kind: "volunteer", volunteer_id: "v1" }]);
  });

  it("polls while the stream fails and reconnects with a renewed token after a pause", async () => {
    let attempt = 0;
    const tokens: string[] = [];
    const fetch = vi.fn(async (_input: RequestInfo | URL, init?: RequestInit) => {
      tokens.push((init?.headers as Record<string, string>).authorization ?? "");
      attempt += 1;
      if (attempt === 1) throw new TypeError("network");
      return eventStream(["event: ready\ndata: {}\n\n"], true);
    });
    let n = 0;
    const seen: Change[] = [];
    const stop = watchChanges("reports", "demo", (c) => seen.push(c), {
      fetch: fetch as typeof globalThis.fetch,
      token: async () => `tok-${(n += 1)}`,
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(fetch).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(backoff(0));
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(tokens).toEqual(["Bearer tok-1", "Bearer tok-2"]);
    expect(seen).toEqual([{ kind: "resync" }]);
    // Live again: no more polling.
    await vi.advanceTimersByTimeAsync(POLL_MS * 2);
    expect(seen).toEqual([{ kind: "resync" }]);
    stop();
  });

  it("falls back to polling every POLL_MS when the stream is refused", async () => {
    const fetch = vi.fn(async () => new Response('{"detail":"x"}', { status: 403 }));
    const seen: Change[] = [];
    const stop = watchChanges("policy", "demo", (c) => seen.push(c), {
      fetch: fetch as unknown as typeof globalThis.fetch,
      token: async () => "t",
    });
    await vi.advanceTimersByTimeAsync(POLL_MS * 2 + 10);
    expect(seen).toEqual([{ kind: "resync" }, { kind: "resync" }]);
    // Refused (403): not tried again, polling goes on.
    expect(fetch).toHaveBeenCalledTimes(1);
    stop();
    await vi.advanceTimersByTimeAsync(POLL_MS * 2);
    expect(seen).toHaveLength(2);
  });

  it("polls behind a proxy that buffers the stream, and makes a silent connection again", async () => {
    // As a real fetch: aborting it errors the body being read.
    const fetch = vi.fn(async (_input: RequestInfo | URL, init?: RequestInit) => {
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          init?.signal?.addEventListener("abort", () => controller.error(new DOMException("aborted", "AbortError")));
        },
      });
      return new Response(body, { headers: { "content-type": "text/event-stream" } });
    });
    const seen: Change[] = [];
    const stop = watchChanges("reports", "demo", (c) => seen.push(c), {
      fetch: fetch as unknown as typeof globalThis.fetch,
      token: async () => "t",
    });
    await vi.advanceTimersByTimeAsync(POLL_MS + 10);
    expect(seen).toEqual([{ kind: "resync" }]);
    expect(fetch).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(SILENCE_MS - POLL_MS + backoff(0) + 10);
    expect(fetch).toHaveBeenCalledTimes(2);
    stop();
  });

  it("takes a stream that ended up again at once", async () => {
    const fetch = vi.fn(async () => eventStream(['event: ready\ndata: {}\n\nevent: end\ndata: {"reason":"token expired"}\n\n']));
    const stop = watchChanges("policy", "demo", () => undefined, {
      fetch: fetch as unknown as typeof globalThis.fetch,
      token: async () => "t",
    });
    await vi.advanceTimersByTimeAsync(300);
    expect(fetch.mock.calls.length).toBeGreaterThanOrEqual(2);
    stop();
  });
});

describe("backoff and coalesced", () => {
  it("doubles up to a minute", () => {
    expect([0, 1, 2, 10].map(backoff)).toEqual([1000, 2000, 4000, 60000]);
  });

  it("runs once for hints that come together", () => {
    vi.useFakeTimers();
    const run = vi.fn();
    const hint = coalesced(run, 300);
    hint();
    hint();
    hint();
    vi.advanceTimersByTime(300);
    expect(run).toHaveBeenCalledTimes(1);
    hint();
    vi.advanceTimersByTime(300);
    expect(run).toHaveBeenCalledTimes(2);
    vi.useRealTimers();
  });
});
