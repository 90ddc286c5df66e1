import { describe, expect, it } from "vitest";
import { OPEN_ROLES_PER_PAGE, openRolesQuery } from "./region";

describe("openRolesQuery", () => {
  it("asks only for what was typed, trimmed, with the page", () => {
    expect(openRolesQuery("  youth coach ", "", 1)).toBe(
      `?q=youth+coach&page=1&page_size=${OPEN_ROLES_PER_PAGE}`,
    );
    expect(openRolesQuery("", "Den Bosch", 2)).toBe(
      `?place=Den+Bosch&page=2&page_size=${OPEN_ROLES_PER_PAGE}`,
    );
  });

  it("never asks for a page before the first", () => {
    expect(openRolesQuery("", "", 0)).toContain("page=1&");
    expect(openRolesQuery("", "", 2.7)).toContain("page=2&");
  });
});
