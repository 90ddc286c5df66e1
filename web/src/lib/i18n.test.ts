import { get } from "svelte/store";
import { afterEach, describe, expect, it } from "vitest";
import {
  CATALOGUES,
  chooseLanguage,
  chosenLanguage,
  formatDateTime,
  href,
  joinNames,
  language,
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
  it("have the same keys in both languages and no empty text", () => {
    expect(Object.keys(CATALOGUES.en).sort()).toEqual(Object.keys(CATALOGUES.nl).sort());
    for (const catalogue of Object.values(CATALOGUES)) {
      for (const [key, text] of Object.entries(catalogue)) expect(text.trim(), key).not.toBe("");
    }
  });

  it("use the same placeholders in both languages", () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(CATALOGUES.nl) as (keyof typeof CATALOGUES.nl)[]) {
      expect(placeholders(CATALOGUES.en[key]), key).toEqual(placeholders(CATALOGUES.nl[key]));
    }
  });

  it("differ between the languages, so nothing was left untranslated by copying", () => {
    const same = (Object.keys(CATALOGUES.nl) as (keyof typeof CATALOGUES.nl)[]).filter(
      (key) => CATALOGUES.nl[key] === CATALOGUES.en[key],
    );
    expect(same).toEqual(["home_title", "navigation"]);
  });
});

describe("translate", () => {
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
  it("reads as a sentence", () => {
    expect(joinNames(["Anna"], "en")).toBe("Anna");
    expect(joinNames(["Anna", "Bram"], "en")).toBe("Anna en Bram");
    expect(joinNames(["Anna", "Bram", "Carla"], "and")).toBe("Anna, Bram and Carla");
    expect(joinNames([], "and")).toBe("");
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
