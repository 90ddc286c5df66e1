import { afterEach, describe, expect, it, vi } from "vitest";
import { KeyForgotten, generateKeyPair, messageContext, seal, signMessage, type PrivateKey } from "../crypto";
import { IN_USE_LIMIT_MS, forgetWhenDone, whileInUse } from "./keyInUse";

const ORG = "org-1";
const REPORT = "00000000-0000-4000-8000-000000000001";
const MESSAGE = "00000000-0000-4000-8000-000000000002";

async function signs(key: PrivateKey): Promise<boolean> {
  const { publicKey } = await generateKeyPair("X25519");
  const envelope = await seal({ text: "x" }, messageContext(ORG, REPORT, MESSAGE), [publicKey]);
  try {
    signMessage(key, ORG, REPORT, MESSAGE, envelope);
    return true;
  } catch (error) {
    if (error instanceof KeyForgotten) return false;
    throw error;
  }
}

afterEach(() => {
  vi.useRealTimers();
});

describe("forgetWhenDone", () => {
  it("forgets a key nobody uses at once", async () => {
    const { privateKey } = await generateKeyPair("X25519");
    forgetWhenDone(privateKey);
    expect(await signs(privateKey)).toBe(false);
  });

  it("lets a reply that was on its way sign, then forgets the key", async () => {
    const { privateKey } = await generateKeyPair("X25519");
    let release: () => void = () => undefined;
    const underway = new Promise<void>((resolve) => (release = resolve));
    const reply = whileInUse(privateKey, async () => {
      await underway; // the files upload, the keys load: the VCP presses "Lock" meanwhile
      return signs(privateKey);
    });
    forgetWhenDone(privateKey);
    release();
    expect(await reply).toBe(true);
    expect(await signs(privateKey)).toBe(false);
  });

  it("waits for every use, and forgets after the last", async () => {
    const { privateKey } = await generateKeyPair("X25519");
    let releaseFirst: () => void = () => undefined;
    const first = whileInUse(privateKey, () => new Promise<void>((resolve) => (releaseFirst = resolve)));
    let releaseSecond: () => void = () => undefined;
    const second = whileInUse(privateKey, () => new Promise<void>((resolve) => (releaseSecond = resolve)));
    forgetWhenDone(privateKey);
    releaseFirst();
    await first;
    expect(await signs(privateKey)).toBe(true);
    releaseSecond();
    await second;
    expect(await signs(privateKey)).toBe(false);
  });

  it("forgets a key still in use after the limit, and a failed use lets it go too", async () => {
    const { privateKey } = await generateKeyPair("X25519");
    vi.useFakeTimers();
    const stuck = whileInUse(privateKey, () => new Promise<void>(() => undefined));
    forgetWhenDone(privateKey);
    vi.advanceTimersByTime(IN_USE_LIMIT_MS - 1);
    expect(await signs(privateKey)).toBe(true);
    vi.advanceTimersByTime(1);
    expect(await signs(privateKey)).toBe(false);
    void stuck;

    const other = await generateKeyPair("X25519");
    const failing = whileInUse(other.privateKey, async () => {
      await Promise.resolve();
      throw new Error("offline");
    });
    forgetWhenDone(other.privateKey);
    await expect(failing).rejects.toThrow("offline");
    expect(await signs(other.privateKey)).toBe(false);
  });

  it("keeps a key in use that nobody asked to forget", async () => {
    const { privateKey } = await generateKeyPair("X25519");
    await whileInUse(privateKey, async () => undefined);
    expect(await signs(privateKey)).toBe(true);
  });
});
