import { describe, expect, it } from "vitest";
import { centreFirst, dialable, type FallbackContact } from "./fallback";

const line = (name: string, kind: FallbackContact["kind"]): FallbackContact => ({
  name,
  kind,
  phone: "0800-0432",
  url: null,
  hours: "24/7",
});

describe("fallback contacts", () => {
  it("lists the centre's own people before the national lines, keeping the order", () => {
    const listed = centreFirst([
      line("Kindertelefoon", "national_line"),
      line("Anna", "centre_contact"),
      line("Veilig Thuis", "national_line"),
      line("Bram", "centre_contact"),
    ]);
    expect(listed.map((c) => c.name)).toEqual(["Anna", "Bram", "Kindertelefoon", "Veilig Thuis"]);
  });

  it("dials a number as written by people", () => {
    expect(dialable("0800-0432")).toBe("tel:08000432");
    expect(dialable("+31 (0)30 123 45 67")).toBe("tel:+310301234567");
  });
});
