// The key file's logic, with light Argon2id parameters so the tests stay quick; the file
// records its parameters, and the interop tests (python-vectors, seal-for-python) use the
// real ones.

import { describe, expect, it, vi } from "vitest";

import { b64urlDecode, b64urlEncode } from "./encoding";
import { generateKeyPair, open, reportContext, seal, signingPublicKey } from "./index";
import {
  DEFAULT_KDF_PARAMS,
  DamagedKeyFile,
  WrongPassphrase,
  createKeyFile,
  keyFileText,
  readKeyFile,
  recoverKeyFile,
  unlockKeyFile,
  type KdfParams,
  type KeyFile,
} from "./keyfile";

// Post-quantum keys in pure JavaScript are slow on a busy machine; no test here hangs.
vi.setConfig({ testTimeout: 60_000 });

const LIGHT: KdfParams = { name: "argon2id", memory_cost: 64, iterations: 1, lanes: 2 };
const PASSPHRASE = "paard batterij nietje correct";
const SUITES = ["MLKEM768-X25519", "X25519"] as const;

async function lightFile(suite: (typeof SUITES)[number] = "X25519") {
  return createKeyFile(PASSPHRASE, suite, LIGHT);
}

function edited(file: KeyFile, edit: (copy: Record<string, unknown>) => void): unknown {
  const copy = JSON.parse(JSON.stringify(file)) as Record<string, unknown>;
  edit(copy);
  return copy;
}

describe.each(SUITES)("key file, %s", (suite) => {
  it("unlocks with its passphrase to the key it was made for, and reads what was sealed to it", async () => {
    const made = await lightFile(suite);
    expect(made.file).toMatchObject({ format: "safehands-vcp-key", version: 1, suite, public_key: made.publicKey });
    expect(made.file.fingerprint).toBe(made.privateKey.fingerprint);
    expect(made.recoveryCode).toMatch(/^([A-Z2-7]{4}-){7}[A-Z2-7]{4}$/);
    const unlocked = await unlockKeyFile(keyFileText(made.file), PASSPHRASE);
    expect(unlocked.publicKey).toEqual(made.publicKey);
    expect(unlocked.fingerprint).toBe(made.privateKey.fingerprint);
    const context = reportContext("demo", "r1");
    const envelope = await seal({ text: "hallo" }, context, [made.publicKey]);
    expect(await open(envelope, context, unlocked)).toEqual({ text: "hallo" });
  });

  it("sets a new passphrase with the recovery code, which keeps working", async () => {
    const made = await lightFile(suite);
    const typed = made.recoveryCode.toLowerCase().replaceAll("-", " ");
    const renewed = await recoverKeyFile(made.file, typed, "een nieuwe zin", LIGHT);
    expect(renewed.recovery).toEqual(made.file.recovery);
    expect((await unlockKeyFile(renewed, "een nieuwe zin")).publicKey).toEqual(made.publicKey);
    await expect(unlockKeyFile(renewed, PASSPHRASE)).rejects.toThrow(WrongPassphrase);
    const again = await recoverKeyFile(renewed, made.recoveryCode, "nog een zin", LIGHT);
    expect((await unlockKeyFile(again, "nog een zin")).fingerprint).toBe(made.privateKey.fingerprint);
    // The signing key is derived from the wrapped private key: the recovered file gives the same.
    expect(signingPublicKey(await unlockKeyFile(again, "nog een zin"))).toBe(signingPublicKey(made.privateKey));
  });
});

describe("unlocking goes wrong", () => {
  it("says WrongPassphrase in a sentence, and the right passphrase still works afterwards", async () => {
    const { file } = await lightFile();
    for (let i = 0; i < 3; i++) {
      await expect(unlockKeyFile(file, "wrong")).rejects.toThrow(
        new WrongPassphrase("The passphrase is wrong, or the key file was altered."),
      );
    }
    await expect(unlockKeyFile(file, "")).rejects.toThrow(WrongPassphrase);
    await expect(unlockKeyFile(file, PASSPHRASE)).resolves.toHaveProperty("suite", "X25519");
  });

  it("says WrongPassphrase for a wrong or malformed recovery code", async () => {
    const { file } = await lightFile();
    const wrongCode = "AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA";
    await expect(recoverKeyFile(file, wrongCode, "nieuw", LIGHT)).rejects.toThrow(/recovery code is wrong/);
    await expect(recoverKeyFile(file, "ABCD", "nieuw", LIGHT)).rejects.toThrow(/32 letters and digits/);
  });

  it("normalises the passphrase to NFC, as the command line does", async () => {
    const { file } = await createKeyFile("Cafe\u0301", "X25519", LIGHT);
    expect((await unlockKeyFile(file, "Caf\u00e9")).suite).toBe("X25519");
  });

  it("refuses an empty new passphrase", async () => {
    await expect(createKeyFile("", "X25519", LIGHT)).rejects.toThrow(/must not be empty/);
  });

  it("says WrongPassphrase when a wrapped key, its header or its parameters were altered", async () => {
    const { file } = await lightFile();
    const other = await generateKeyPair("X25519");
    const flipped = b64urlDecode(file.passphrase.ciphertext);
    flipped[0] = flipped[0]! ^ 1;
    const alterations = [
      edited(file, (f) => ((f.passphrase as Record<string, unknown>).ciphertext = b64urlEncode(flipped))),
      edited(file, (f) => ((f.passphrase as { kdf: KdfParams }).kdf.iterations = 2)),
      // Another valid key and its fingerprint: the header is bound into the wrapping.
      edited(file, (f) => {
        f.public_key = other.publicKey;
        f.fingerprint = other.privateKey.fingerprint;
      }),
      // The recovery slot's wrapping moved into the passphrase slot.
      edited(file, (f) => (f.passphrase = f.recovery)),
    ];
    for (const altered of alterations) await expect(unlockKeyFile(altered, PASSPHRASE)).rejects.toThrow(WrongPassphrase);
  });

  it.each([
    ["text that is not JSON", () => "{not json", /not JSON/],
    ["bytes that are not text", () => Uint8Array.of(0xff, 0xfe, 0x00), /not text/],
    ["a JSON array", () => "[1, 2]", /not a JSON object/],
    ["another program's JSON", () => ({ kty: "OKP" }), /not a SafeHands key file/],
    ["an unknown version", (f: KeyFile) => edited(f, (c) => (c.version = 2)), /version 2, and this page knows only version 1/],
    ["no version", (f: KeyFile) => edited(f, (c) => delete c.version), /no "version" field/],
    ["a missing part", (f: KeyFile) => edited(f, (c) => delete c.recovery), /no "recovery" field/],
    ["an unknown field", (f: KeyFile) => edited(f, (c) => (c.note = "x")), /unknown field "note"/],
    ["an unknown suite", (f: KeyFile) => edited(f, (c) => (c.suite = "RSA")), /suite is not one of/],
    ["a suite unlike its key's", (f: KeyFile) => edited(f, (c) => (c.suite = "MLKEM768-X25519")), /does not match its public key's suite/],
    ["a broken public key", (f: KeyFile) => edited(f, (c) => ((c.public_key as { key: string }).key = "AAAA")), /public key is not valid/],
    ["a wrong fingerprint", (f: KeyFile) => edited(f, (c) => (c.fingerprint = "0".repeat(32))), /fingerprint does not match/],
    ["a short salt", (f: KeyFile) => edited(f, (c) => ((c.passphrase as { salt: string }).salt = "AAAA")), /passphrase salt is not 16 bytes/],
    ["a short wrapped key", (f: KeyFile) => edited(f, (c) => ((c.recovery as { ciphertext: string }).ciphertext = "AAAA")), /wrapped under the recovery code is not 48 bytes/],
    ["another key derivation", (f: KeyFile) => edited(f, (c) => ((c.passphrase as { kdf: { name: string } }).kdf.name = "scrypt")), /not argon2id/],
    ["absurd Argon2 parameters", (f: KeyFile) => edited(f, (c) => ((c.passphrase as { kdf: KdfParams }).kdf.lanes = 1000)), /lanes are not 1 to 64/],
  ])("says DamagedKeyFile, naming the problem, for %s", async (_, make, message) => {
    const { file } = await lightFile();
    const damaged = make(file);
    await expect(unlockKeyFile(damaged, PASSPHRASE)).rejects.toThrow(DamagedKeyFile);
    await expect(readKeyFile(damaged)).rejects.toThrow(message);
  });

  it("never shows the passphrase in an error", async () => {
    const { file } = await lightFile();
    const error: unknown = await unlockKeyFile(file, "geheim-woord").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WrongPassphrase);
    expect((error as Error).message).not.toContain("geheim");
  });
});

describe("the format", () => {
  it("uses RFC 9106's second recommended Argon2id parameters by default, as the command line", () => {
    expect(DEFAULT_KDF_PARAMS).toEqual({ name: "argon2id", memory_cost: 65536, iterations: 3, lanes: 4 });
  });

  it("writes the file as the command line does: two-space JSON and a final newline", async () => {
    const { file } = await lightFile();
    const text = keyFileText(file);
    expect(text.endsWith("}\n")).toBe(true);
    expect(text.split("\n")[1]).toBe('  "format": "safehands-vcp-key",');
    expect(await readKeyFile(text)).toEqual(file);
  });
});
