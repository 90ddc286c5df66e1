import { describe, expect, it } from "vitest";
import { ApiError, NetworkError } from "./api";
import { ReplyState, sendTyped } from "./reply.svelte";

const TEXTS = {
  empty: "Write something first.",
  unreachable: "Not sent: no connection.",
  refused: (detail: string) => `Not sent: ${detail}`,
};

describe("sendTyped", () => {
  it("sends the trimmed text and answers null once it is sent", async () => {
    const sent: string[] = [];
    const answer = await sendTyped("  Thank you.  ", async (text) => void sent.push(text), TEXTS);
    expect(answer).toBeNull();
    expect(sent).toEqual(["Thank you."]);
  });

  it("refuses an empty reply before any request", async () => {
    let asked = false;
    const answer = await sendTyped("   ", async () => void (asked = true), TEXTS);
    expect(answer).toBe(TEXTS.empty);
    expect(asked).toBe(false);
  });

  it("says the platform's sentence for a refusal, and no connection for the rest", async () => {
    const refuse = async () => {
      throw new ApiError(409, "The case is closed.");
    };
    expect(await sendTyped("Hi", refuse, TEXTS)).toBe("Not sent: The case is closed.");
    const unreachable = async () => {
      throw new NetworkError();
    };
    expect(await sendTyped("Hi", unreachable, TEXTS)).toBe(TEXTS.unreachable);
    const broken = async () => {
      throw new ApiError(503, "Down.");
    };
    expect(await sendTyped("Hi", broken, TEXTS)).toBe(TEXTS.unreachable);
  });

  it("lets a bug through", async () => {
    const bug = async () => {
      throw new TypeError("x is undefined");
    };
    await expect(sendTyped("Hi", bug, TEXTS)).rejects.toThrow(TypeError);
  });
});

describe("ReplyState", () => {
  it("is sending while the reply is on its way, refuses a second one meanwhile, then is sent", async () => {
    const state = new ReplyState("reply-text", () => TEXTS);
    let release: () => void = () => undefined;
    const sends: string[] = [];
    const first = state.submit("One", (text) => {
      sends.push(text);
      return new Promise<void>((resolve) => (release = resolve));
    });
    expect(state.sending).toBe(true);
    await state.submit("Two", async (text) => void sends.push(text));
    release();
    await first;
    expect(sends).toEqual(["One"]);
    expect([state.sending, state.sent, state.error]).toEqual([false, true, null]);
  });
});
