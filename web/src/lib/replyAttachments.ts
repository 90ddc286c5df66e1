// Files on a VCP's reply (issue 24): encrypted in the VCP's browser exactly as the command
// line's `safehands vcp reply --attach` does (cli/vcp.py): each file to a fresh age identity
// of its own, uploaded as ciphertext for the reply's message id before the reply is posted;
// the identity, name, type and size go into the reply's sealed body, which is sealed to the
// reporter's reply key and the case's VCPs (lib/vcp.ts, sendReply). So the reporter opens
// them with the receipt alone, the VCPs in the case with their keys, and nobody else.
import { decryptFile, encryptFile, newFileIdentity, type AttachmentRef } from "../crypto/attachment";
import { request, requestBytes } from "./api";
import { ATTACHABLE_TYPES, attachmentsOf, putPiece, type PreparedFile, type Reserved } from "./attachments";

const orgPath = (org: string) => `/v1/orgs/${encodeURIComponent(org)}`;

/** Encrypt and upload one file for a reply not yet posted; its reference for the reply. */
export async function uploadReplyFile(
  org: string,
  reportId: string,
  messageId: string,
  file: PreparedFile,
  token: string,
): Promise<AttachmentRef> {
  const identity = await newFileIdentity();
  const ciphertext = await encryptFile(file.data, identity);
  const reserved = await request<Reserved>(
    "reports",
    `${orgPath(org)}/reports/${encodeURIComponent(reportId)}/attachments`,
    { body: { message_id: messageId, size: ciphertext.length }, token },
  );
  for (let start = 0, piece = 0; start < ciphertext.length; start += reserved.piece_bytes, piece += 1) {
    await putPiece(org, reserved, piece, ciphertext.subarray(start, start + reserved.piece_bytes));
  }
  return {
    attachment_id: reserved.attachment_id,
    identity,
    name: file.name,
    media_type: file.mediaType,
    size: file.data.length,
  };
}

/** The refs a reply's opened body carries (none for a body without files). */
export const replyAttachmentsOf = (body: unknown): AttachmentRef[] => attachmentsOf(body);

function asBlob(data: Uint8Array, ref: AttachmentRef): Blob {
  // Only the types a reply may carry are shown as such; anything else is plain bytes.
  const type = ATTACHABLE_TYPES.includes(ref.media_type) ? ref.media_type : "application/octet-stream";
  return new Blob([new Uint8Array(data)], { type });
}

/**
 * The reporter's download of a file on a VCP's reply: the ciphertext by the mailbox secret
 * (in the body, never in the URL), decrypted here with the key from the opened reply.
 */
export async function openMailboxAttachment(org: string, secret: string, ref: AttachmentRef): Promise<Blob> {
  const path = `${orgPath(org)}/mailbox/attachments/${encodeURIComponent(ref.attachment_id)}`;
  const ciphertext = await requestBytes("reports", path, { body: { secret } });
  return asBlob(await decryptFile(ciphertext, ref), ref);
}
