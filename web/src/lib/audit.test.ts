import { afterEach, describe, expect, it, vi } from "vitest";
import {
  auditCsv,
  auditQuery,
  entryKey,
  loadPlatformLog,
  mergeEntries,
  type AuditEntry,
} from "./audit";

vi.mock("./session", () => ({ accessToken: async () => "token" }));

const entry = (service: string, seq: number, at: string, id = "x"): AuditEntry => ({
  org_id: "demo",
  service,
  seq,
  at,
  actor: { sub: "ada", role: "admin" },
  action: "code.published",
  object: { type: "code", id },
  prev_hash: "0".repeat(64),
  hash: "a".repeat(64),
});

describe("audit log", () => {
  it("asks only for the filters given", () => {
    expect(auditQuery({})).toBe("");
    expect(auditQuery({ person: " ada ", action: "member", from: "2026-12-01" })).toBe(
      "?person=ada&action=member&from=2026-12-01",
    );
  });

  it("keys two organisations' entries apart, though each chain counts from 1", () => {
    // The operator's list holds several organisations' first entries, all `policy` seq 1.
    const first = { service: "policy", seq: 1 } as const;
    expect(entryKey({ ...first, org_id: "a" })).not.toBe(entryKey({ ...first, org_id: "b" }));
  });

  it("merges the services' chains newest first", () => {
    const merged = mergeEntries([
      [entry("policy", 1, "2026-12-05T10:00Z"), entry("policy", 2, "2026-12-05T14:00Z")],
      [entry("identity", 1, "2026-12-05T12:00Z")],
    ]);
    expect(merged.map((e) => `${e.service}/${e.seq}`)).toEqual(["policy/2", "identity/1", "policy/1"]);
  });

  it("writes CSV with the hashes and no formulas", () => {
    const csv = auditCsv([entry("policy", 1, "2026-12-05T10:00Z", "=SUM(A1)")], () => "Published");
    const [header, row] = csv.trim().split("\r\n");
    expect(header).toContain("prev_hash,hash");
    expect(row).toContain("'=SUM(A1)");
    expect(row).toContain("Published");
  });
});

describe("the operator's platform log", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("asks policy for each organisation's organisation.* entries and merges them", async () => {
    const asked: string[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (url: string) => {
        asked.push(url);
        const org = url.split("/")[5];
        const at = org === "b" ? "2026-12-05T12:00Z" : "2026-12-05T10:00Z";
        return new Response(JSON.stringify([{ ...entry("policy", 1, at), org_id: org }]));
      }),
    );
    const merged = await loadPlatformLog(["a", "b"]);
    expect(asked).toEqual([
      "/api/policy/v1/orgs/a/audit?action=organisation",
      "/api/policy/v1/orgs/b/audit?action=organisation",
    ]);
    expect(merged.map((e) => e.org_id)).toEqual(["b", "a"]);
  });
});
