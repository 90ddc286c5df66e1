// The VCP's unlocked private key, in this module's memory only: forgotten after 15 minutes
// without activity, at sign-out, and when the session ends by itself. A reload forgets it too.
import { writable } from "svelte/store";
import type { PrivateKey } from "../crypto";
import { forgetWhenDone } from "./keyInUse";
import { session } from "./session";

export const KEY_IDLE_LIMIT_MS = 15 * 60 * 1000;
const CHECK_EVERY_MS = 15 * 1000;

export interface Unlocked {
  key: PrivateKey;
  org: string;
  vcpId: string;
}

/** The unlocked key for the page; null when locked. */
export const unlocked = writable<Unlocked | null>(null);
/** Why the key was last forgotten, for the page to say so. */
export const lockedBecause = writable<"idle" | "asked" | null>(null);

let current: Unlocked | null = null;
let lastActivity = Date.now();
let timer: ReturnType<typeof setInterval> | null = null;
const EVENTS = ["pointerdown", "keydown", "scroll", "touchstart"] as const;

function markActive() {
  lastActivity = Date.now();
}

/** Whether the key should be forgotten now: a plain function of the clock. */
export function idleTooLong(now: number, last: number): boolean {
  return now - last >= KEY_IDLE_LIMIT_MS;
}

function check() {
  if (current && idleTooLong(Date.now(), lastActivity)) lock("idle");
}

export function keepUnlocked(key: PrivateKey, org: string, vcpId: string): void {
  if (current && current.key !== key) forgetWhenDone(current.key);
  current = { key, org, vcpId };
  lastActivity = Date.now();
  lockedBecause.set(null);
  unlocked.set(current);
  if (timer === null) {
    for (const name of EVENTS) window.addEventListener(name, markActive, { passive: true });
    timer = setInterval(check, CHECK_EVERY_MS);
  }
}

/** The page locks at once; the key is forgotten now, or once a reply on its way is signed (lib/keyInUse.ts). */
export function lock(reason: "idle" | "asked" = "asked"): void {
  if (current) forgetWhenDone(current.key);
  current = null;
  unlocked.set(null);
  lockedBecause.set(reason);
  if (timer !== null) {
    clearInterval(timer);
    timer = null;
    for (const name of EVENTS) window.removeEventListener(name, markActive);
  }
}

// Signing out (or a session that ends by itself, or another membership) forgets the key.
session.subscribe((now) => {
  if (!current) return;
  const active = now?.active;
  if (!active || active.orgId !== current.org || active.sub !== current.vcpId) lock("asked");
});
