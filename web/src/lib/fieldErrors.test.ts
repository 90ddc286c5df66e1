import { describe, expect, it } from "vitest";
import { ApiError } from "./api";
import { fieldOf, fieldOfDetail } from "./fieldErrors";

describe("the field a failure is about", () => {
  const fields = { role_id: ["role"], name: [], email: ["e-mail", "address"], register_org: ["org_id"] };

  it("takes a 422's fields by name, not by reading its sentence", () => {
    // The sentence starts "Invalid input —", so reading it back found no field before.
    const invalid = new ApiError(422, "Invalid input — email: value is not a valid email address.", null, ["email"]);
    expect(fieldOf(invalid, fields)).toBe("email");
    expect(fieldOf(new ApiError(422, "Invalid input — org_id: too short.", null, ["org_id"]), fields)).toBe(
      "register_org",
    );
    // A nested field belongs to the form's field of its first part.
    expect(fieldOf(new ApiError(422, "Invalid input — name.first: x.", null, ["name.first"]), fields)).toBe("name");
  });

  it("matches a service's own sentence by its words, and nothing else", () => {
    expect(fieldOf(new ApiError(404, "There is no role 'x' to apply for."), fields)).toBe("role_id");
    expect(fieldOf(new ApiError(429, "Too many applications."), fields)).toBeNull();
    expect(fieldOf(new Error("offline"), fields)).toBeNull();
    expect(fieldOfDetail("Too many applications.", fields)).toBeNull();
  });
});
