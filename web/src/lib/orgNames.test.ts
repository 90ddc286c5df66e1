import { afterEach, describe, expect, it, vi } from "vitest";

const pending = new Map<string, (name: string) => void>();

vi.mock("./organisation", () => ({
  loadOrganisation: (orgId: string) =>
    orgId === "gone"
      ? Promise.reject(new Error("404"))
      : new Promise((resolve) => pending.set(orgId, (name) => resolve({ name }))),
}));

const { organisationNames } = await import("./orgNames");

afterEach(() => {
  pending.clear();
  vi.useRealTimers();
});

describe("organisationNames", () => {
  it("answers once every name is known, the slug for one that cannot be read", async () => {
    const names = organisationNames(["stick", null, "gone", "stick"]);
    await Promise.resolve();
    pending.get("stick")?.("Hockeyclub De Stick");
    expect(await names).toEqual({ stick: "Hockeyclub De Stick", gone: "gone" });
  });

  it("does not wait on a name that never comes", async () => {
    vi.useFakeTimers();
    const names = organisationNames(["slow"], 3000);
    await vi.advanceTimersByTimeAsync(3000);
    expect(await names).toEqual({ slow: "slow" });
  });

  it("leaves no timer behind once the names came", async () => {
    vi.useFakeTimers();
    const names = organisationNames(["bal"], 3000);
    await Promise.resolve();
    pending.get("bal")?.("Hockeyclub De Bal");
    expect(await names).toEqual({ bal: "Hockeyclub De Bal" });
    expect(vi.getTimerCount()).toBe(0);
  });
});
