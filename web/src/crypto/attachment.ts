// Encrypted attachments (docs/api.md, "Attachments"), byte-compatible with
// shared/crypto/attachments.py: a file is padded (Padmé, at least 1 KiB) and encrypted with
// age (STREAM, 64 KiB chunks) to a fresh X25519 identity of its own. The identity, name,
// media type and exact size go only inside the sealed envelope (an AttachmentRef).

import { Decrypter, Encrypter, generateX25519Identity, identityToRecipient } from "age-encryption";

import { CannotOpen } from "./errors";

import { paddedFileSize } from "./filePadding";

export { MIN_PADDED_FILE_LEN, padme, paddedFileSize } from "./filePadding";

/** What the envelope's body says about one file; only the envelope's recipients see it. */
export interface AttachmentRef {
  attachment_id: string;
  identity: string;
  name: string;
  media_type: string;
  size: number;
}

/** A fresh identity for one file: `AGE-SECRET-KEY-1…`. */
export function newFileIdentity(): Promise<string> {
  return generateX25519Identity();
}

/** Pad `data` and encrypt it with age to `identity`'s recipient. */
export async function encryptFile(data: Uint8Array, identity: string): Promise<Uint8Array> {
  const padded = new Uint8Array(paddedFileSize(data.length));
  padded.set(data);
  const encrypter = new Encrypter();
  encrypter.addRecipient(await identityToRecipient(identity));
  return encrypter.encrypt(padded);
}

/** Decrypt the age layer; a truncated file, chunks out of order or from another file fail. */
export async function decryptStream(ciphertext: Uint8Array, identity: string): Promise<Uint8Array> {
  const decrypter = new Decrypter();
  try {
    decrypter.addIdentity(identity);
    return await decrypter.decrypt(ciphertext);
  } catch {
    throw new CannotOpen("The attachment could not be decrypted: it is not whole, or was altered.");
  }
}

/** The file's bytes: decrypted, cut to the envelope's size, the padding checked to be zeros. */
export async function decryptFile(ciphertext: Uint8Array, ref: AttachmentRef): Promise<Uint8Array> {
  const padded = await decryptStream(ciphertext, ref.identity);
  if (padded.length !== paddedFileSize(ref.size)) {
    throw new CannotOpen("The attachment's length does not match its size in the envelope.");
  }
  if (padded.subarray(ref.size).some((byte) => byte !== 0)) {
    throw new CannotOpen("The attachment's padding is not zeros.");
  }
  return padded.slice(0, ref.size);
}
