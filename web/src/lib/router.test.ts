import { describe, expect, it } from "vitest";
import { handledByRouter, isReporterRoute, matchRoute } from "./router";

describe("matchRoute", () => {
  it("finds every page of the app", () => {
    expect(matchRoute("/")).toEqual({ name: "home" });
    expect(matchRoute("/o/demo")).toEqual({ name: "org", org: "demo" });
    expect(matchRoute("/o/hv-oranje-2/report")).toEqual({ name: "report", org: "hv-oranje-2" });
    expect(matchRoute("/o/demo/follow-up")).toEqual({ name: "follow-up", org: "demo" });
    expect(matchRoute("/sign-in")).toEqual({ name: "sign-in" });
    expect(matchRoute("/sign-in/callback")).toEqual({ name: "sign-in-callback" });
    expect(matchRoute("/me")).toEqual({ name: "me" });
    expect(matchRoute("/admin")).toEqual({ name: "admin" });
    expect(matchRoute("/admin/log")).toEqual({ name: "admin-log" });
    expect(matchRoute("/admin/log/")).toEqual({ name: "admin-log" });
    expect(matchRoute("/operator/")).toEqual({ name: "operator" });
    expect(matchRoute("/o/demo/apply")).toEqual({ name: "apply", org: "demo" });
    expect(matchRoute("/coordinator")).toEqual({ name: "coordinator" });
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
