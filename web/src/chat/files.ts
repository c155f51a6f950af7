// A room's files (the twin of client-sdk/src/chat/files.rs): what arrives goes through
// Receiving, what this member sends through one Outgoing at a time, paced by the gateway's
// message rate. Everything stays in memory.
import { Outgoing, Pacer, type OutgoingEvent } from "../files/outgoing.js";
import { Receiving, type IncomingEvent } from "../files/incoming.js";
import { transferHex, type FilePart } from "../mls/fileContent.js";

/** The rate a gateway that did not say allows (docs/protocol.md's default). */
const DEFAULT_MESSAGES_PER_SECOND = 50;

export type FileEvent = IncomingEvent | OutgoingEvent;

export interface RoomLink {
  maxFileBytes(): number;
  recipients(): number[];
  whenSendable(): Promise<void>;
  sendPart(part: FilePart): Promise<void>;
  emit(event: FileEvent): void;
}

export class RoomFiles {
  readonly pacer: Pacer;
  readonly #room: RoomLink;
  readonly #receiving = new Receiving();
  #outgoing: Outgoing | undefined;

  constructor(room: RoomLink, messagesPerSecond: number | undefined) {
    this.#room = room;
    this.pacer = new Pacer(messagesPerSecond ?? DEFAULT_MESSAGES_PER_SECOND);
  }

  /** A file part from `from`; a cancel of this member's own transfer declines it. */
  onPart(from: number, part: FilePart): void {
    if (part.kind === "cancel" && this.#outgoing?.id === transferHex(part.transfer)) {
      this.#outgoing.onDeclined(from);
      return;
    }
    for (const event of this.#receiving.onPart(from, part, this.#room.maxFileBytes())) this.#room.emit(event);
  }

  /** `member` left the room or the group. */
  onMemberGone(member: number): void {
    this.#outgoing?.onMemberGone(member);
    for (const event of this.#receiving.onMemberGone(member)) this.#room.emit(event);
  }

  tick(): void {
    for (const event of this.#receiving.tick()) this.#room.emit(event);
  }

  /** Starts sending `file` under `name`; one file goes out at a time. */
  send(file: Blob, name: string, mime: string): Outgoing {
    if (this.#outgoing !== undefined) throw new Error("A file is still going out; wait for it or cancel it.");
    const outgoing = new Outgoing({ ...this.#room, pacer: this.pacer }, file, name, mime);
    this.#outgoing = outgoing;
    void outgoing.done.finally(() => {
      if (this.#outgoing === outgoing) this.#outgoing = undefined;
    });
    return outgoing;
  }

  /** Cancels the file going out, if it is `id`. */
  cancel(id: string): void {
    if (this.#outgoing?.id === id) this.#outgoing.cancel();
  }

  /** Drops everything arriving and stops what goes out (the room is left). */
  stop(): void {
    this.#receiving.clear();
    this.#outgoing?.cancel();
  }
}
