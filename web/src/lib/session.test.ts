import { describe, expect, it } from "vitest";
import {
  IDLE_LIMIT_MS,
  RENEW_AHEAD_MS,
  membershipFor,
  nextStep,
  pageOf,
  roleOfPage,
  workspacesFor,
} from "./session";
import { codeOfFragment, consumeCode, takeCodeFromUrl } from "./signInCode";

const MINUTE = 60_000;

describe("nextStep: renewal and idle sign-out by the clock", () => {
  const start = 1_000_000;
  const token = (minutesLeft: number) => ({ expiresAt: start + minutesLeft * MINUTE });

  it("waits while the access token has time left", () => {
    expect(nextStep(start, start, start - MINUTE, token(9))).toBe("wait");
  });

  it("renews shortly before the token ends when the person was active since", () => {
    const now = start + 9 * MINUTE;
    expect(nextStep(now, now - 1000, start, { expiresAt: now + RENEW_AHEAD_MS - 1 })).toBe("renew");
  });

  it("does not renew for a person who did nothing since the last renewal", () => {
    const now = start + 9 * MINUTE;
    expect(nextStep(now, start - 1000, start, { expiresAt: now + 1000 })).toBe("wait");
  });

  it("renews an ended token once the person is back, within the idle limit", () => {
    const now = start + 20 * MINUTE;
    expect(nextStep(now, now - 1000, start, token(10))).toBe("renew");
  });

  it("signs out after 30 minutes without activity, and not a moment before", () => {
    expect(nextStep(start + IDLE_LIMIT_MS - 1, start, start, token(100))).toBe("wait");
    expect(nextStep(start + IDLE_LIMIT_MS, start, start, token(100))).toBe("sign-out");
    expect(nextStep(start + IDLE_LIMIT_MS, start, start, null)).toBe("sign-out");
  });
});

describe("workspacesFor", () => {
  it("shows only the workspaces the roles open", () => {
    expect(workspacesFor(["coordinator"])).toEqual(["/coordinator"]);
    expect(workspacesFor(["vcp", "admin"])).toEqual(["/admin", "/vcp"]);
    expect(workspacesFor(["volunteer"])).toEqual([]);
    expect(workspacesFor(["operator"])).toEqual(["/operator"]);
  });
});

describe("the sign-in code in the URL's fragment", () => {
  it("is read from #code=…", () => {
    expect(codeOfFragment("#code=abc-123")).toBe("abc-123");
    expect(codeOfFragment("#other=1")).toBeNull();
    expect(codeOfFragment("")).toBeNull();
    expect(codeOfFragment("#code=")).toBeNull();
  });

  it("leaves the address at once and is handed out once", () => {
    const replaced: string[] = [];
    const location = { hash: "#code=s3cret", pathname: "/sign-in/callback", search: "?lang=en" };
    const history = {
      state: null,
      replaceState: (_state: unknown, _title: string, url: string) => replaced.push(url),
    };
    takeCodeFromUrl(location as Location, history as unknown as History);
    expect(replaced).toEqual(["/sign-in/callback?lang=en"]);
    expect(consumeCode()).toBe("s3cret");
    expect(consumeCode()).toBeNull();
  });
});

describe("refresh tokens are rotated one at a time", () => {
  it("never sends one refresh token twice, however many renewals overlap", async () => {
    const { vi } = await import("vitest");
    const { exchangeCode, useMembership, signOut } = await import("./session");
    // A fake identity and the browser's cookie jar: every refresh token works once (a second
    // use ends the session); the page itself never sees one, it only opts in to the cookie.
    const used = new Set<string>();
    let jar: string | null = null;
    let issued = 0;
    const bodies: string[] = [];
    const fake = async (_url: string, init: { body?: string; headers?: Record<string, string> }) => {
      bodies.push(init.body ?? "");
      expect(init.headers?.["x-safehands-session"]).toBe("cookie");
      const answer = (status: number, value: unknown) =>
        new Response(JSON.stringify(value), { status, headers: { "content-type": "application/json" } });
      if (_url.endsWith("/v1/sign-in/exchange")) {
        jar = "r0";
        return answer(200, { refresh_token: "", memberships: [{ org_id: "demo", roles: ["admin"], sub: "m1" }] });
      }
      if (_url.endsWith("/v1/sign-out")) {
        jar = null;
        return new Response(null, { status: 204 });
      }
      const presented = jar;
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (!presented || used.has(presented)) return answer(401, { detail: "This session has ended." });
      used.add(presented);
      issued += 1;
      jar = `r${issued}`;
      return answer(200, { access_token: `a${issued}`, expires_in: 600, refresh_token: "" });
    };
    vi.stubGlobal("fetch", vi.fn(fake));
    vi.stubGlobal("window", { addEventListener: () => {}, removeEventListener: () => {} });
    try {
      await exchangeCode("code");
      const membership = { org_id: "demo", roles: ["admin"], sub: "m1" };
      await Promise.all([useMembership(membership), useMembership(membership), useMembership(membership)]);
      expect([...used]).toEqual(["r0", "r1", "r2"]);
      expect(bodies.filter((body) => body.includes("refresh_token"))).toEqual([]);
    } finally {
      await signOut();
      vi.unstubAllGlobals();
    }
    expect(jar).toBeNull();
  });
});

describe("the page a session opens", () => {
  const admin = { org_id: "demo", roles: ["admin", "coordinator"], sub: "m1" };
  const vcp = { org_id: "demo", roles: ["vcp"], sub: "v1" };
  const volunteer = { org_id: "club", roles: ["volunteer"], sub: "x1" };
  const operator = { org_id: null, roles: ["operator"], sub: "p1" };

  it("names the role of each workspace path, and each membership's own page", () => {
    expect(roleOfPage("/vcp/cases/abc")).toBe("vcp");
    expect(roleOfPage("/admin")).toBe("admin");
    expect(roleOfPage("/administrator")).toBeNull();
    expect(roleOfPage("/me")).toBeNull();
    expect(pageOf(admin)).toBe("/admin");
    expect(pageOf(vcp)).toBe("/vcp");
    expect(pageOf(volunteer)).toBe("/me");
    expect(pageOf(operator)).toBe("/operator");
  });

  it("opens a page with the preferred membership when it may, else one that may", () => {
    const all = [operator, admin, vcp, volunteer];
    expect(membershipFor(all, vcp, "/vcp/cases/abc")).toBe(vcp);
    expect(membershipFor(all, operator, "/vcp/cases/abc")).toBe(vcp);
    expect(membershipFor(all, vcp, "/coordinator/volunteers/x")).toBe(admin);
    expect(membershipFor(all, vcp, "/me")).toBe(vcp);
    expect(membershipFor(all, { org_id: "demo", sub: "v1" }, null)).toBe(vcp);
    // No preference and several memberships: the person chooses, unless the page decides.
    expect(membershipFor(all, null, "/me")).toBeNull();
    expect(membershipFor(all, null, "/operator")).toBe(operator);
    expect(membershipFor([volunteer], null, "/me")).toBe(volunteer);
    // A page no membership opens: the preferred one (the page then says so).
    expect(membershipFor([vcp, volunteer], volunteer, "/admin")).toBe(volunteer);
  });
});
