// A parser of server-sent events (the text/event-stream format of the HTML standard), fed
// the decoded chunks of a fetch body. Hand-written, not EventSource: EventSource cannot send
// an Authorization header, and a token must never go into a URL; nor
// @microsoft/fetch-event-source: the few lines below are all this app needs (event, data,
// comments; no `id`/`retry`, reconnecting is lib/live.ts's), with no dependency to keep.

export interface ServerEvent {
  event: string;
  data: string;
}

export class SseParser {
  private buffer = "";
  private event = "";
  private data: string[] = [];

  /** The complete events in `chunk` (with what earlier chunks left unfinished). */
  feed(chunk: string): ServerEvent[] {
    this.buffer += chunk;
    const events: ServerEvent[] = [];
    // A line ends with CRLF, LF or CR; a CR at the very end may be half a CRLF: wait.
    for (;;) {
      const match = /\r\n|\n|\r(?!$)/.exec(this.buffer);
      if (!match) break;
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      const done = this.line(line);
      if (done) events.push(done);
    }
    return events;
  }

  private line(line: string): ServerEvent | null {
    if (line === "") {
      // A blank line dispatches the event; one without data is nothing.
      const out = this.data.length ? { event: this.event || "message", data: this.data.join("\n") } : null;
      this.event = "";
      this.data = [];
      return out;
    }
    if (line.startsWith(":")) return null; // a comment: the server's keep-alive
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") this.event = value;
    else if (field === "data") this.data.push(value);
    return null;
  }
}
