import { describe, expect, it } from "vitest";

import { attachmentsOf, estimatedCiphertext, formatSize, withinLimits, type PreparedFile } from "./attachments";

const file = (size: number): PreparedFile => ({
  id: crypto.randomUUID(),
  name: "a.txt",
  mediaType: "text/plain",
  data: new Uint8Array(size),
  reencoded: false,
});

describe("attachments", () => {
  it("estimates the ciphertext above the padded size", () => {
    expect(estimatedCiphertext(0)).toBeGreaterThan(1024);
    expect(estimatedCiphertext(65_537)).toBeGreaterThan(67_584 + 32);
  });

  it("keeps to five files and 20 MiB of ciphertext per report", () => {
    expect(withinLimits([file(10), file(10)])).toBe("ok");
    expect(withinLimits(Array.from({ length: 6 }, () => file(10)))).toBe("count");
    expect(withinLimits([file(10 * 1024 * 1024), file(10 * 1024 * 1024)])).toBe("size");
  });

  it("takes only well-formed references from an opened body", () => {
    const ref = { attachment_id: "x", identity: "AGE-SECRET-KEY-1", name: "n", media_type: "text/plain", size: 1 };
    expect(attachmentsOf({ attachments: [ref, { name: 3 }, null] })).toEqual([ref]);
    expect(attachmentsOf({ attachments: "no" })).toEqual([]);
    expect(attachmentsOf(null)).toEqual([]);
  });

  it("shows sizes in kB and MB", () => {
    expect(formatSize(20 * 1024 * 1024, "en")).toBe("20 MB");
    expect(formatSize(10, "en")).toBe("0.1 kB");
  });
});
