// A tiny History-API router: one page per path, links that change the page without a reload.
import { writable } from "svelte/store";

/** The signed-in workspaces. Each owns every path under its own (`/vcp/cases/<id>`,
 * `/admin/roles`, `/operator/orgs/<slug>`, …): the router hands the page the segments after
 * the prefix in `rest`, and the page decides what they mean, so a new place in a workspace
 * needs no change here. */
export const WORKSPACES = ["coordinator", "vcp", "admin", "operator"] as const;
export type WorkspaceName = (typeof WORKSPACES)[number];

export type Route =
  | { name: "home" }
  | { name: "org"; org: string }
  | { name: "report"; org: string }
  | { name: "follow-up"; org: string }
  | { name: "apply"; org: string }
  | { name: "sign-in" }
  | { name: "sign-in-callback" }
  | { name: "me" }
  | { name: "admin-log" }
  | { name: "vacancies" }
  | { name: WorkspaceName; rest: string[] }
  | { name: "not-found" };

// The organisation slug as policy accepts it (shared/events/base.py ORG_ID_PATTERN).
const ORG = "([a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?)";
// One segment of a place in a workspace: an id or a section name (uuids, slugs, hex ids).
const SEGMENT = /^[A-Za-z0-9._~-]{1,200}$/;

const PATTERNS: [RegExp, (found: RegExpExecArray) => Route][] = [
  [/^\/$/, () => ({ name: "home" })],
  [new RegExp(`^/o/${ORG}$`), (found) => ({ name: "org", org: found[1]! })],
  [new RegExp(`^/o/${ORG}/report$`), (found) => ({ name: "report", org: found[1]! })],
  [new RegExp(`^/o/${ORG}/follow-up$`), (found) => ({ name: "follow-up", org: found[1]! })],
  [new RegExp(`^/o/${ORG}/apply$`), (found) => ({ name: "apply", org: found[1]! })],
  [/^\/sign-in$/, () => ({ name: "sign-in" })],
  [/^\/sign-in\/callback$/, () => ({ name: "sign-in-callback" })],
  [/^\/me$/, () => ({ name: "me" })],
  // The audit log is a page of its own (pages/AdminLog.svelte), not a section of /admin.
  [/^\/admin\/log$/, () => ({ name: "admin-log" })],
  // The region's open roles (issue 25): public, in Dutch as the regional page is named.
  [/^\/vacatures$/, () => ({ name: "vacancies" })],
];

function workspaceRoute(path: string): Route | null {
  const [first, ...rest] = path.slice(1).split("/");
  const name = WORKSPACES.find((workspace) => workspace === first);
  if (!name) return null;
  if (!rest.every((segment) => SEGMENT.test(segment))) return { name: "not-found" };
  return { name, rest };
}

/** The page for a path; a trailing slash is forgiven, anything unknown is `not-found`. */
export function matchRoute(pathname: string): Route {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, "") : pathname;
  for (const [pattern, route] of PATTERNS) {
    const found = pattern.exec(path);
    if (found) return route(found);
  }
  return workspaceRoute(path) ?? { name: "not-found" };
}

/** Whether a route is one of the signed-in pages, which carry on with a session this
 * browser holds (lib/session.ts `resume`); public and reporter pages never ask. */
export function isSignedInRoute(route: Route): boolean {
  return (
    route.name === "me" ||
    route.name === "admin-log" ||
    (WORKSPACES as readonly string[]).includes(route.name)
  );
}

/** Whether a route is a reporter page: those carry the "leave quickly" button. The
 * application page is one too: it is the organisation's public page, without a session. */
export function isReporterRoute(route: Route): boolean {
  return (
    route.name === "org" ||
    route.name === "report" ||
    route.name === "follow-up" ||
    route.name === "apply"
  );
}

export interface Place {
  path: string;
  search: string;
}

function here(): Place {
  return { path: window.location.pathname, search: window.location.search };
}

export const place = writable<Place>(
  typeof window === "undefined" ? { path: "/", search: "" } : here(),
);

/** Whether a route is public: for anyone, without a session. These carry "leave quickly"
 * (a page added later is public unless it is named here as a signed-in one). */
export function isPublicRoute(route: Route): boolean {
  return !SIGNED_IN.has(route.name);
}

const SIGNED_IN = new Set<string>([
  "coordinator",
  "sign-in-callback",
  "me",
  "vcp",
  "admin",
  "operator",
]);

/** Only the VCP's workspace may compile WebAssembly (hash-wasm's Argon2id opens key files
 * there), so only its documents get a Content-Security-Policy with 'wasm-unsafe-eval'
 * (deploy/Caddyfile); every other page, the reporter's first, never does. The policy belongs
 * to the document, so moving between /vcp and any other page loads a new document; the
 * session carries on from identity's cookie (lib/session.ts `resume`). */
export function needsWasm(pathname: string): boolean {
  return /^\/vcp(\/|$)/.test(pathname);
}

const documentAllowsWasm =
  typeof window === "undefined" ? false : needsWasm(window.location.pathname);

function needsOwnDocument(to: string): boolean {
  if (typeof window === "undefined") return false;
  return needsWasm(new URL(to, window.location.href).pathname) !== documentAllowsWasm;
}

// Each entry this document pushes is stamped with its position, so that "leave quickly"
// (lib/leave.ts) knows how many of the tab's entries are this document's.
function position(): number {
  const state: unknown = window.history.state;
  if (state && typeof state === "object" && "position" in state) {
    const value = (state as { position: unknown }).position;
    if (typeof value === "number" && Number.isInteger(value) && value >= 0) return value;
  }
  return 0;
}

/** Go to a path of this app without reloading; `replace` keeps it out of the back history. */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (needsOwnDocument(to)) {
    if (options.replace) window.location.replace(to);
    else window.location.assign(to);
    return;
  }
  if (options.replace) window.history.replaceState({ position: position() }, "", to);
  else window.history.pushState({ position: position() + 1 }, "", to);
  place.set(here());
}

/** Whether a click on this link should be handled by the router instead of the browser. */
export function handledByRouter(
  anchor: { href: string; target: string; hasAttribute(name: string): boolean },
  click: { button: number; metaKey: boolean; ctrlKey: boolean; shiftKey: boolean; altKey: boolean },
  origin: string,
): boolean {
  if (click.button !== 0 || click.metaKey || click.ctrlKey || click.shiftKey || click.altKey) {
    return false;
  }
  if ((anchor.target && anchor.target !== "_self") || anchor.hasAttribute("download")) return false;
  if (anchor.hasAttribute("data-reload")) return false;
  let url: URL;
  try {
    url = new URL(anchor.href);
  } catch {
    return false;
  }
  return url.origin === origin;
}

/** Follow the back and forward buttons and take over same-origin link clicks. */
export function startRouter(): () => void {
  const onPopState = () => {
    // Back or Forward across the VCP's workspace's border: the page needs its own document.
    if (needsWasm(window.location.pathname) !== documentAllowsWasm) {
      window.location.reload();
      return;
    }
    place.set(here());
  };
  const onClick = (event: MouseEvent) => {
    if (event.defaultPrevented) return;
    const anchor = (event.target as Element | null)?.closest?.("a");
    if (!anchor || !handledByRouter(anchor, event, window.location.origin)) return;
    const url = new URL(anchor.href);
    event.preventDefault();
    if (url.pathname + url.search === window.location.pathname + window.location.search) return;
    navigate(url.pathname + url.search + url.hash);
  };
  window.addEventListener("popstate", onPopState);
  document.addEventListener("click", onClick);
  return () => {
    window.removeEventListener("popstate", onPopState);
    document.removeEventListener("click", onClick);
  };
}
