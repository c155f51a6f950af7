// Files arriving (docs/crypto.md §7.1, the twin of client-sdk/src/files/incoming.rs): at
// most one per sender and four in all, refused at the manifest when over the room's limit,
// each chunk checked for its index and size, the whole file's SHA-256 checked at the end.
// A file exists only here, in memory, until it is whole and checked; every refusal drops
// all of it. Chunks and cancels of a transfer without a manifest (a member who joined
// mid-transfer) are ignored.
import { sha256 } from "@noble/hashes/sha2.js";

import { equalConstantTime } from "../mls/bytes.js";
import { chunkLen, transferHex, type FileManifest, type FilePart } from "../mls/fileContent.js";

/** A transfer with no chunk for this long is given up. */
export const STALL_TIMEOUT_MS = 30_000;
/** Most files arriving at once (one per sender). */
export const MAX_INCOMING = 4;

/** What happened to a file coming in; `id` is the transfer id in hex. */
export type IncomingEvent =
  | { kind: "fileOffered"; from: number; id: string; name: string; size: number; mime: string }
  | { kind: "fileProgress"; from: number; id: string; done: number; total: number }
  | { kind: "fileReceived"; from: number; id: string; name: string; mime: string; bytes: Uint8Array }
  /** The sender stopped it; everything received was discarded. */
  | { kind: "fileCancelled"; from: number; id: string }
  /** Refused or cut short; everything received was discarded. */
  | { kind: "fileFailed"; from: number; id: string; reason: string };

interface Incoming {
  manifest: FileManifest;
  id: string;
  chunks: Uint8Array[];
  done: number;
  hasher: ReturnType<typeof sha256.create>;
  next: number;
  lastProgress: number;
}

export class Receiving {
  #bySender = new Map<number, Incoming>();

  /** A file part from `from`, in a room whose limit is `limit` bytes. */
  onPart(from: number, part: FilePart, limit: number, now = Date.now()): IncomingEvent[] {
    if (part.kind === "manifest") return this.#onManifest(from, part.manifest, limit, now);
    const incoming = this.#bySender.get(from);
    if (incoming === undefined || !sameId(incoming.manifest.transfer, part.transfer)) return [];
    if (part.kind === "cancel") {
      this.#bySender.delete(from);
      return [{ kind: "fileCancelled", from, id: incoming.id }];
    }
    return this.#onChunk(from, incoming, part.index, part.bytes, now);
  }

  #onManifest(from: number, manifest: FileManifest, limit: number, now: number): IncomingEvent[] {
    const id = transferHex(manifest.transfer);
    if (manifest.size > limit) {
      return [{ kind: "fileFailed", from, id, reason: `too large: ${manifest.size} bytes, over the room's limit of ${limit}; refused` }];
    }
    if (this.#bySender.has(from) || this.#bySender.size >= MAX_INCOMING) {
      return [{ kind: "fileFailed", from, id, reason: `too many files arriving at once (one per member, ${MAX_INCOMING} in all); refused` }];
    }
    const events: IncomingEvent[] = [{ kind: "fileOffered", from, id, name: manifest.name, size: manifest.size, mime: manifest.mime }];
    const incoming: Incoming = { manifest, id, chunks: [], done: 0, hasher: sha256.create(), next: 0, lastProgress: now };
    if (manifest.chunkCount === 0) events.push(finish(from, incoming));
    else this.#bySender.set(from, incoming);
    return events;
  }

  #onChunk(from: number, incoming: Incoming, index: number, bytes: Uint8Array, now: number): IncomingEvent[] {
    const { manifest, id } = incoming;
    const count = manifest.chunkCount;
    const expected = chunkLen(manifest, index);
    let error: string | undefined;
    if (index >= count) error = `chunk ${index} is past the last (${count} chunks)`;
    else if (index < incoming.next) error = `chunk ${index} came twice`;
    else if (index > incoming.next) error = `chunk ${incoming.next} is missing (got ${index})`;
    else if (bytes.length !== expected) error = `chunk ${index} has ${bytes.length} bytes, not ${expected}`;
    if (error !== undefined) {
      this.#bySender.delete(from);
      return [{ kind: "fileFailed", from, id, reason: `${error}; the file was discarded` }];
    }
    incoming.hasher.update(bytes);
    incoming.chunks.push(bytes);
    incoming.done += bytes.length;
    incoming.next += 1;
    incoming.lastProgress = now;
    const events: IncomingEvent[] = [{ kind: "fileProgress", from, id, done: incoming.done, total: manifest.size }];
    if (incoming.next === count) {
      this.#bySender.delete(from);
      events.push(finish(from, incoming));
    }
    return events;
  }

  /** `member` left the room or the group: its file can no longer complete. */
  onMemberGone(member: number): IncomingEvent[] {
    const incoming = this.#bySender.get(member);
    if (incoming === undefined) return [];
    this.#bySender.delete(member);
    return [cut(member, incoming, "its sender left")];
  }

  /** Gives up transfers that stalled. */
  tick(now = Date.now()): IncomingEvent[] {
    const events: IncomingEvent[] = [];
    for (const [from, incoming] of [...this.#bySender]) {
      if (now - incoming.lastProgress < STALL_TIMEOUT_MS) continue;
      this.#bySender.delete(from);
      events.push(cut(from, incoming, `nothing more for ${STALL_TIMEOUT_MS / 1000} s`));
    }
    return events;
  }

  /** Drops everything (the room is left). */
  clear(): void {
    this.#bySender.clear();
  }
}

function sameId(a: Uint8Array, b: Uint8Array): boolean {
  return equalConstantTime(a, b);
}

function cut(from: number, incoming: Incoming, why: string): IncomingEvent {
  const { next, manifest, id } = incoming;
  return { kind: "fileFailed", from, id, reason: `incomplete: ${next} of ${manifest.chunkCount} chunks, ${why}; discarded` };
}

function finish(from: number, incoming: Incoming): IncomingEvent {
  const { manifest, id } = incoming;
  if (!equalConstantTime(incoming.hasher.digest(), manifest.sha256)) {
    return { kind: "fileFailed", from, id, reason: "its bytes do not match the SHA-256 its sender announced; discarded" };
  }
  const bytes = new Uint8Array(manifest.size);
  let at = 0;
  for (const chunk of incoming.chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  incoming.chunks.length = 0;
  return { kind: "fileReceived", from, id, name: manifest.name, mime: manifest.mime, bytes };
}
