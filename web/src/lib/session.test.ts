import { describe, expect, it } from "vitest";
import { IDLE_LIMIT_MS, RENEW_AHEAD_MS, nextStep, workspacesFor } from "./session";
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
    // A fake identity: every refresh token works once; a second use ends the session.
    const used = new Set<string>();
    let issued = 0;
    const fake = async (_url: string, init: { body?: string }) => {
      const body = JSON.parse(init.body ?? "{}") as { refresh_token?: string };
      const answer = (status: number, value: unknown) =>
        new Response(JSON.stringify(value), { status, headers: { "content-type": "application/json" } });
      if (_url.endsWith("/v1/sign-in/exchange")) {
        return answer(200, { refresh_token: "r0", memberships: [{ org_id: "demo", roles: ["admin"], sub: "m1" }] });
      }
      if (_url.endsWith("/v1/sign-out")) return new Response(null, { status: 204 });
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (!body.refresh_token || used.has(body.refresh_token)) {
        return answer(401, { detail: "This session has ended." });
      }
      used.add(body.refresh_token);
      issued += 1;
      return answer(200, { access_token: `a${issued}`, expires_in: 600, refresh_token: `r${issued}` });
    };
    vi.stubGlobal("fetch", vi.fn(fake));
    vi.stubGlobal("window", { addEventListener: () => {}, removeEventListener: () => {} });
    try {
      await exchangeCode("code");
      const membership = { org_id: "demo", roles: ["admin"], sub: "m1" };
      await Promise.all([useMembership(membership), useMembership(membership), useMembership(membership)]);
      expect([...used]).toEqual(["r0", "r1", "r2"]);
    } finally {
      await signOut();
      vi.unstubAllGlobals();
    }
  });
});
