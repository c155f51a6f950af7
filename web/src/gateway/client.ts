// A WebSocket connection to a gateway (docs/protocol.md): `hello` first, then requests
// answered in order, with events from other members arriving in between. Browser pages use
// the global WebSocket; Node tests pass the `ws` package's, which has the same interface.
import { decodeRelayedFrame, encodeClientFrame, type FrameKind, type RelayedFrame } from "../protocol/frames.js";
import { GatewayRefusal } from "../protocol/errors.js";
import {
  answers,
  parseServerMessage,
  type ClientMessage,
  type Limits,
  type PaidInvitee,
  type ServerMessage,
} from "../protocol/messages.js";
import type { Holder } from "../paid/holder.js";
import { PROTOCOL_VERSION } from "../protocol/frames.js";
import { fromBase58, toBase58 } from "../mls/bytes.js";

/** How long a request waits for its answer. */
const REPLY_TIMEOUT_MS = 15_000;
/** How long creating a paid room may take: the gateway mints every room's keys one at a
 * time, after random pauses, from one pool. */
const MINT_TIMEOUT_MS = 600_000;

export type GatewayEvent =
  | { kind: "message"; message: ServerMessage }
  | { kind: "frame"; frame: RelayedFrame }
  | { kind: "closed"; code: number; reason: string };

export interface Joined {
  room: number;
  code?: string;
  member: number;
  members: number[];
}

type WebSocketLike = WebSocket;
export type WebSocketConstructor = new (url: string) => WebSocketLike;

interface Waiter {
  request: ClientMessage;
  resolve: (reply: ServerMessage) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

export class GatewayClosed extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
  ) {
    super(reason === "" ? `The connection to the gateway closed (code ${code}).` : `The gateway closed the connection: ${reason} (code ${code}).`);
  }
}

export class GatewayClient {
  readonly #ws: WebSocketLike;
  #waiters: Waiter[] = [];
  #backlog: GatewayEvent[] = [];
  #listener?: (event: GatewayEvent) => void;
  #closed?: GatewayClosed;
  limits?: Limits;
  /** This connection's challenge from `welcome`, which proofs bound to it sign. */
  challenge: Uint8Array = new Uint8Array(32);

  private constructor(ws: WebSocketLike) {
    this.#ws = ws;
    ws.binaryType = "arraybuffer";
    ws.addEventListener("message", (event) => this.#onData((event as MessageEvent).data));
    ws.addEventListener("close", (event) => this.#onClose((event as CloseEvent).code, (event as CloseEvent).reason));
  }

  /** Opens a WebSocket to `url` (e.g. `ws://127.0.0.1:8787/v1/ws`) and says `hello`. */
  static async connect(url: string, Impl: WebSocketConstructor = WebSocket): Promise<GatewayClient> {
    const ws = new Impl(url);
    await new Promise<void>((resolve, reject) => {
      ws.addEventListener("open", () => resolve(), { once: true });
      ws.addEventListener("error", () => reject(new Error(`Cannot reach the gateway at ${url}.`)), { once: true });
    });
    const client = new GatewayClient(ws);
    const welcome = await client.request({ type: "hello", v: PROTOCOL_VERSION });
    if (welcome.type !== "welcome" || welcome.v !== PROTOCOL_VERSION) {
      throw new Error("The gateway speaks another protocol version than this client.");
    }
    client.limits = welcome.limits;
    client.challenge = fromBase58(welcome.challenge);
    if (client.challenge.length !== 32) throw new Error("The gateway sent a malformed challenge.");
    return client;
  }

  /** Where events go from now on; those that arrived before are handed over first. */
  listen(listener: (event: GatewayEvent) => void): void {
    this.#listener = listener;
    for (const event of this.#backlog.splice(0)) listener(event);
  }

  #emit(event: GatewayEvent): void {
    if (this.#listener === undefined) this.#backlog.push(event);
    else this.#listener(event);
  }

  #onData(data: unknown): void {
    if (typeof data === "string") {
      let message: ServerMessage | undefined;
      try {
        message = parseServerMessage(data);
      } catch {
        return;
      }
      // A newer gateway's messages this client does not know are skipped.
      if (message !== undefined) this.#onMessage(message);
      return;
    }
    const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data as ArrayBufferLike);
    try {
      this.#emit({ kind: "frame", frame: decodeRelayedFrame(bytes) });
    } catch {
      // A frame this client cannot read carries nothing it could use.
    }
  }

  #onMessage(message: ServerMessage): void {
    const waiter = this.#waiters[0];
    if (waiter !== undefined && (message.type === "error" || answers(waiter.request, message))) {
      this.#waiters.shift();
      clearTimeout(waiter.timer);
      if (message.type === "error") waiter.reject(new GatewayRefusal(message.code, message.message));
      else waiter.resolve(message);
      return;
    }
    this.#emit({ kind: "message", message });
  }

  #onClose(code: number, reason: string): void {
    this.#closed = new GatewayClosed(code, reason);
    for (const waiter of this.#waiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(this.#closed);
    }
    this.#emit({ kind: "closed", code, reason });
  }

  /** Sends `message` and waits for its answer; an `error` answer is thrown as a refusal. */
  request(message: ClientMessage, limitMs = REPLY_TIMEOUT_MS): Promise<ServerMessage> {
    if (this.#closed !== undefined) return Promise.reject(this.#closed);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w.timer !== timer);
        reject(new Error("The gateway did not answer in time."));
      }, limitMs);
      this.#waiters.push({ request: message, resolve, reject, timer });
      this.#ws.send(JSON.stringify(message));
    });
  }

  /** Creates a free room whose joiners must prove the secret behind `verifier`, and joins it. */
  async createRoom(verifier: Uint8Array): Promise<Joined> {
    return joined(await this.request({ type: "room_create", verifier: toBase58(verifier) }));
  }

  /** Joins a free room by code, with `prove` signing this connection's challenge. */
  async joinRoom(code: string, prove: (challenge: Uint8Array) => Uint8Array): Promise<Joined> {
    return joined(await this.request({ type: "room_join", code, proof: toBase58(prove(this.challenge)) }));
  }

  /** A ghostId for `holder`, which proves control of it on this connection (no sign-in). */
  async issueGhost(holder: Holder): Promise<string> {
    const reply = await this.request({
      type: "ghost_issue",
      holder: holder.address,
      signature: toBase58(holder.ghostIssueProof(this.challenge)),
    });
    if (reply.type !== "ghost") throw new Error(`Unexpected answer from the gateway: ${reply.type}`);
    return reply.ghost_id;
  }

  /** Has the gateway lock the signed-in wallet's escrow and mint one key per invitee;
   * returns, per invitee, whether its key was minted. */
  async createPaidRoom(escrowNonce: Uint8Array, roomTag: Uint8Array, invitees: PaidInvitee[]): Promise<boolean[]> {
    const reply = await this.request(
      { type: "room_create_paid", escrow_nonce: toBase58(escrowNonce), room_tag: toBase58(roomTag), invitees },
      MINT_TIMEOUT_MS,
    );
    if (reply.type !== "paid_room_created") throw new Error(`Unexpected answer from the gateway: ${reply.type}`);
    return reply.minted;
  }

  /** Joins the paid room `roomTag` with the key `holder` holds. */
  async joinPaidRoom(holder: Holder, roomTag: Uint8Array): Promise<Joined> {
    const signature = toBase58(holder.paidJoinProof(this.challenge, roomTag));
    return joined(await this.request({ type: "room_join_paid", holder: holder.address, room_tag: toBase58(roomTag), signature }));
  }

  async leaveRoom(room: number): Promise<void> {
    await this.request({ type: "room_leave", room });
  }

  /** Waits until the gateway handled everything sent so far; a refusal of any of it throws. */
  async sync(): Promise<void> {
    await this.request({ type: "sync" });
  }

  /** Sends a frame; one larger than the gateway's limit is refused here, before sending. */
  sendFrame(room: number, kind: FrameKind, to: number | undefined, payload: Uint8Array): void {
    if (this.#closed !== undefined) throw this.#closed;
    const frame = encodeClientFrame(room, kind, to, payload);
    const max = this.limits?.max_frame_bytes ?? 65536;
    if (frame.length > max) {
      throw new Error(`A frame of ${frame.length} bytes is larger than the gateway's limit of ${max}; nothing was sent.`);
    }
    this.#ws.send(frame);
  }

  /** Whether the connection is still up. */
  get isOpen(): boolean {
    return this.#closed === undefined;
  }

  close(): void {
    this.#ws.close(1000);
  }
}

function joined(reply: ServerMessage): Joined {
  if (reply.type !== "joined") throw new Error(`Unexpected answer from the gateway: ${reply.type}`);
  return { room: reply.room, code: reply.code, member: reply.member, members: reply.members };
}
