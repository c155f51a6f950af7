// A room one can talk in: a GatewayClient carrying a RoomGroup's frames (the twin of
// client-sdk/src/chat). The gateway sees only what this module hands to `sendFrame`: MLS
// ciphertext, join requests and Welcomes. Every input (gateway events, timer ticks, the
// person's actions) runs through one queue, so the group sees them one at a time and its
// frames leave in the order it made them.
import { GatewayClient, type GatewayEvent, type Joined, type WebSocketConstructor } from "../gateway/client.js";
import type { DirectContent } from "../mls/content.js";
import { newInviteSecret, type Admission, type Invite } from "../mls/invite.js";
import { RoomGroup, type Output, type RoomEvent } from "../mls/room/group.js";
import type { RosterEntry } from "../mls/roster.js";
import { RoomKeys } from "../mls/secrets.js";
import type { HeldKey } from "../paid/held.js";
import { roomTag } from "../paid/invite.js";

/** How often the group gets a chance to do overdue work. */
const TICK_MS = 500;
/** How long a send waits for this member to be able to send. */
export const SEND_WAIT_MS = 30_000;

export type ChatEvent =
  | RoomEvent
  | { kind: "memberJoined"; member: number }
  | { kind: "memberLeft"; member: number }
  /** The gateway refused something this member sent. */
  | { kind: "gatewayRefused"; code: string; message: string }
  | { kind: "closed"; code: number; reason: string };

export interface ConnectOptions {
  WebSocket?: WebSocketConstructor;
}

export class ChatRoom {
  readonly #client: GatewayClient;
  readonly #group: RoomGroup;
  readonly room: number;
  /** A free room's invite (code and secret); undefined in a paid room. */
  readonly invite: Invite | undefined;
  /** A paid room's name, from the invite sealed into the key; undefined in a free room. */
  readonly paidName: string | undefined;
  #present: Set<number>;
  #listeners = new Set<(event: ChatEvent) => void>();
  #pending: ChatEvent[] = [];
  #queue: Promise<void> = Promise.resolve();
  #ticker: ReturnType<typeof setInterval>;
  #closed = false;

  private constructor(client: GatewayClient, group: RoomGroup, joined: Joined, invite: Invite | undefined, paidName?: string) {
    this.#client = client;
    this.#group = group;
    this.room = joined.room;
    this.invite = invite;
    this.paidName = paidName;
    this.#present = new Set(joined.members);
    if (group.inGroup) this.#pending.push({ kind: "inGroup" });
    client.listen((event) => this.#enqueue(() => this.#onGatewayEvent(event)));
    this.#ticker = setInterval(() => this.#enqueue(async () => this.#apply(await this.#group.tick())), TICK_MS);
  }

  /** Creates a free room with a fresh secret; the gateway gets only its verifier. */
  static async create(url: string, admission: Admission, options: ConnectOptions = {}): Promise<ChatRoom> {
    const client = await GatewayClient.connect(url, options.WebSocket);
    const secret = newInviteSecret();
    const joined = await client.createRoom(new RoomKeys(secret).verifier());
    if (joined.code === undefined) throw new Error("The gateway answered a free room without a code.");
    const group = await RoomGroup.create(joined.member, secret, admission);
    return new ChatRoom(client, group, joined, { code: joined.code, secret, admission });
  }

  /** Joins the room of `invite`, proving its secret, and asks the members to add this one. */
  static async join(url: string, invite: Invite, options: ConnectOptions = {}): Promise<ChatRoom> {
    const client = await GatewayClient.connect(url, options.WebSocket);
    const keys = new RoomKeys(invite.secret);
    let joined: Joined;
    try {
      joined = await client.joinRoom(invite.code, (challenge) => keys.joinProof(challenge, invite.code));
    } catch (error) {
      client.close();
      throw error;
    }
    return new ChatRoom(client, await ChatRoom.#newGroup(joined, invite.secret, invite.admission), joined, invite);
  }

  /** Joins the paid room of a held key: its holder proves the key to the gateway (no wallet
   * sign-in), and the room secret from the key's sealed invite admits it to the group, as
   * an invite's secret does in a free room (`ChatRoom::join_paid` in the Rust SDK). */
  static async joinPaid(url: string, key: HeldKey, options: ConnectOptions = {}): Promise<ChatRoom> {
    const client = await GatewayClient.connect(url, options.WebSocket);
    let joined: Joined;
    try {
      joined = await client.joinPaidRoom(key.holder, roomTag(key.invite.secret));
    } catch (error) {
      client.close();
      throw error;
    }
    const group = await ChatRoom.#newGroup(joined, key.invite.secret, "open");
    return new ChatRoom(client, group, joined, undefined, key.invite.name);
  }

  /** Creates the group if nobody is in the room yet, or waits for a member's challenge. */
  static #newGroup(joined: Joined, secret: Uint8Array, admission: Admission): Promise<RoomGroup> {
    return joined.members.length === 0
      ? RoomGroup.create(joined.member, secret, admission)
      : RoomGroup.join(joined.member, secret, admission, joined.members);
  }

  /** Where events go; those that happened before are handed over first. */
  listen(listener: (event: ChatEvent) => void): () => void {
    this.#listeners.add(listener);
    for (const event of this.#pending.splice(0)) listener(event);
    return () => this.#listeners.delete(listener);
  }

  #emit(event: ChatEvent): void {
    if (this.#listeners.size === 0) this.#pending.push(event);
    for (const listener of this.#listeners) listener(event);
  }

  #enqueue(step: () => Promise<void> | void): Promise<void> {
    const run = this.#queue.then(step);
    this.#queue = run.catch((error: unknown) => {
      this.#emit({ kind: "refused", from: this.me, reason: error instanceof Error ? error.message : String(error) });
    });
    return run;
  }

  async #onGatewayEvent(event: GatewayEvent): Promise<void> {
    if (event.kind === "closed") {
      this.#stop();
      this.#emit(event);
      return;
    }
    if (event.kind === "frame") {
      if (event.frame.room !== this.room) return;
      const { sender, kind, payload } = event.frame;
      this.#apply(await this.#group.onFrame(sender, kind, payload));
      return;
    }
    const message = event.message;
    if ("room" in message && message.room !== this.room) return;
    switch (message.type) {
      case "member_joined":
        this.#present.add(message.member);
        this.#emit({ kind: "memberJoined", member: message.member });
        this.#apply(await this.#group.onMemberJoined(message.member));
        break;
      case "member_left":
        this.#present.delete(message.member);
        this.#emit({ kind: "memberLeft", member: message.member });
        this.#apply(await this.#group.onMemberLeft(message.member));
        break;
      case "committed":
        this.#apply(await this.#group.onCommitted(message.epoch));
        break;
      case "commit_refused":
        this.#apply(await this.#group.onCommitRefused(message.epoch));
        break;
      case "error":
        this.#emit({ kind: "gatewayRefused", code: message.code, message: message.message });
        break;
      default:
        break;
    }
  }

  #apply(out: Output): void {
    for (const frame of out.frames) {
      if (this.#closed) break;
      this.#client.sendFrame(this.room, frame.kind, frame.to, frame.payload);
    }
    for (const event of out.events) this.#emit(event);
  }

  get me(): number {
    return this.#group.me;
  }
  get isCreator(): boolean {
    return this.#group.isCreator;
  }
  get inGroup(): boolean {
    return this.#group.inGroup;
  }
  get canSend(): boolean {
    return this.#group.canSend;
  }
  /** The other members the gateway reports in the room (some may not be in the group yet). */
  get present(): number[] {
    return [...this.#present];
  }
  roster(): RosterEntry[] {
    return this.#group.roster();
  }
  safetyCode(): string | undefined {
    return this.#group.safetyCode();
  }
  knocking(): number[] {
    return this.#group.knocking();
  }
  epoch(): bigint | undefined {
    return this.#group.epoch();
  }

  /** Waits until this member can send: in the group, with no commit in flight. */
  async whenSendable(limitMs = SEND_WAIT_MS): Promise<void> {
    const deadline = Date.now() + limitMs;
    while (!this.#group.canSend) {
      if (this.#group.removed) throw new Error("You were removed from the group.");
      if (this.#closed) throw new Error("The connection to the gateway is closed.");
      if (Date.now() > deadline) throw new Error("Not able to send yet: no member has added you to the group.");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Sends a text to the group with a disappearing timer (0: keep). */
  async send(text: string, ttlSecs = 0): Promise<void> {
    await this.whenSendable();
    await this.#enqueue(async () => this.#apply(await this.#group.sendText(text, ttlSecs)));
  }

  async sendDirect(to: number, content: DirectContent): Promise<void> {
    await this.whenSendable();
    await this.#enqueue(async () => this.#apply(await this.#group.sendDirect(to, content)));
  }

  /** Waits until the gateway took everything sent so far (a refusal throws). */
  confirmSent(): Promise<void> {
    return this.#client.sync();
  }

  approve(member: number): Promise<void> {
    return this.#enqueue(async () => this.#apply(await this.#group.approve(member)));
  }

  deny(member: number): Promise<void> {
    return this.#enqueue(async () => this.#apply(await this.#group.deny(member)));
  }

  /** Proposes this member's removal, leaves the room and closes the connection. */
  async leave(): Promise<void> {
    if (this.#closed) return;
    await this.#enqueue(async () => this.#apply(await this.#group.leave()));
    try {
      await this.#client.leaveRoom(this.room);
    } finally {
      this.#stop();
      this.#client.close();
    }
  }

  /** Closes the connection at once (the tab is closing): the gateway reports the member
   * gone and the committing member removes it. */
  close(): void {
    this.#stop();
    this.#client.close();
  }

  #stop(): void {
    this.#closed = true;
    clearInterval(this.#ticker);
  }
}
