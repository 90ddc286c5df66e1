import { describe, expect, it } from "vitest";
import { slugFromName } from "./organisation";

describe("slugFromName", () => {
  it("suggests an address policy takes", () => {
    expect(slugFromName("Hockeyclub De Stick")).toBe("hockeyclub-de-stick");
    expect(slugFromName("  Café 't Hoekje & Zn. ")).toBe("cafe-t-hoekje-zn");
    expect(slugFromName("Ö")).toBe("o");
    expect(slugFromName("!!!")).toBe("");
    const long = slugFromName("a ".repeat(60));
    expect(long.length).toBeLessThanOrEqual(64);
    expect(long).toMatch(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/);
  });
});
