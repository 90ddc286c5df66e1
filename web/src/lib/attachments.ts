// Attachments (issue 24 item 3; docs/api.md, "Attachments"). The reporter's page re-encodes
// photos here, so their EXIF (GPS position, camera, time) never leaves the browser, encrypts
// every file to a fresh age identity (crypto/attachment.ts) and uploads only ciphertext; the
// identity goes into the report's sealed envelope. The VCP's page downloads the ciphertext
// and decrypts it here.

import type { AttachmentRef } from "../crypto/attachment";
import { paddedFileSize } from "../crypto/filePadding";
import { ApiError, NetworkError, detailOf, request } from "./api";
import { ATTACHABLE_TYPES, MAX_BYTES, MAX_FILES, isPhoto } from "./attachmentLimits";

export type { AttachmentRef } from "../crypto/attachment";
export { ATTACHABLE_TYPES, MAX_BYTES, MAX_FILES, formatSize, isPhoto } from "./attachmentLimits";
// An age header with one X25519 recipient (and room for the grease stanzas some add).
const AGE_OVERHEAD = 400;

/** One file as it will be sent: photos already re-encoded without their metadata. */
export interface PreparedFile {
  /** Tells files apart on the page (two may share a name). */
  id: string;
  name: string;
  mediaType: string;
  data: Uint8Array;
  /** True when this is a photo re-encoded here (its EXIF, GPS included, dropped). */
  reencoded: boolean;
}

/** The ciphertext's size for a file of `size` bytes, about (the server counts exactly). */
export function estimatedCiphertext(size: number): number {
  const padded = paddedFileSize(size);
  return AGE_OVERHEAD + 16 + padded + 16 * Math.max(1, Math.ceil(padded / 65_536));
}

/** Whether `files` fit the limits of one report. */
export function withinLimits(files: readonly PreparedFile[]): "ok" | "count" | "size" {
  if (files.length > MAX_FILES) return "count";
  const total = files.reduce((sum, f) => sum + estimatedCiphertext(f.data.length), 0);
  return total > MAX_BYTES ? "size" : "ok";
}

function renamed(name: string, extension: string): string {
  const stem = name.replace(/\.[^.]*$/, "") || "photo";
  return `${stem}.${extension}`;
}

/**
 * A photo drawn onto a canvas and encoded anew: only the pixels survive, no EXIF, no GPS,
 * no camera, no time. The orientation the camera recorded is applied first, so the photo
 * does not turn on its side when its metadata goes.
 */
async function reencode(file: Blob, mediaType: string): Promise<{ blob: Blob; type: string }> {
  const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  const canvas = document.createElement("canvas");
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  canvas.getContext("2d")?.drawImage(bitmap, 0, 0);
  bitmap.close();
  const type = mediaType === "image/png" ? "image/png" : "image/jpeg";
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, type, 0.92));
  if (!blob) throw new Error("The photo could not be encoded again.");
  return { blob, type };
}

/** The file as it will be sent, or null for a type that cannot be attached. */
export async function prepareFile(file: File): Promise<PreparedFile | null> {
  if (!ATTACHABLE_TYPES.includes(file.type)) return null;
  if (isPhoto(file.type)) {
    const { blob, type } = await reencode(file, file.type);
    const name = renamed(file.name, type === "image/png" ? "png" : "jpg");
    const data = new Uint8Array(await blob.arrayBuffer());
    return { id: globalThis.crypto.randomUUID(), name, mediaType: type, data, reencoded: true };
  }
  const data = new Uint8Array(await file.arrayBuffer());
  return { id: globalThis.crypto.randomUUID(), name: file.name, mediaType: file.type, data, reencoded: false };
}

/** Why a chosen file was not added: a type that cannot be attached (its name), or a limit. */
export type AddProblem = { kind: "unsupported"; name: string } | { kind: "count" | "size" };

/**
 * The files chosen in a picker, prepared and added to those already there in order, until a
 * limit is reached: the report's form and the VCP's reply form add files the same way. A file
 * of a type that cannot be attached is skipped (and named); the first that would pass a limit
 * stops the adding.
 */
export async function addChosen(
  files: readonly PreparedFile[],
  chosen: readonly File[],
  prepare: (file: File) => Promise<PreparedFile | null> = prepareFile,
): Promise<{ files: PreparedFile[]; added: PreparedFile[]; problem: AddProblem | null }> {
  const next = [...files];
  const added: PreparedFile[] = [];
  let problem: AddProblem | null = null;
  for (const file of chosen) {
    const prepared = await prepare(file).catch(() => null);
    if (prepared === null) {
      problem = { kind: "unsupported", name: file.name };
      continue;
    }
    const limits = withinLimits([...next, prepared]);
    if (limits !== "ok") {
      problem = { kind: limits };
      break;
    }
    next.push(prepared);
    added.push(prepared);
  }
  return { files: next, added, problem };
}

export interface Reserved {
  attachment_id: string;
  upload_secret: string;
  piece_bytes: number;
}

export async function putPiece(org: string, reserved: Reserved, piece: number, data: Uint8Array): Promise<void> {
  let response: Response;
  try {
    response = await fetch(
      `/api/reports/v1/orgs/${encodeURIComponent(org)}/attachments/${reserved.attachment_id}/pieces/${piece}`,
      {
        method: "PUT",
        headers: { "content-type": "application/octet-stream", "x-safehands-upload": reserved.upload_secret },
        body: new Uint8Array(data),
        credentials: "same-origin",
        cache: "no-store",
        referrerPolicy: "no-referrer",
      },
    );
  } catch {
    throw new NetworkError();
  }
  if (!response.ok) {
    const body: unknown = await response.json().catch(() => null);
    throw new ApiError(response.status, detailOf(body, response.status), null);
  }
}

/** Encrypt and upload one file for a report not yet sent; its reference for the envelope. */
export async function uploadFile(org: string, reportId: string, file: PreparedFile): Promise<AttachmentRef> {
  // age loads when a file is encrypted, not with the page that lets the reporter pick it.
  const { encryptFile, newFileIdentity } = await import("../crypto/attachment");
  const identity = await newFileIdentity();
  const ciphertext = await encryptFile(file.data, identity);
  const reserved = await request<Reserved>("reports", `/v1/orgs/${encodeURIComponent(org)}/attachments`, {
    body: { report_id: reportId, size: ciphertext.length },
  });
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

/** The refs a report body carries, if they look like refs (a newer client's may not). */
export function attachmentsOf(body: unknown): AttachmentRef[] {
  const list = (body as { attachments?: unknown } | null)?.attachments;
  if (!Array.isArray(list)) return [];
  return list.filter(
    (ref): ref is AttachmentRef =>
      !!ref &&
      typeof ref === "object" &&
      typeof (ref as AttachmentRef).attachment_id === "string" &&
      typeof (ref as AttachmentRef).identity === "string" &&
      typeof (ref as AttachmentRef).name === "string" &&
      typeof (ref as AttachmentRef).media_type === "string" &&
      typeof (ref as AttachmentRef).size === "number",
  );
}

/** Download a report's attachment and decrypt it here (the VCP's page). */
export async function openAttachment(org: string, reportId: string, ref: AttachmentRef, token: string): Promise<Blob> {
  let response: Response;
  try {
    response = await fetch(
      `/api/reports/v1/orgs/${encodeURIComponent(org)}/reports/${encodeURIComponent(reportId)}/attachments/${encodeURIComponent(ref.attachment_id)}`,
      { headers: { authorization: `Bearer ${token}` }, credentials: "same-origin", cache: "no-store", referrerPolicy: "no-referrer" },
    );
  } catch {
    throw new NetworkError();
  }
  if (!response.ok) {
    const body: unknown = await response.json().catch(() => null);
    throw new ApiError(response.status, detailOf(body, response.status), null);
  }
  const { decryptFile } = await import("../crypto/attachment");
  const data = await decryptFile(new Uint8Array(await response.arrayBuffer()), ref);
  // Only the types a report may carry are shown as such; anything else is plain bytes.
  const type = ATTACHABLE_TYPES.includes(ref.media_type) ? ref.media_type : "application/octet-stream";
  return new Blob([new Uint8Array(data)], { type });
}
