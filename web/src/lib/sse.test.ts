import { describe, expect, it } from "vitest";
import { SseParser } from "./sse";

describe("SseParser", () => {
  it("reads named events with their data", () => {
    const parser = new SseParser();
    expect(parser.feed('event: change\ndata: {"kind":"reports"}\n\n')).toEqual([
      { event: "change", data: '{"kind":"reports"}' },
    ]);
  });

  it("keeps an event that arrives in pieces until its blank line", () => {
    const parser = new SseParser();
    expect(parser.feed("event: cha")).toEqual([]);
    expect(parser.feed('nge\ndata: {"kind"')).toEqual([]);
    expect(parser.feed(':"volunteer"}\n')).toEqual([]);
    expect(parser.feed("\n")).toEqual([{ event: "change", data: '{"kind":"volunteer"}' }]);
  });

  it("takes CRLF and CR line ends, a CR split from its LF included", () => {
    const parser = new SseParser();
    expect(parser.feed("event: ready\r\ndata: {}\r")).toEqual([]);
    expect(parser.feed("\n\r\n")).toEqual([{ event: "ready", data: "{}" }]);
    expect(parser.feed("data: x\r\rdata: y\n\n")).toEqual([
      { event: "message", data: "x" },
      { event: "message", data: "y" },
    ]);
  });

  it("skips comments (keep-alives) and events without data", () => {
    const parser = new SseParser();
    expect(parser.feed(": keep-alive\n\nevent: ready\n\n")).toEqual([]);
    expect(parser.feed("event: end\ndata: a\ndata: b\n\n")).toEqual([{ event: "end", data: "a\nb" }]);
  });

  it("gives every event of one chunk, and forgets the name after each", () => {
    const parser = new SseParser();
    expect(parser.feed("event: change\ndata: 1\n\ndata: 2\n\n")).toEqual([
      { event: "change", data: "1" },
      { event: "message", data: "2" },
    ]);
  });
});
