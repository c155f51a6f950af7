// Known-answer vectors of files in rooms (docs/crypto.md §7.1–§7.2), shared with the Rust
// SDK: `client-sdk/tests/vectors/files.json`, made from the document alone and checked by
// `client-sdk/tests/file_vectors.rs`. This test checks both directions on the TypeScript
// side: the page decodes every payload of the file, and encodes the same parts to the same
// bytes. It also runs the receiver over the vector's chunks, and its refusals.
import { readFileSync } from "node:fs";

import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";
import { describe, expect, it } from "vitest";

import { Receiving } from "../../src/files/incoming.js";
import { Pacer } from "../../src/files/outgoing.js";
import { decodeAppMessage, encodeAppMessage } from "../../src/mls/content.js";
import type { FileManifest, FilePart } from "../../src/mls/fileContent.js";
import { DEFAULT_MAX_FILE_BYTES, decodeRoomSettings, encodeRoomSettings, maxFileBytes, ROOM_SETTINGS_EXTENSION } from "../../src/mls/settings.js";

interface Vectors {
  room_settings: { extension_type: number; examples: { max_file_bytes: number; extension_data: string }[]; default_max_file_bytes: number };
  file: { content: string; sha256: string; transfer: string; name: string; mime: string; chunk_size: number; chunk_count: number };
  manifest_payload: string;
  chunks: { index: number; bytes: string; payload_len: number; payload_head: string; payload_sha256: string }[];
  cancel_payload: string;
}

const vectors = JSON.parse(readFileSync(new URL("../../../client-sdk/tests/vectors/files.json", import.meta.url), "utf8")) as Vectors;
const file = vectors.file;
const transfer = hexToBytes(file.transfer);
const manifest: FileManifest = {
  transfer,
  name: file.name,
  size: hexToBytes(file.content).length,
  mime: file.mime,
  sha256: hexToBytes(file.sha256),
  chunkSize: file.chunk_size,
  chunkCount: file.chunk_count,
};
const encode = (part: FilePart) => encodeAppMessage({ ttlSecs: 0, content: { kind: "file", part } });
const decodePart = (payload: Uint8Array): FilePart => {
  const message = decodeAppMessage(payload);
  expect(message.ttlSecs).toBe(0);
  if (message.content.kind !== "file") throw new Error("not a file part");
  return message.content.part;
};
const chunkPart = (index: number): FilePart => ({ kind: "chunk", transfer, index, bytes: hexToBytes(vectors.chunks[index]!.bytes) });

describe("file vectors", () => {
  it("the room settings extension carries the limit", () => {
    expect(vectors.room_settings.extension_type).toBe(ROOM_SETTINGS_EXTENSION);
    expect(vectors.room_settings.default_max_file_bytes).toBe(DEFAULT_MAX_FILE_BYTES);
    for (const example of vectors.room_settings.examples) {
      expect(bytesToHex(encodeRoomSettings(example.max_file_bytes))).toBe(example.extension_data);
      expect(decodeRoomSettings(hexToBytes(example.extension_data))).toBe(example.max_file_bytes);
      const extensions = [{ extensionType: ROOM_SETTINGS_EXTENSION, extensionData: hexToBytes(example.extension_data) }];
      expect(maxFileBytes(extensions)).toBe(example.max_file_bytes);
    }
    expect(maxFileBytes([])).toBe(DEFAULT_MAX_FILE_BYTES);
    expect(() => decodeRoomSettings(new Uint8Array(8))).toThrow();
    expect(() => decodeRoomSettings(new Uint8Array(7))).toThrow();
  });

  it("the manifest encodes to the vector's bytes and decodes from them", () => {
    expect(bytesToHex(sha256(hexToBytes(file.content)))).toBe(file.sha256);
    expect(bytesToHex(encode({ kind: "manifest", manifest }))).toBe(vectors.manifest_payload);
    expect(decodePart(hexToBytes(vectors.manifest_payload))).toEqual({ kind: "manifest", manifest });
  });

  it("every chunk fills the last bucket, encodes to the vector and decodes from it", () => {
    for (const chunk of vectors.chunks) {
      const payload = encode(chunkPart(chunk.index));
      expect(payload.length).toBe(chunk.payload_len);
      expect(bytesToHex(payload.subarray(0, chunk.payload_head.length / 2))).toBe(chunk.payload_head);
      expect(bytesToHex(sha256(payload))).toBe(chunk.payload_sha256);
      expect(decodePart(payload)).toEqual(chunkPart(chunk.index));
    }
  });

  it("the cancel encodes to the vector's bytes and decodes from them", () => {
    expect(bytesToHex(encode({ kind: "cancel", transfer }))).toBe(vectors.cancel_payload);
    expect(decodePart(hexToBytes(vectors.cancel_payload))).toEqual({ kind: "cancel", transfer });
  });

  it("malformed parts are refused", () => {
    const bad = hexToBytes(vectors.manifest_payload);
    bad[9 + 31] = 4; // chunk count 4, not ceil(34 / 16) = 3
    expect(() => decodeAppMessage(bad)).toThrow();
    // A chunk padded to a smaller bucket than the last.
    const small = hexToBytes(vectors.chunks[2]!.payload_head);
    const shortPayload = new Uint8Array(256);
    shortPayload.set(small);
    expect(() => decodeAppMessage(shortPayload)).toThrow();
    expect(() => encode({ kind: "manifest", manifest: { ...manifest, name: "" } })).toThrow();
  });
});

describe("receiving", () => {
  const offer: FilePart = { kind: "manifest", manifest };

  it("reassembles the vector's file and checks its hash", () => {
    const receiving = new Receiving();
    expect(receiving.onPart(2, offer, DEFAULT_MAX_FILE_BYTES).map((e) => e.kind)).toEqual(["fileOffered"]);
    const events = [0, 1, 2].flatMap((i) => receiving.onPart(2, chunkPart(i), DEFAULT_MAX_FILE_BYTES));
    const last = events.at(-1)!;
    expect(last.kind).toBe("fileReceived");
    if (last.kind === "fileReceived") expect(bytesToHex(last.bytes)).toBe(file.content);
  });

  it("refuses a file over the limit, a tampered chunk, a chunk left out, and a cancel ends it", () => {
    const receiving = new Receiving();
    expect(receiving.onPart(2, offer, 33)[0]).toMatchObject({ kind: "fileFailed" });
    receiving.onPart(2, offer, 1000);
    receiving.onPart(2, chunkPart(0), 1000);
    const tampered = { ...(chunkPart(1) as Extract<FilePart, { kind: "chunk" }>) };
    tampered.bytes = tampered.bytes.slice();
    tampered.bytes[0]! ^= 1;
    receiving.onPart(2, tampered, 1000);
    expect(receiving.onPart(2, chunkPart(2), 1000).at(-1)).toMatchObject({ kind: "fileFailed", reason: expect.stringContaining("SHA-256") });
    receiving.onPart(3, offer, 1000);
    expect(receiving.onPart(3, chunkPart(1), 1000)[0]).toMatchObject({ kind: "fileFailed", reason: expect.stringContaining("missing") });
    receiving.onPart(4, offer, 1000);
    expect(receiving.onPart(4, { kind: "cancel", transfer }, 1000)).toEqual([{ kind: "fileCancelled", from: 4, id: file.transfer }]);
    // A transfer without its manifest (joined mid-way) is ignored.
    expect(receiving.onPart(5, chunkPart(0), 1000)).toEqual([]);
  });

  it("the pacer keeps chunks to half the rate", () => {
    const pacer = new Pacer(50, 0);
    let now = 0;
    let chunks = 0;
    while (now < 10_000) {
      now = Math.max(now, pacer.chunkDue(now));
      pacer.onSent(now);
      pacer.onChunkSent(now);
      chunks++;
    }
    expect(chunks).toBeLessThanOrEqual(25 * 10 + 26);
  });
});
