// A signed-in person's session. The access token lives in this module's memory only, never
// in browser storage or a URL. The refresh token lives in identity's HttpOnly cookie
// (`X-SafeHands-Session: cookie` on every identity request; services/identity/
// refresh_cookie.py): no script, this one included, can read it, and it travels only to
// identity, from this origin. So a reload, a new tab or a typed address carries on with the
// session (`resume`), and an injected script has no long-lived token to steal (README,
// "The web session").
//
// Access tokens last 10 minutes; while the person is active they are renewed shortly before
// they end. After 30 minutes without any activity, in any of this browser's tabs, the
// session ends, on the server too, and the cookie is removed.
import { get, writable } from "svelte/store";
// Its requests stay on lib/api.ts's `request`: each sends the X-SafeHands-Session header,
// which the typed client does not pass on. Their answers' types are identity's (generated,
// src/lib/openapi/identity.d.ts; a type import only, nothing in the bundle).
import { ApiError, NetworkError, request } from "./api";
import type { components } from "./openapi/identity";

type Identity = components["schemas"];
export type Membership = Identity["MembershipView"];

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

/** A membership's own page: its first workspace, or /me (a volunteer's). */
export function pageOf(membership: Membership): string {
  return workspacesFor(membership.roles)[0] ?? "/me";
}

/** The role a page is for (`/vcp/cases/…` → "vcp"); null for pages every member has. */
export function roleOfPage(path: string): string | null {
  const found = /^\/(admin|coordinator|vcp|operator)(?:\/|$)/.exec(path);
  return found ? found[1]! : null;
}

const same = (a: { org_id: string | null; sub: string }, b: { org_id: string | null; sub: string }) =>
  a.org_id === b.org_id && a.sub === b.sub;

/** The membership to open `path` with: the preferred one (the invitation's or the last
 * used, as identity says) when its roles open the page, else the first whose roles do,
 * else the preferred one or the only one. null: the person chooses. */
export function membershipFor(
  memberships: readonly Membership[],
  preferred: { org_id: string | null; sub: string } | null,
  path: string | null,
): Membership | null {
  const favourite = preferred ? (memberships.find((m) => same(m, preferred)) ?? null) : null;
  const role = path ? roleOfPage(path) : null;
  if (role) {
    if (favourite?.roles.includes(role)) return favourite;
    const opens = memberships.find((m) => m.roles.includes(role));
    if (opens) return opens;
  }
  return favourite ?? (memberships.length === 1 ? memberships[0]! : null);
}

export type SignOutReason = "asked" | "idle" | "ended";

/** The session the pages show (in memory); null when nobody is signed in. No refresh token
 * is in it, nor anywhere in this page: it is in identity's HttpOnly cookie. */
export const session = writable<Session | null>(null);
/** Why the last session ended, for the sign-in page to say so. */
export const lastSignOut = writable<SignOutReason | null>(null);
/** True while a freshly loaded page asks identity whether this browser has a session. */
export const resuming = writable<boolean>(false);

// Every identity request opts in to the cookie; the browser adds it (same origin only).
const COOKIE_MODE = { "x-safehands-session": "cookie" };
const identity = <T>(path: string, body: unknown) =>
  request<T>("identity", path, { body, headers: COOKIE_MODE });

let lastActivity = Date.now();
let lastRenewal = 0;
let timer: ReturnType<typeof setInterval> | null = null;
let stopWatching: (() => void) | null = null;

// The tabs of one browser share the cookie, so they share activity and sign-out: a person
// working in one tab is not signed out by another left idle, and signing out in one ends
// them all. A BroadcastChannel carries only these two words, never a token.
type TabMessage = "active" | `signed-out:${SignOutReason}`;
const channel: BroadcastChannel | null =
  typeof BroadcastChannel === "undefined" ? null : new BroadcastChannel("safehands-session");
let lastTold = 0;

channel?.addEventListener("message", (event: MessageEvent<TabMessage>) => {
  if (event.data === "active") lastActivity = Date.now();
  else if (event.data.startsWith("signed-out:") && get(session)) {
    const reason = event.data.slice("signed-out:".length);
    end(reason === "idle" || reason === "ended" ? reason : "asked");
  }
});

function markActive() {
  lastActivity = Date.now();
  if (lastActivity - lastTold > CHECK_EVERY_MS) {
    lastTold = lastActivity;
    channel?.postMessage("active" satisfies TabMessage);
  }
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
  stopAll();
  session.set(null);
  lastSignOut.set(reason);
}

function begin(memberships: Membership[]) {
  lastActivity = Date.now();
  lastSignOut.set(null);
  session.set({ memberships, active: null });
  startWatching();
}

/** Ask for a sign-in link. The answer is the same whether or not the address is known. */
export async function requestSignIn(email: string, next?: string): Promise<void> {
  await request("identity", "/v1/sign-in", { body: next ? { email, next } : { email } });
}

type MembershipRef = Pick<Membership, "org_id" | "sub">;

/** identity's answer to a sign-in, by a link's code or by a passkey. */
export type SignedInAnswer = Identity["SignedInAnswer"];

export interface SignInResult {
  next: string | null;
  preferred: MembershipRef | null;
}

/** Start the session a sign-in answered with (identity put its refresh token in the cookie). */
export function signedIn(answer: SignedInAnswer): SignInResult {
  begin(answer.memberships);
  return { next: answer.next ?? null, preferred: answer.preferred ?? null };
}

/** Trade a link's code for a session (not yet for one organisation); identity puts the
 * refresh token in its cookie. */
export async function exchangeCode(code: string): Promise<SignInResult> {
  return signedIn(await identity<SignedInAnswer>("/v1/sign-in/exchange", { code }));
}

type SessionAnswer = Identity["SessionView"];

let resumed: Promise<void> | null = null;

/** On a page that was loaded afresh (a reload, a new tab, a typed address): carry on with
 * the session in identity's cookie, in the membership that opens `path`. Quietly nothing
 * when this browser holds no session. */
export function resume(path: string): Promise<void> {
  if (get(session)) return Promise.resolve();
  resumed ??= (async () => {
    resuming.set(true);
    try {
      const answer = await identity<SessionAnswer>("/v1/session", {});
      if (answer.memberships.length === 0 || get(session)) return;
      begin(answer.memberships);
      const membership = membershipFor(answer.memberships, answer.preferred, path);
      if (membership) await useMembership(membership);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        if (get(session)) end("ended");
      } else if (!(error instanceof NetworkError)) throw error;
    } finally {
      resuming.set(false);
      resumed = null;
    }
  })();
  return resumed;
}

type TokenAnswer = Identity["IssuedTokens"];

// Identity rotates the refresh token on every use and treats a second use of the same one as
// theft (the whole session ends). So at most one rotation is in flight: within this page
// (the renewal timer, a request that needs a fresh token, a click on a membership) through
// one promise chain, and across this browser's tabs, which share the cookie, through a Web
// Lock: the next tab's rotation starts only once the cookie holds the new token.
let rotation: Promise<void> | null = null;

function acrossTabs(work: () => Promise<void>): Promise<void> {
  const locks = typeof navigator === "undefined" ? undefined : navigator.locks;
  return locks ? locks.request("safehands-refresh", work) : work();
}

/** An access token for one membership; the refresh token is rotated on the way. */
export function useMembership(membership: Membership): Promise<void> {
  const pending = rotation ?? Promise.resolve();
  const next = pending
    .catch(() => undefined)
    .then(() => acrossTabs(() => rotate(membership)))
    .finally(() => {
      if (rotation === next) rotation = null;
    });
  rotation = next;
  return next;
}

async function rotate(membership: Membership): Promise<void> {
  const current = get(session);
  if (!current) throw new ApiError(401, "Not signed in.");
  const answer = await identity<TokenAnswer>("/v1/tokens", {
    org_id: membership.org_id,
    sub: membership.sub,
  });
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
  if (resumed) await resumed;
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

/** End the session here, in this browser's other tabs and on the server (every refresh
 * token of this sign-in; with `everywhere`, of every sign-in of the person, on every
 * device). identity removes the cookie. */
export async function signOut(reason: SignOutReason = "asked", everywhere = false): Promise<void> {
  const wasSignedIn = get(session) !== null;
  end(reason);
  channel?.postMessage(`signed-out:${reason}` satisfies TabMessage);
  if (!wasSignedIn && !everywhere) return;
  try {
    await identity("/v1/sign-out", everywhere ? { everywhere: true } : {});
  } catch {
    // Already forgotten here; the server's session ends by itself after 30 idle minutes.
  }
}
