import { describe, expect, it } from "vitest";

import {
  addChosen,
  attachmentsOf,
  estimatedCiphertext,
  formatSize,
  withinLimits,
  type PreparedFile,
} from "./attachments";

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

  it("adds chosen files in order, names one it cannot take, and stops at a limit", async () => {
    const chosen = ["a.txt", "b.exe", "c.txt", "d.txt"].map((name) => new File(["x"], name));
    const prepare = async (picked: File) => (picked.name.endsWith(".exe") ? null : { ...file(10), name: picked.name });
    const three = [file(10), file(10), file(10)];
    const result = await addChosen(three, chosen, prepare);
    // a.txt fits (4 files), b.exe is refused by name, c.txt makes 5, d.txt would be the 6th.
    expect(result.added.map((f) => f.name)).toEqual(["a.txt", "c.txt"]);
    expect(result.files).toHaveLength(5);
    expect(result.problem).toEqual({ kind: "count" });
    const refused = await addChosen([], [new File(["x"], "b.exe")], prepare);
    expect(refused).toEqual({ files: [], added: [], problem: { kind: "unsupported", name: "b.exe" } });
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
