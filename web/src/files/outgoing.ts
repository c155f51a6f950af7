// Files going out (docs/crypto.md §7.1, the twin of client-sdk/src/files/outgoing.rs and
// pacer.rs): the manifest, then the chunks at no more than half the gateway's
// messages_per_second, keeping the other half of the connection's budget for chat, which
// never waits behind chunks. One file goes out at a time.
import { sha256 } from "@noble/hashes/sha2.js";

import { randomBytes } from "../mls/bytes.js";
import { CHUNK_SIZE, chunkCount, MAX_NAME_BYTES, transferHex, type FilePart } from "../mls/fileContent.js";

/** The share of the message rate file chunks may use. */
export const FILE_SHARE = 0.5;

/** A token bucket mirroring the gateway's per-connection rate: every message sent takes a
 * token; a chunk goes only when it leaves the reserve kept for chat untouched, and no sooner
 * than the file share of the rate allows. */
export class Pacer {
  readonly #rate: number;
  readonly #reserve: number;
  readonly #chunkIntervalMs: number;
  #tokens: number;
  #updated: number;
  #nextChunkAt: number;

  constructor(messagesPerSecond: number, now = Date.now()) {
    this.#rate = Math.max(1, messagesPerSecond);
    this.#tokens = this.#rate;
    this.#updated = now;
    this.#reserve = Math.floor(this.#rate * (1 - FILE_SHARE));
    this.#chunkIntervalMs = 1000 / (this.#rate * FILE_SHARE);
    this.#nextChunkAt = now;
  }

  #available(now: number): number {
    return Math.min(this.#rate, this.#tokens + (Math.max(0, now - this.#updated) / 1000) * this.#rate);
  }

  /** Any message went out. */
  onSent(now = Date.now()): void {
    this.#tokens = this.#available(now) - 1;
    this.#updated = now;
  }

  onChunkSent(now = Date.now()): void {
    this.#nextChunkAt = now + this.#chunkIntervalMs;
  }

  /** When the next chunk may go (ms since the epoch). */
  chunkDue(now = Date.now()): number {
    const short = this.#reserve + 1 - this.#available(now);
    const refilled = short > 0 ? now + (short / this.#rate) * 1000 : now;
    return Math.max(refilled, this.#nextChunkAt);
  }
}

/** What happened to a file going out; `id` is the transfer id in hex. */
export type OutgoingEvent =
  | { kind: "fileSending"; id: string; name: string; size: number; mime: string }
  | { kind: "fileSendProgress"; id: string; done: number; total: number }
  | { kind: "fileSent"; id: string }
  | { kind: "fileSendCancelled"; id: string }
  /** Member `by` declined the file; the others still get it. */
  | { kind: "fileDeclined"; id: string; by: number }
  | { kind: "fileSendFailed"; id: string; reason: string };

/** What sending needs from the room. */
export interface FileLink {
  pacer: Pacer;
  maxFileBytes(): number;
  /** The other members of the group now: those the file is offered to. */
  recipients(): number[];
  whenSendable(): Promise<void>;
  sendPart(part: FilePart): Promise<void>;
  emit(event: OutgoingEvent): void;
}

/** A file being sent; `cancel` stops it and tells the receivers. */
export class Outgoing {
  readonly id: string;
  readonly #transfer: Uint8Array;
  #cancelled = false;
  /** Members offered the file who have neither declined it nor left. */
  #recipients: Set<number> | undefined;
  #nobodyLeft = false;
  readonly #emit: (event: OutgoingEvent) => void;
  /** Resolves when the transfer ended (sent, cancelled or failed). */
  readonly done: Promise<void>;

  constructor(link: FileLink, file: Blob, name: string, mime: string) {
    this.#transfer = randomBytes(16);
    this.id = transferHex(this.#transfer);
    this.#emit = (event) => link.emit(event);
    this.done = this.#run(link, file, name, mime);
  }

  cancel(): void {
    this.#cancelled = true;
  }

  /** A cancel from `by` for this transfer: if `by` was offered the file, it declines it. */
  onDeclined(by: number): void {
    if (this.#recipients?.delete(by) !== true) return;
    this.#emit({ kind: "fileDeclined", id: this.id, by });
    this.#nobodyLeft = this.#recipients.size === 0;
  }

  /** `member` left the room or the group. */
  onMemberGone(member: number): void {
    if (this.#recipients?.delete(member) === true) this.#nobodyLeft = this.#recipients.size === 0;
  }

  async #run(link: FileLink, file: Blob, name: string, mime: string): Promise<void> {
    const { id } = this;
    link.emit({ kind: "fileSending", id, name, size: file.size, mime });
    try {
      const limit = link.maxFileBytes();
      // Checked before reading: a file over the limit is never read into memory.
      if (file.size > limit) throw new Error(`The file is ${file.size} bytes; this room takes files up to ${limit}.`);
      const bytes = new Uint8Array(await file.arrayBuffer());
      const count = chunkCount(bytes.length, CHUNK_SIZE)!;
      const manifest = { transfer: this.#transfer, name: safeName(name), size: bytes.length, mime: truncate(mime), sha256: sha256(bytes), chunkSize: CHUNK_SIZE, chunkCount: count };
      await link.whenSendable();
      this.#recipients = new Set(link.recipients());
      if (this.#recipients.size === 0) throw new Error(NOBODY);
      await link.sendPart({ kind: "manifest", manifest });
      for (let index = 0; index < count; index++) {
        const wait = link.pacer.chunkDue() - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        if (this.#cancelled) break;
        if (this.#nobodyLeft) throw new Error(NOBODY);
        await link.whenSendable();
        const start = index * CHUNK_SIZE;
        const chunk = bytes.subarray(start, Math.min(bytes.length, start + CHUNK_SIZE));
        await link.sendPart({ kind: "chunk", transfer: this.#transfer, index, bytes: chunk });
        link.pacer.onChunkSent();
        link.emit({ kind: "fileSendProgress", id, done: start + chunk.length, total: bytes.length });
      }
      if (this.#cancelled) {
        await link.sendPart({ kind: "cancel", transfer: this.#transfer });
        link.emit({ kind: "fileSendCancelled", id });
      } else {
        link.emit({ kind: "fileSent", id });
      }
    } catch (error) {
      link.emit({ kind: "fileSendFailed", id, reason: error instanceof Error ? error.message : String(error) });
    }
  }
}

const NOBODY = "nobody left to receive the file";

/** At most 255 bytes of UTF-8, cut at a character boundary; never empty. */
function truncate(text: string, max = MAX_NAME_BYTES): string {
  const encoder = new TextEncoder();
  let out = "";
  for (const char of text) {
    if (encoder.encode(out + char).length > max) break;
    out += char;
  }
  return out;
}

function safeName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  return truncate(base) || "file";
}
