// A signed-in person's session, held in memory only: the refresh and access tokens live in
// this module's variables, never in browser storage, a cookie or a URL. A reload therefore
// ends the session; that is the price of leaving nothing behind on a shared computer.
//
// Access tokens last 10 minutes; while the person is active they are renewed shortly before
// they end. After 30 minutes without any activity the session is ended, on the server too.
import { get, writable } from "svelte/store";
import { ApiError, NetworkError, postJson } from "./api";

export interface Membership {
  org_id: string | null;
  roles: string[];
  sub: string;
}

export interface Active {
  orgId: string | null;
  sub: string;
  roles: string[];
  accessToken: string;
  /** When the access token ends, in ms since the epoch. */
  expiresAt: number;
}

export interface Session {
  memberships: Membership[];
  active: Active | null;
}

export const IDLE_LIMIT_MS = 30 * 60 * 1000;
/** Renew this long before the access token ends (and only when the person was active). */
export const RENEW_AHEAD_MS = 90 * 1000;
export const CHECK_EVERY_MS = 15 * 1000;

/** What the renewal loop should do now: a plain function of the clock, tested alone. */
export function nextStep(
  now: number,
  lastActivity: number,
  lastRenewal: number,
  active: { expiresAt: number } | null,
): "sign-out" | "renew" | "wait" {
  if (now - lastActivity >= IDLE_LIMIT_MS) return "sign-out";
  if (!active) return "wait";
  const endsSoon = active.expiresAt - now <= RENEW_AHEAD_MS;
  const activeSinceRenewal = lastActivity > lastRenewal;
  if (endsSoon && (activeSinceRenewal || active.expiresAt <= now)) return "renew";
  return "wait";
}

/** The pages a membership's roles open, in the order the navigation shows them. */
export function workspacesFor(roles: readonly string[]): string[] {
  const order = ["admin", "coordinator", "vcp", "operator"] as const;
  return order.filter((role) => roles.includes(role)).map((role) => `/${role}`);
}

export type SignOutReason = "asked" | "idle" | "ended";

/** The session the pages show (in memory); null when nobody is signed in. The refresh
 * token is not in it: only this module's functions use that one. */
export const session = writable<Session | null>(null);
/** Why the last session ended, for the sign-in page to say so. */
export const lastSignOut = writable<SignOutReason | null>(null);

// The secrets themselves: module variables, not in any store a component could persist.
let refreshToken: string | null = null;
let lastActivity = Date.now();
let lastRenewal = 0;
let timer: ReturnType<typeof setInterval> | null = null;
let stopWatching: (() => void) | null = null;

function markActive() {
  lastActivity = Date.now();
}

function startWatching() {
  if (timer !== null) return;
  const events = ["pointerdown", "keydown", "scroll", "touchstart"] as const;
  for (const name of events) window.addEventListener(name, markActive, { passive: true });
  stopWatching = () => {
    for (const name of events) window.removeEventListener(name, markActive);
  };
  timer = setInterval(() => void tick(), CHECK_EVERY_MS);
}

function stopAll() {
  if (timer !== null) clearInterval(timer);
  timer = null;
  stopWatching?.();
  stopWatching = null;
}

async function tick() {
  const current = get(session);
  const step = nextStep(Date.now(), lastActivity, lastRenewal, current?.active ?? null);
  if (step === "sign-out") await signOut("idle");
  else if (step === "renew" && current?.active) {
    try {
      await useMembership({
        org_id: current.active.orgId,
        sub: current.active.sub,
        roles: current.active.roles,
      });
    } catch (error) {
      // A network hiccup is tried again on the next tick; a refused refresh ends it.
      if (error instanceof ApiError && error.status === 401) end("ended");
      else if (!(error instanceof NetworkError)) throw error;
    }
  }
}

function end(reason: SignOutReason) {
  refreshToken = null;
  stopAll();
  session.set(null);
  lastSignOut.set(reason);
}

/** Ask for a sign-in link. The answer is the same whether or not the address is known. */
export async function requestSignIn(email: string, next?: string): Promise<void> {
  await postJson("identity", "/v1/sign-in", next ? { email, next } : { email });
}

interface ExchangeAnswer {
  refresh_token: string;
  memberships: Membership[];
  next?: string | null;
}

/** Trade a link's code for a session (not yet for one organisation). */
export async function exchangeCode(code: string): Promise<{ next: string | null }> {
  const answer = await postJson<ExchangeAnswer>("identity", "/v1/sign-in/exchange", { code });
  refreshToken = answer.refresh_token;
  lastActivity = Date.now();
  lastSignOut.set(null);
  session.set({ memberships: answer.memberships, active: null });
  startWatching();
  return { next: answer.next ?? null };
}

interface TokenAnswer {
  access_token: string;
  expires_in: number;
  refresh_token: string;
  roles?: string[];
}

// Identity rotates the refresh token on every use and treats a second use of the same one as
// theft (the whole session ends). So at most one rotation is in flight: the renewal timer,
// a request that needs a fresh token and a click on a membership all wait for the same one.
let rotation: Promise<void> | null = null;

/** An access token for one membership; the refresh token is rotated on the way. */
export function useMembership(membership: Membership): Promise<void> {
  const pending = rotation ?? Promise.resolve();
  const next = pending
    .catch(() => undefined)
    .then(() => rotate(membership))
    .finally(() => {
      if (rotation === next) rotation = null;
    });
  rotation = next;
  return next;
}

async function rotate(membership: Membership): Promise<void> {
  const current = get(session);
  if (!refreshToken || !current) throw new ApiError(401, "Not signed in.");
  const answer = await postJson<TokenAnswer>("identity", "/v1/tokens", {
    refresh_token: refreshToken,
    org_id: membership.org_id,
    sub: membership.sub,
  });
  refreshToken = answer.refresh_token;
  lastRenewal = Date.now();
  session.set({
    memberships: current.memberships,
    active: {
      orgId: membership.org_id,
      sub: membership.sub,
      roles: answer.roles ?? membership.roles,
      accessToken: answer.access_token,
      expiresAt: Date.now() + answer.expires_in * 1000,
    },
  });
}

/** The access token for a request now, renewed first when it has ended. */
export async function accessToken(): Promise<string | null> {
  const current = get(session);
  if (!current?.active) return null;
  if (current.active.expiresAt <= Date.now() + 5_000) {
    await useMembership({
      org_id: current.active.orgId,
      sub: current.active.sub,
      roles: current.active.roles,
    });
  }
  return get(session)?.active?.accessToken ?? null;
}

/** End the session here and on the server (every refresh token of this sign-in). */
export async function signOut(reason: SignOutReason = "asked"): Promise<void> {
  const token = refreshToken;
  end(reason);
  if (token) {
    try {
      await postJson("identity", "/v1/sign-out", { refresh_token: token });
    } catch {
      // Already forgotten here; the server's refresh token ends within its lifetime anyway.
    }
  }
}
