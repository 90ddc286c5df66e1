import { describe, expect, it } from "vitest";
import { recipientsOf } from "./mailRecipients";

const members = [
  { email: "coach@club.nl", name: "Coach", roles: ["coordinator"] },
  { email: "boss@club.nl", name: "Boss", roles: ["admin", "coordinator"] },
];

describe("recipientsOf", () => {
  it("names the members of that role by default", () => {
    const found = recipientsOf("coordinators", members, { coordinators: [], admins: [] });
    expect(found).toEqual({
      kind: "coordinators",
      addresses: ["coach@club.nl", "boss@club.nl"],
      override: false,
    });
    expect(recipientsOf("admins", members, { coordinators: [], admins: [] }).addresses).toEqual([
      "boss@club.nl",
    ]);
  });

  it("lets the contact addresses of a kind stand in for its members", () => {
    const contacts = { coordinators: ["info@club.nl", " "], admins: [] };
    expect(recipientsOf("coordinators", members, contacts)).toEqual({
      kind: "coordinators",
      addresses: ["info@club.nl"],
      override: true,
    });
    expect(recipientsOf("admins", members, contacts).override).toBe(false);
  });
});
