import { describe, expect, it, vi } from "vitest";

import { InvalidReceipt } from "./errors";
import { deriveFromReceipt, formatReceipt, newReceipt, normaliseReceipt } from "./receipt";

// Post-quantum keys in pure JavaScript are slow on a busy machine; no test here hangs.
vi.setConfig({ testTimeout: 60_000 });

describe("receipts", () => {
  it("makes 26 fresh base32 characters each time", () => {
    const receipts = Array.from({ length: 50 }, newReceipt);
    for (const r of receipts) expect(r).toMatch(/^[A-Z2-7]{26}$/);
    expect(new Set(receipts).size).toBe(50);
  });

  it.each([
    "abcde-fghij-klmn-opqr-stuv-w234",
    "ABCDE FGHIJ KLMN OPQR STUV W234",
    " abcdefghij klmnopqrstuvw234 ",
    "Abcd-Efgh-Ijkl-Mnop-Qrst-Uvw2-34",
  ])("normalises %j", (typed) => {
    expect(normaliseReceipt(typed)).toBe("ABCDEFGHIJKLMNOPQRSTUVW234");
  });

  it("formats in groups of 5, 5, 4, 4, 4, 4 as the command line", () => {
    expect(formatReceipt("abcdefghijklmnopqrstuvw234")).toBe("ABCDE-FGHIJ-KLMN-OPQR-STUV-W234");
    expect(formatReceipt("abcdefghijklmnopqrstuvw234", " ")).toBe("ABCDE FGHIJ KLMN OPQR STUV W234");
  });

  it.each([
    ["too short", "ABCDE-FGHIJ-KLMN-OPQR-STUV-W23", /has 26 letters and digits, and this one has 25\./],
    ["too long", "ABCDE-FGHIJ-KLMN-OPQR-STUV-W2345", /has 26 letters and digits, and this one has 27\./],
    ["empty", "", /this one has 0\./],
    ["a digit 0", "0BCDEFGHIJKLMNOPQRSTUVW234", /only the letters A to Z and the digits 2 to 7\./],
    ["a letter outside ASCII", "ÄBCDEFGHIJKLMNOPQRSTUVW234", /only the letters A to Z and the digits 2 to 7\./],
  ])("refuses a receipt %s with a sentence", (_, typed, message) => {
    expect(() => normaliseReceipt(typed)).toThrow(InvalidReceipt);
    expect(() => normaliseReceipt(typed)).toThrow(message);
    expect(() => formatReceipt(typed)).toThrow(InvalidReceipt);
  });

  it("never puts the receipt in the error", () => {
    const typed = "ABCDEFGHIJKLMNOPQRSTUVW2345";
    try {
      normaliseReceipt(typed);
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).not.toContain("ABCDE");
      expect((error as Error).message).toMatch(/^[A-Z].*\.$/);
    }
  });

  it("refuses a wrong receipt before deriving anything", async () => {
    await expect(deriveFromReceipt("ABC", "demo")).rejects.toThrow(InvalidReceipt);
  });

  it("derives per organisation, the same secret for either suite, and the hybrid by default", async () => {
    const receipt = newReceipt();
    const a = await deriveFromReceipt(receipt, "club-a");
    const b = await deriveFromReceipt(receipt, "club-b");
    const classic = await deriveFromReceipt(receipt, "club-a", "X25519");
    expect(a.mailboxSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(a.lookup).toMatch(/^[0-9a-f]{64}$/);
    expect(a.lookup).not.toBe(a.mailboxSecret);
    expect(b.mailboxSecret).not.toBe(a.mailboxSecret);
    expect(classic.mailboxSecret).toBe(a.mailboxSecret);
    expect(a.replyPublicKey.suite).toBe("MLKEM768-X25519");
    expect(classic.replyPublicKey.suite).toBe("X25519");
    expect(a.replyPrivateKey.publicKey).toEqual(a.replyPublicKey);
    expect(await deriveFromReceipt(formatReceipt(receipt).toLowerCase(), "club-a")).toMatchObject({
      mailboxSecret: a.mailboxSecret,
      replyPublicKey: a.replyPublicKey,
    });
  });
});
