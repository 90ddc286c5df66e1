import { describe, expect, it } from "vitest";
import { byName, type OrganisationCases } from "./vcpCases";

const group = (org_id: string): OrganisationCases => ({ org_id, cases: [] });

describe("the grouped inbox's order", () => {
  it("puts the organisation worked in first, then the others by name", () => {
    const names = { a: "Zwemclub", b: "Atletiek", c: "Bevers" };
    expect(byName([group("a"), group("b"), group("c")], names, "c").map((g) => g.org_id)).toEqual(["c", "b", "a"]);
  });

  it("falls back to the id while a name is not known yet", () => {
    expect(byName([group("zeta"), group("alpha")], {}, "none").map((g) => g.org_id)).toEqual(["alpha", "zeta"]);
  });
});
