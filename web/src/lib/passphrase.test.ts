import { describe, expect, it } from "vitest";
import { loadPassphraseCheck, strengthOf } from "./passphrase";

describe("the passphrase's strength", () => {
  it("is weak under the minimum length, whatever zxcvbn says", () => {
    expect(strengthOf("kort", 4)).toBe("weak");
    expect(strengthOf("elf tekens!", 4)).toBe("weak");
    expect(strengthOf("twaalf tekens", 2)).toBe("weak");
    expect(strengthOf("twaalf tekens", 3)).toBe("fair");
    expect(strengthOf("twaalf tekens", 4)).toBe("strong");
  });

  it("knows Dutch and English words and common passwords, which length alone does not", async () => {
    const check = await loadPassphraseCheck();
    expect(check("kort")).toBe("weak");
    // Long enough, but a Dutch word and a common pattern (the old heuristic called these fair).
    expect(check("wachtwoord123!")).toBe("weak");
    expect(check("Welkom01welkom")).toBe("weak");
    expect(check("qwertyuiopasdfgh")).toBe("weak");
    expect(check("twaalf tekens")).toBe("fair");
    expect(check("paarse olifant danst op het dak")).toBe("strong");
    expect(check("een heel lange wachtzin vol woorden")).toBe("strong");
  });

  it("loads once", async () => {
    expect(await loadPassphraseCheck()).toBe(await loadPassphraseCheck());
  });
});
