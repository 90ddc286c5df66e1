import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError, NetworkError } from "./api";
import { answer, client } from "./client";
import { findOrganisations, loadOrganisation } from "./organisation";

interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

function platform(status: number, body: unknown): Sent[] {
  const sent: Sent[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (url: string, init: RequestInit) => {
      sent.push({
        url,
        method: init.method ?? "GET",
        headers: init.headers as Record<string, string>,
        body: init.body ? JSON.parse(init.body as string) : undefined,
      });
      return new Response(JSON.stringify(body), { status });
    }),
  );
  return sent;
}

afterEach(() => vi.unstubAllGlobals());

describe("the typed client", () => {
  it("sends to the gateway's /api/<service> with the path and query the document names", async () => {
    const page = { org_id: "de-haven", name: "De Haven", language: "nl", roles: [], volunteer_retention_days: 90 };
    const sent = platform(200, page);
    expect(await loadOrganisation("de haven/x")).toEqual(page);
    expect(sent[0]!.url).toBe("/api/policy/v1/orgs/de%20haven%2Fx/public");
    expect(sent[0]!.method).toBe("GET");

    const found = platform(200, [{ org_id: "hc-ob", name: "Hockeyclub Ö&B" }]);
    expect(await findOrganisations("Ö&B")).toEqual([{ org_id: "hc-ob", name: "Hockeyclub Ö&B" }]);
    expect(found[0]!.url).toBe(`/api/policy/v1/directory?name=${encodeURIComponent("Ö&B")}`);
  });

  it("keeps lib/api's errors: the service's sentence, and an unreachable platform", async () => {
    platform(404, { detail: "There is no organisation 'x'." });
    const refused = await loadOrganisation("x").catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).status).toBe(404);
    expect((refused as ApiError).detail).toBe("There is no organisation 'x'.");

    vi.stubGlobal("fetch", vi.fn(async () => Promise.reject(new TypeError("offline"))));
    await expect(loadOrganisation("x")).rejects.toBeInstanceOf(NetworkError);
  });

  it("sends a body as JSON and the token a signed-in caller gives", async () => {
    const sent = platform(200, { contacts: [] });
    const policy = client("policy", async () => "the-token");
    await answer(
      policy.PUT("/v1/fallback-contacts", {
        body: { contacts: [{ name: "Lijn", kind: "national_line", phone: "0800", url: null, hours: "altijd" }] },
      }),
    );
    expect(sent[0]!.method).toBe("PUT");
    expect(sent[0]!.headers.authorization).toBe("Bearer the-token");
    expect(sent[0]!.body).toEqual({
      contacts: [{ name: "Lijn", kind: "national_line", phone: "0800", url: null, hours: "altijd" }],
    });
  });
});
