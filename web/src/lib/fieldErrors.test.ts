import { describe, expect, it } from "vitest";
import { fieldOfDetail } from "./fieldErrors";

describe("fieldOfDetail", () => {
  const fields = { role_id: ["role"], name: [], email: ["e-mail", "address"] };
  it("finds the field a 422 names first, then words of the sentence", () => {
    expect(fieldOfDetail("email: value is not a valid email address.", fields)).toBe("email");
    expect(fieldOfDetail("There is no role 'x' to apply for.", fields)).toBe("role_id");
    expect(fieldOfDetail("Too many applications.", fields)).toBeNull();
  });
});
