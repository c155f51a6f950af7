// Files inside application messages (docs/crypto.md §7.1, the twin of
// client-sdk/src/mls/file_content.rs): a manifest first, then the chunks in order, and a
// cancel either side may send. A chunk is always padded to the last bucket, so every chunk
// of every file is the same size on the wire.
//
//   kind 0x03 manifest  body = transfer id (16) ‖ size (8) ‖ chunk size (4) ‖ chunk count (4)
//                              ‖ SHA-256 of the file (32) ‖ name length (1) ‖ name (UTF-8)
//                              ‖ type length (1) ‖ MIME type (UTF-8)
//   kind 0x04 chunk     body = transfer id (16) ‖ index (4) ‖ bytes
//   kind 0x05 cancel    body = transfer id (16)
import { concat, fromUtf8, u32be, utf8 } from "./bytes.js";

export const KIND_FILE_MANIFEST = 0x03;
export const KIND_FILE_CHUNK = 0x04;
export const KIND_FILE_CANCEL = 0x05;
export const TRANSFER_ID_LEN = 16;
export const MAX_NAME_BYTES = 255;
export const MAX_MIME_BYTES = 255;
const CHUNK_HEADER_LEN = TRANSFER_ID_LEN + 4;
/** Most file bytes one chunk carries: a chunk fills the last bucket (65,280) exactly. */
export const MAX_CHUNK = 64 * 1024 - 256 - 9 - CHUNK_HEADER_LEN;
/** The chunk size this client sends (as the Rust SDK does): 63.5 KiB. */
export const CHUNK_SIZE = 65_024;
const FIXED_MANIFEST_LEN = TRANSFER_ID_LEN + 8 + 4 + 4 + 32;

export interface FileManifest {
  transfer: Uint8Array;
  name: string;
  size: number;
  mime: string;
  sha256: Uint8Array;
  chunkSize: number;
  chunkCount: number;
}

export type FilePart =
  | { kind: "manifest"; manifest: FileManifest }
  | { kind: "chunk"; transfer: Uint8Array; index: number; bytes: Uint8Array }
  /** From the sender: the transfer stopped. From anyone else: it declines the file. */
  | { kind: "cancel"; transfer: Uint8Array };

/** How many chunks of `chunkSize` a file of `size` bytes takes; undefined for a bad size. */
export function chunkCount(size: number, chunkSize: number): number | undefined {
  if (chunkSize === 0 || chunkSize > MAX_CHUNK) return undefined;
  const count = Math.ceil(size / chunkSize);
  return count <= 0xffff_ffff ? count : undefined;
}

/** The size chunk `index` of `manifest` must have. */
export function chunkLen(manifest: FileManifest, index: number): number {
  return Math.max(0, Math.min(manifest.chunkSize, manifest.size - index * manifest.chunkSize));
}

export function transferHex(transfer: Uint8Array): string {
  return [...transfer].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function badManifest(): Error {
  return new Error("malformed file manifest");
}

/** The part's kind byte and body (after the common header). */
export function encodeFilePart(part: FilePart): { kind: number; body: Uint8Array } {
  switch (part.kind) {
    case "manifest": {
      const m = part.manifest;
      const name = utf8(m.name);
      const mime = utf8(m.mime);
      if (
        m.transfer.length !== TRANSFER_ID_LEN ||
        m.sha256.length !== 32 ||
        name.length === 0 ||
        name.length > MAX_NAME_BYTES ||
        mime.length > MAX_MIME_BYTES ||
        chunkCount(m.size, m.chunkSize) !== m.chunkCount
      ) {
        throw badManifest();
      }
      const fixed = new Uint8Array(FIXED_MANIFEST_LEN - TRANSFER_ID_LEN);
      const view = new DataView(fixed.buffer);
      view.setBigUint64(0, BigInt(m.size));
      view.setUint32(8, m.chunkSize);
      view.setUint32(12, m.chunkCount);
      fixed.set(m.sha256, 16);
      const body = concat(m.transfer, fixed, new Uint8Array([name.length]), name, new Uint8Array([mime.length]), mime);
      return { kind: KIND_FILE_MANIFEST, body };
    }
    case "chunk":
      if (part.bytes.length > MAX_CHUNK) throw new Error(`a chunk of ${part.bytes.length} bytes; the most is ${MAX_CHUNK}`);
      return { kind: KIND_FILE_CHUNK, body: concat(part.transfer, u32be(part.index), part.bytes) };
    case "cancel":
      return { kind: KIND_FILE_CANCEL, body: part.transfer.slice() };
  }
}

/** A length-prefixed (1 byte) UTF-8 string at `at`, and where it ends. */
function shortString(body: Uint8Array, at: number): [string, number] {
  if (at >= body.length) throw badManifest();
  const end = at + 1 + body[at]!;
  if (end > body.length) throw badManifest();
  try {
    return [fromUtf8(body.subarray(at + 1, end)), end];
  } catch {
    throw badManifest();
  }
}

/** Parses the body of a file part of `kind`; undefined if `kind` is not a file's. */
export function decodeFilePart(kind: number, body: Uint8Array): FilePart | undefined {
  if (kind === KIND_FILE_MANIFEST) {
    if (body.length < FIXED_MANIFEST_LEN) throw badManifest();
    const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
    const size = view.getBigUint64(16);
    const chunkSize = view.getUint32(24);
    const count = view.getUint32(28);
    const [name, at] = shortString(body, FIXED_MANIFEST_LEN);
    const [mime, end] = shortString(body, at);
    // Past 2^53 a size is beyond any limit a room can have; refuse it as malformed here.
    if (size > BigInt(Number.MAX_SAFE_INTEGER)) throw badManifest();
    if (end !== body.length || name.length === 0 || chunkCount(Number(size), chunkSize) !== count) throw badManifest();
    const manifest: FileManifest = {
      transfer: body.slice(0, TRANSFER_ID_LEN),
      size: Number(size),
      chunkSize,
      chunkCount: count,
      sha256: body.slice(32, 64),
      name,
      mime,
    };
    return { kind: "manifest", manifest };
  }
  if (kind === KIND_FILE_CHUNK) {
    if (body.length < CHUNK_HEADER_LEN) throw new Error("malformed file chunk");
    const index = new DataView(body.buffer, body.byteOffset, body.byteLength).getUint32(TRANSFER_ID_LEN);
    return { kind: "chunk", transfer: body.slice(0, TRANSFER_ID_LEN), index, bytes: body.slice(CHUNK_HEADER_LEN) };
  }
  if (kind === KIND_FILE_CANCEL) {
    if (body.length !== TRANSFER_ID_LEN) throw new Error("malformed file cancel");
    return { kind: "cancel", transfer: body.slice() };
  }
  return undefined;
}
