import { beforeAll, describe, expect, it } from "vitest";
import { ALL_CATALOGUES } from "./catalogues";
import { loadAllCatalogues } from "./i18n";
import { missingPluralForms, plural } from "./plural";

describe("plural forms", () => {
  beforeAll(loadAllCatalogues);

  it("every catalogue entry with a count has a one and an other form, in both languages", () => {
    for (const { nl, en } of Object.values(ALL_CATALOGUES)) {
      expect(missingPluralForms(nl)).toEqual([]);
      expect(missingPluralForms(en)).toEqual([]);
    }
  });

  it("finds an entry with a count and no plural form, and a lonely form", () => {
    expect(
      missingPluralForms({
        fine_one: "{count} vrijwilliger",
        fine_other: "{count} vrijwilligers",
        counted: "{count} vrijwilligers gevonden",
        waited: "Wacht {minutes} minuten",
        lonely_one: "{count} dag",
        no_count: "Versie {version}",
      }),
    ).toEqual(["counted", "lonely_one", "waited"]);
  });

  it("chooses the form by the language's rules", () => {
    expect(plural("nl", "coord_count", 1)).toBe("1 vrijwilliger gevonden.");
    expect(plural("nl", "coord_count", 0)).toBe("0 vrijwilligers gevonden.");
    expect(plural("en", "coord_count", 1)).toBe("1 volunteer found.");
    expect(plural("en", "coord_count", 2)).toBe("2 volunteers found.");
    expect(plural("nl", "adm_two_vcps", 1)).toContain("1 vertrouwenscontactpersoon met");
    expect(plural("nl", "adm_two_vcps", 0)).toContain("0 vertrouwenscontactpersonen met");
    expect(plural("nl", "adm_vog_every", 1)).toBe("elk jaar");
    expect(plural("en", "adm_vog_every", 3)).toBe("every 3 years");
  });
});
