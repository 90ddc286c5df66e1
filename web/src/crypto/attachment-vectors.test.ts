// Attachments both ways (issue 24): the browser opens files encrypted by Python
// (tests/vectors/attachments-python-v1.json, `python -m tests.support.write_attachment_vectors`)
// and refuses them truncated, with chunks out of order or with a chunk of another file. With
// SAFEHANDS_WRITE_ATTACHMENT_VECTORS=1 it writes tests/vectors/attachments-web-v1.json, which
// tests/unit/crypto/test_attachment_vectors.py opens with pyrage.

import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";

import { decryptFile, encryptFile, newFileIdentity, paddedFileSize, padme, type AttachmentRef } from "./attachment";
import { CannotOpen } from "./errors";
import { readVectors } from "./test-support";

interface VectorFile {
  ref: AttachmentRef;
  sha256: string;
  ciphertext: string;
}

// Encrypting in pure JavaScript is slow on a busy machine; no test here hangs.
vi.setConfig({ testTimeout: 60_000 });

const SIZES = [0, 1, 65_536, 65_537];
const fromBase64 = (text: string) => new Uint8Array(Buffer.from(text, "base64"));
const sha256 = (data: Uint8Array) => createHash("sha256").update(data).digest("hex");

function plaintext(size: number): Uint8Array {
  return Uint8Array.from({ length: size }, (_, i) => (31 * i + 7) % 256);
}

/** An age file split into its header (with the payload nonce) and its STREAM chunks. */
function split(ciphertext: Uint8Array): { head: Uint8Array; chunks: Uint8Array[] } {
  const text = new TextDecoder("latin1").decode(ciphertext);
  const macLine = text.indexOf("\n--- ") + 1;
  const start = text.indexOf("\n", macLine) + 1 + 16;
  const chunks: Uint8Array[] = [];
  for (let at = start; at < ciphertext.length; at += 65_536 + 16) chunks.push(ciphertext.slice(at, at + 65_536 + 16));
  return { head: ciphertext.slice(0, start), chunks };
}

function join(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

const python = readVectors<{ files: VectorFile[] }>("attachments-python-v1.json").files;

describe("attachments encrypted by Python", () => {
  it.each(python.map((file) => [file.ref.size, file] as const))("opens the file of %i bytes", async (_, file) => {
    const data = await decryptFile(fromBase64(file.ciphertext), file.ref);
    expect(data.length).toBe(file.ref.size);
    expect(sha256(data)).toBe(file.sha256);
    expect(data).toEqual(plaintext(file.ref.size));
  });

  const two = python.find((file) => file.ref.size === 65_537)!;
  const { head, chunks } = split(fromBase64(two.ciphertext));

  it("has two STREAM chunks for 65 537 bytes, one for 65 536", () => {
    expect(chunks.map((chunk) => chunk.length)).toEqual([65_552, paddedFileSize(65_537) - 65_536 + 16]);
    const one = python.find((file) => file.ref.size === 65_536)!;
    expect(split(fromBase64(one.ciphertext)).chunks).toHaveLength(1);
  });

  it("refuses a truncated file", async () => {
    await expect(decryptFile(join([head, chunks[0]!]), two.ref)).rejects.toThrow(CannotOpen);
    const cut = fromBase64(two.ciphertext);
    await expect(decryptFile(cut.slice(0, cut.length - 1), two.ref)).rejects.toThrow(CannotOpen);
  });

  it("refuses chunks in the wrong order", async () => {
    await expect(decryptFile(join([head, chunks[1]!, chunks[0]!]), two.ref)).rejects.toThrow(CannotOpen);
  });

  it("refuses a chunk from another file of the same key", async () => {
    const other = split(await encryptFile(plaintext(65_537), two.ref.identity)).chunks;
    await expect(decryptFile(join([head, chunks[0]!, other[1]!]), two.ref)).rejects.toThrow(CannotOpen);
  });

  it("refuses the file under another identity, or with another size", async () => {
    const stranger = { ...two.ref, identity: await newFileIdentity() };
    await expect(decryptFile(fromBase64(two.ciphertext), stranger)).rejects.toThrow(CannotOpen);
    await expect(decryptFile(fromBase64(two.ciphertext), { ...two.ref, size: 70_000 })).rejects.toThrow(CannotOpen);
  });
});

describe("padding", () => {
  it("rounds up to Padmé buckets of at least 1 KiB", () => {
    expect([0, 1, 1024, 65_536, 65_537, 20 * 1024 * 1024].map(paddedFileSize)).toEqual([
      1024, 1024, 1024, 65_536, 67_584, 20 * 1024 * 1024,
    ]);
    expect(padme(1_000_001)).toBeLessThanOrEqual(1_000_001 * 1.12);
  });
});

describe("attachments for Python", () => {
  it("encrypts and opens its own files, and writes them for Python when asked", async () => {
    const files: VectorFile[] = [];
    for (const size of SIZES) {
      const identity = await newFileIdentity();
      const ref = { attachment_id: crypto.randomUUID(), identity, name: `web-${size}.bin`, media_type: "application/octet-stream", size };
      const ciphertext = await encryptFile(plaintext(size), identity);
      expect(await decryptFile(ciphertext, ref)).toEqual(plaintext(size));
      files.push({ ref, sha256: sha256(plaintext(size)), ciphertext: Buffer.from(ciphertext).toString("base64") });
    }
    if (process.env.SAFEHANDS_WRITE_ATTACHMENT_VECTORS === "1") {
      const document = { comment: "Written by web/src/crypto/attachment-vectors.test.ts (age-encryption). Plaintext byte i is (31 i + 7) mod 256.", files };
      writeFileSync(new URL("../../../tests/vectors/attachments-web-v1.json", import.meta.url), JSON.stringify(document, null, 1) + "\n");
    }
  });
});
