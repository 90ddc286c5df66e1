import { describe, expect, it } from "vitest";
import {
  admittedCsv,
  listQueryString,
  phoneProblem,
  requiredAspects,
  vogDateProblem,
  type VolunteerRow,
} from "./admission";

describe("vogDateProblem", () => {
  it("refuses a missing, future or too old date and accepts one within the role's age", () => {
    expect(vogDateProblem("", 180, "2026-12-01")).toBe("missing");
    expect(vogDateProblem("2026-12-02", 180, "2026-12-01")).toBe("future");
    expect(vogDateProblem("2026-05-01", 180, "2026-12-01")).toBe("too_old");
    expect(vogDateProblem("2026-12-01", 180, "2026-12-01")).toBeNull();
    expect(vogDateProblem("2026-06-04", 180, "2026-12-01")).toBeNull();
  });
});

describe("requiredAspects", () => {
  it("asks 84 for minors and 85 for vulnerable people", () => {
    const role = {
      role_id: "r",
      title: "R",
      works_with_minors: true,
      works_with_vulnerable: true,
      vog_required: true,
      vog_max_age_days: 180,
      vog_renewal_years: 3,
    };
    expect(requiredAspects(role)).toEqual([84, 85]);
    expect(requiredAspects({ ...role, works_with_minors: false })).toEqual([85]);
  });
});

describe("listQueryString", () => {
  it("sends only the filters that are set", () => {
    expect(listQueryString({ state: "", q: "  ", page: 2 })).toBe("page=2&page_size=25");
    expect(listQueryString({ state: "admitted", role_id: "coach", q: "anna", must_resign: true })).toBe(
      "state=admitted&role_id=coach&q=anna&must_resign=true&page=1&page_size=25",
    );
  });
});

describe("admittedCsv", () => {
  it("opens in Dutch Excel: a byte order mark, semicolons; quotes them and defuses formulas", () => {
    const row = {
      name: "=Jansen, Piet",
      role_title: "Coach",
      role_id: "coach",
      admitted_on: "2026-12-01",
      vog_issued_on: null,
      vog_renewal_due: null,
    } as VolunteerRow;
    expect(admittedCsv([row], ["name", "role"])).toBe(
      "\uFEFFname;role\r\n\"'=Jansen, Piet\";Coach;2026-12-01;;\r\n",
    );
    const semicolon = { ...row, name: "Piet; Jan", role_title: "O8–O12" } as VolunteerRow;
    expect(admittedCsv([semicolon], ["n"])).toBe(
      "\uFEFFn\r\n\"Piet; Jan\";O8–O12;2026-12-01;;\r\n",
    );
  });
});

describe("phoneProblem", () => {
  it("lets through what intake keeps, and nothing typed", () => {
    for (const phone of ["", "  ", "06 12345678", " +31 (0)6-1234 5678 ", "020/123.45.67"]) {
      expect(phoneProblem(phone)).toBe(false);
    }
  });
  it("flags what intake refuses", () => {
    for (const phone of ["bel me", "12345", "06 1234 5678 toestel 9", "0".repeat(31), "06+1234567"]) {
      expect(phoneProblem(phone)).toBe(true);
    }
  });
});
