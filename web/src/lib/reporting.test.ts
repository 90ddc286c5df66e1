import { describe, expect, it } from "vitest";
import { detailOf } from "./api";
import {
  checkReceipt,
  draftKey,
  draftProblems,
  keysOfCase,
  recipientsAtSending,
  reportBody,
  type ReportDraft,
  type VcpKey,
} from "./reporting";

const draft = (changes: Partial<ReportDraft> = {}): ReportDraft => ({
  category: "bullying",
  description: "Ze lachen me uit.",
  occurredOn: "",
  location: "",
  wantsContact: false,
  contact: "",
  ...changes,
});

describe("checkReceipt", () => {
  it("normalises spaces, dashes and lower case", () => {
    const receipt = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    expect(checkReceipt(receipt)).toEqual({ ok: true, receipt });
    expect(checkReceipt("abcde-fghij-klmn-opqr-stuv-wxyz")).toEqual({ ok: true, receipt });
    expect(checkReceipt("  abcde fghij\tklmn – opqr stuv wxyz ")).toEqual({ ok: true, receipt });
  });

  it("says how long a receipt is when the length is wrong", () => {
    expect(checkReceipt("abc")).toEqual({ ok: false, problem: "length", count: 3 });
    expect(checkReceipt("")).toEqual({ ok: false, problem: "length", count: 0 });
    expect(checkReceipt("A".repeat(27))).toEqual({ ok: false, problem: "length", count: 27 });
  });

  it("refuses characters base32 does not have", () => {
    expect(checkReceipt("ABCDEFGHIJKLMNOPQRSTUVWXY1")).toEqual({ ok: false, problem: "characters" });
    expect(checkReceipt("ABCDEFGHIJKLMNOPQRSTUVWXY0")).toEqual({ ok: false, problem: "characters" });
  });
});

describe("the report body", () => {
  it("leaves out empty optional fields", () => {
    expect(reportBody(draft({ description: "  Ze lachen me uit.  " }))).toEqual({
      category: "bullying",
      description: "Ze lachen me uit.",
      wants_contact: false,
    });
  });

  it("carries the optional fields that were filled in", () => {
    expect(
      reportBody(
        draft({ occurredOn: "2026-03-14", location: "Kantine", wantsContact: true, contact: "06" }),
      ),
    ).toEqual({
      category: "bullying",
      description: "Ze lachen me uit.",
      occurred_on: "2026-03-14",
      location: "Kantine",
      wants_contact: true,
      contact: "06",
    });
  });

  it("sends a contact only when the reporter wants contact", () => {
    expect(reportBody(draft({ wantsContact: false, contact: "06 123" }))).not.toHaveProperty(
      "contact",
    );
  });

  it("changes its key when the content changes, so a retry never sends an old text", () => {
    expect(draftKey(draft())).toBe(draftKey(draft()));
    expect(draftKey(draft({ location: "Veld 2" }))).not.toBe(draftKey(draft()));
  });
});

describe("draftProblems", () => {
  it("names what is missing, in page order", () => {
    expect(draftProblems(draft(), "2026-12-01")).toEqual([]);
    expect(
      draftProblems(
        draft({ category: "", description: " ", occurredOn: "2026-12-02", wantsContact: true }),
        "2026-12-01",
      ),
    ).toEqual(["category", "description", "occurredOn", "contact"]);
    expect(draftProblems(draft({ occurredOn: "2026-12-01" }), "2026-12-01")).toEqual([]);
  });
});

describe("detailOf", () => {
  it("takes the API's sentence", () => {
    expect(detailOf({ detail: "Organisation x is not registered." }, 404)).toBe(
      "Organisation x is not registered.",
    );
  });
  it("turns FastAPI's list of problems into one sentence", () => {
    const body = { detail: [{ loc: ["body", "email"], msg: "value is not a valid email address" }] };
    expect(detailOf(body, 422)).toBe("email: value is not a valid email address.");
  });
  it("still says something without a body", () => {
    expect(detailOf(null, 500)).toBe("The platform answered 500.");
  });
});

const vcp = (vcp_id: string): VcpKey => ({
  vcp_id,
  name: vcp_id,
  fingerprint: `fp-${vcp_id}`,
  public_key: { suite: "X25519", key: vcp_id },
  signing_key: null,
  since: null,
  introduction: null,
  centre: false,
});

describe("recipientsAtSending", () => {
  const [anna, bram, carla] = [vcp("anna"), vcp("bram"), vcp("carla")];

  it("writes to every VCP, one appointed meanwhile included, when nobody was left out", () => {
    expect(recipientsAtSending([anna, bram], ["anna", "bram"], [anna, bram, carla])).toEqual([
      anna,
      bram,
      carla,
    ]);
  });

  it("writes only to the chosen, never to one appointed after the choice", () => {
    expect(recipientsAtSending([anna, bram], ["anna"], [anna, bram, carla])).toEqual([anna]);
  });

  it("is empty when everyone chosen is gone, so the page asks again", () => {
    expect(recipientsAtSending([anna, bram], ["anna"], [bram])).toEqual([]);
  });
});

describe("keysOfCase", () => {
  it("seals the conversation to the VCPs of the case alone", () => {
    expect(keysOfCase([vcp("anna"), vcp("bram")], ["fp-bram"])).toEqual([vcp("bram")]);
    // An older server names no keys: every VCP key, as before.
    expect(keysOfCase([vcp("anna")], null)).toEqual([vcp("anna")]);
  });
});
