import { describe, expect, it } from "vitest";
import { handledByRouter, isReporterRoute, isSignedInRoute, matchRoute } from "./router";

describe("matchRoute", () => {
  it("finds every page of the app", () => {
    expect(matchRoute("/")).toEqual({ name: "home" });
    expect(matchRoute("/o/demo")).toEqual({ name: "org", org: "demo" });
    expect(matchRoute("/o/hv-oranje-2/report")).toEqual({ name: "report", org: "hv-oranje-2" });
    expect(matchRoute("/o/demo/follow-up")).toEqual({ name: "follow-up", org: "demo" });
    expect(matchRoute("/sign-in")).toEqual({ name: "sign-in" });
    expect(matchRoute("/sign-in/callback")).toEqual({ name: "sign-in-callback" });
    expect(matchRoute("/me")).toEqual({ name: "me" });
    expect(matchRoute("/admin")).toEqual({ name: "admin", rest: [] });
    expect(matchRoute("/operator/")).toEqual({ name: "operator", rest: [] });
    expect(matchRoute("/admin/log")).toEqual({ name: "admin-log" });
    expect(matchRoute("/admin/log/")).toEqual({ name: "admin-log" });
    expect(matchRoute("/o/demo/apply")).toEqual({ name: "apply", org: "demo" });
    expect(matchRoute("/coordinator")).toEqual({ name: "coordinator", rest: [] });
  });

  it("gives each place in a workspace its own address", () => {
    const id = "3f1c2a8e-7b6d-4e5f-9a0b-1c2d3e4f5a6b";
    expect(matchRoute(`/vcp/cases/${id}`)).toEqual({ name: "vcp", rest: ["cases", id] });
    expect(matchRoute("/coordinator/volunteers/v1")).toEqual({
      name: "coordinator",
      rest: ["volunteers", "v1"],
    });
    expect(matchRoute("/admin/roles")).toEqual({ name: "admin", rest: ["roles"] });
    expect(matchRoute("/admin/roles/")).toEqual({ name: "admin", rest: ["roles"] });
    expect(matchRoute("/operator/orgs/demo")).toEqual({ name: "operator", rest: ["orgs", "demo"] });
    expect(matchRoute("/vcp/cases/a%20b")).toEqual({ name: "not-found" });
    expect(matchRoute("/vcp//x")).toEqual({ name: "not-found" });
    expect(matchRoute("/vcpx")).toEqual({ name: "not-found" });
  });

  it("knows the signed-in pages, which carry on with the browser's session", () => {
    expect(isSignedInRoute(matchRoute("/vcp/cases/x"))).toBe(true);
    expect(isSignedInRoute(matchRoute("/me"))).toBe(true);
    for (const path of ["/", "/o/demo", "/o/demo/report", "/sign-in", "/sign-in/callback"]) {
      expect(isSignedInRoute(matchRoute(path)), path).toBe(false);
    }
  });

  it("forgives a trailing slash", () => {
    expect(matchRoute("/o/demo/report/")).toEqual({ name: "report", org: "demo" });
  });

  it("sends what is not a page, or not an organisation slug, to not-found", () => {
    for (const path of ["/o", "/o/", "/o/Demo", "/o/-demo", "/o/demo/reports", "/x", "/o/a/b/c"]) {
      expect(matchRoute(path), path).toEqual({ name: "not-found" });
    }
  });

  it("knows which pages are the reporter's", () => {
    expect(isReporterRoute(matchRoute("/o/demo"))).toBe(true);
    expect(isReporterRoute(matchRoute("/o/demo/report"))).toBe(true);
    expect(isReporterRoute(matchRoute("/o/demo/follow-up"))).toBe(true);
    expect(isReporterRoute(matchRoute("/sign-in"))).toBe(false);
  });
});

describe("handledByRouter", () => {
  const origin = "https://safehands.example";
  const plain = { button: 0, metaKey: false, ctrlKey: false, shiftKey: false, altKey: false };
  const link = (href: string, attributes: string[] = [], target = "") => ({
    href,
    target,
    hasAttribute: (name: string) => attributes.includes(name),
  });

  it("takes a plain click on a link of this app", () => {
    expect(handledByRouter(link(`${origin}/o/demo/report`), plain, origin)).toBe(true);
  });

  it("leaves other sites, new tabs, downloads and modified clicks to the browser", () => {
    expect(handledByRouter(link("https://www.google.com/"), plain, origin)).toBe(false);
    expect(handledByRouter(link(`${origin}/x`, [], "_blank"), plain, origin)).toBe(false);
    expect(handledByRouter(link(`${origin}/x`, ["download"]), plain, origin)).toBe(false);
    expect(handledByRouter(link(`${origin}/x`, ["data-reload"]), plain, origin)).toBe(false);
    expect(handledByRouter(link(`${origin}/x`), { ...plain, ctrlKey: true }, origin)).toBe(false);
    expect(handledByRouter(link(`${origin}/x`), { ...plain, button: 1 }, origin)).toBe(false);
  });
});
