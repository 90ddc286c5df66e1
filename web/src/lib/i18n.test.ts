import { get } from "svelte/store";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ALL_CATALOGUES, ENGLISH_AREAS } from "./catalogues";
import {
  CATALOGUES,
  chooseLanguage,
  chosenLanguage,
  ensureLanguage,
  formatDateTime,
  href,
  joinNames,
  language,
  loadAllCatalogues,
  loadCatalogues,
  organisationLanguage,
  translate,
  withLanguage,
} from "./i18n";

afterEach(() => {
  chosenLanguage.set(null);
  organisationLanguage.set(null);
});

describe("choosing the language", () => {
  it("takes ?lang first, then the organisation's language, then Dutch", () => {
    expect(chooseLanguage("?lang=en", "nl")).toBe("en");
    expect(chooseLanguage("?lang=nl", "en")).toBe("nl");
    expect(chooseLanguage("", "en")).toBe("en");
    expect(chooseLanguage("?lang=de", "en")).toBe("en");
    expect(chooseLanguage("?lang=de", "fr")).toBe("nl");
    expect(chooseLanguage("", null)).toBe("nl");
  });

  it("follows the same order in the stores the pages read", () => {
    expect(get(language)).toBe("nl");
    organisationLanguage.set("en");
    expect(get(language)).toBe("en");
    chosenLanguage.set("nl");
    expect(get(language)).toBe("nl");
    organisationLanguage.set("xx");
    chosenLanguage.set(null);
    expect(get(language)).toBe("nl");
  });

  it("keeps a chosen language in the app's links, and only then", () => {
    expect(get(href)("/o/demo/report")).toBe("/o/demo/report");
    chosenLanguage.set("en");
    expect(get(href)("/o/demo/report")).toBe("/o/demo/report?lang=en");
  });
});

describe("the catalogues", () => {
  const catalogues = Object.entries(ALL_CATALOGUES);

  it("are all here, in both languages: the entry's and one per area", () => {
    expect(ENGLISH_AREAS).toEqual(catalogues.map(([name]) => name).sort());
    expect(catalogues.map(([name]) => name).sort()).toEqual(
      ["admin", "apply", "common", "coordinator", "followup", "me", "operator", "public", "report", "signin", "staff", "vcp"],
    );
  });

  it.each(catalogues)("%s has the same keys in both languages and no empty text", (_, { nl, en }) => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(nl).sort());
    for (const texts of [nl, en]) {
      for (const [key, text] of Object.entries(texts)) expect(text.trim(), key).not.toBe("");
    }
  });

  it.each(catalogues)("%s uses the same placeholders in both languages", (_, { nl, en }) => {
    const placeholders = (text = "") => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(nl)) {
      expect(placeholders(en[key]), key).toEqual(placeholders(nl[key]));
    }
  });

  it("define each key once, in one catalogue", () => {
    const where = new Map<string, string[]>();
    for (const [name, { nl }] of catalogues) {
      for (const key of Object.keys(nl)) where.set(key, [...(where.get(key) ?? []), name]);
    }
    const twice = [...where].filter(([, names]) => names.length > 1);
    expect(twice).toEqual([]);
  });

  it("differ between the languages, so nothing was left untranslated by copying", () => {
    const same = catalogues.flatMap(([, { nl, en }]) =>
      Object.keys(nl).filter((key) => nl[key] === en[key]),
    );
    expect(same.sort()).toEqual(["home_title", "navigation"]);
  });

  it("keep only the shell's Dutch in the entry; an area loads with its page, per language", async () => {
    expect(CATALOGUES.nl).toHaveProperty("leave_quickly");
    expect(CATALOGUES.nl).not.toHaveProperty("adm_title");
    expect(CATALOGUES.en).toEqual({});
    await loadCatalogues(["admin"], "nl");
    expect(CATALOGUES.nl).toHaveProperty("adm_title");
    expect(CATALOGUES.nl).not.toHaveProperty("report_title");
    expect(CATALOGUES.en).toEqual({});
    // Before a page turns to English, the areas it loaded come in English, with the shell's.
    await ensureLanguage("en");
    expect(CATALOGUES.en).toHaveProperty("adm_title");
    expect(CATALOGUES.en).toHaveProperty("leave_quickly");
    expect(CATALOGUES.en).not.toHaveProperty("report_title");
  });
});

describe("translate", () => {
  beforeAll(loadAllCatalogues);

  it("fills in placeholders and leaves a missing one visible", () => {
    expect(translate("nl", "report_title", { name: "HV Oranje" })).toBe("Iets melden bij HV Oranje");
    expect(translate("en", "report_title", { name: "HV Oranje" })).toBe(
      "Report a concern to HV Oranje",
    );
    expect(translate("en", "report_title")).toBe("Report a concern to {name}");
  });

  it("does not read placeholders inside the values it fills in", () => {
    expect(translate("en", "report_title", { name: "{org}" })).toBe("Report a concern to {org}");
  });
});

describe("withLanguage", () => {
  it("sets lang and keeps the rest of the address", () => {
    expect(withLanguage("/o/demo/report", "en")).toBe("/o/demo/report?lang=en");
    expect(withLanguage("/o/demo?x=1&lang=nl", "en")).toBe("/o/demo?x=1&lang=en");
    expect(withLanguage("/me#top", "nl")).toBe("/me?lang=nl#top");
  });
});

describe("joinNames", () => {
  it("reads as a sentence in each language (Intl.ListFormat)", () => {
    expect(joinNames(["Anna"], "nl")).toBe("Anna");
    expect(joinNames(["Anna", "Bram"], "nl")).toBe("Anna en Bram");
    expect(joinNames(["Anna", "Bram", "Carla"], "nl")).toBe("Anna, Bram en Carla");
    expect(joinNames(["Anna", "Bram", "Carla"], "en")).toBe("Anna, Bram and Carla");
    expect(joinNames([], "en")).toBe("");
  });
});

describe("formatDateTime", () => {
  it("gives the time to the minute, never seconds", () => {
    const at = "2026-12-05T18:30:45.123Z";
    for (const lang of ["nl", "en"] as const) {
      const text = formatDateTime(at, lang);
      expect(text).toMatch(/\d{2}:\d{2}/);
      expect(text).not.toMatch(/\d{2}:\d{2}:\d{2}/);
      expect(text).toContain("2026");
    }
  });
});
