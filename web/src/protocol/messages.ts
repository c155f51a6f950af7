// Control messages (docs/protocol.md §2): one JSON object per text frame, with a `type`.
// Only what the browser client sends or reads is typed here; a server message of a type
// this client does not know is skipped, as the protocol asks.

export interface Limits {
  max_frame_bytes: number;
  max_control_bytes: number;
  messages_per_second: number;
  joins_per_minute: number;
  max_members_per_room: number;
  max_rooms_per_connection: number;
  idle_timeout_secs: number;
  heartbeat_interval_secs: number;
}

/** One invitee of `room_create_paid`: its ghostId and the invite sealed to it (base64). */
export interface PaidInvitee {
  ghost_id: string;
  invite: string;
}

export type ClientMessage =
  | { type: "hello"; v: number }
  | { type: "auth"; message: string; signature: string }
  | { type: "ghost_issue"; holder: string; signature: string }
  | { type: "presence"; ghost_ids: string[] }
  | { type: "room_create"; verifier: string }
  | { type: "room_join"; code: string; proof: string }
  | { type: "room_create_paid"; escrow_nonce: string; room_tag: string; invitees: PaidInvitee[] }
  | { type: "room_join_paid"; holder: string; room_tag: string; signature: string }
  | { type: "room_leave"; room: number }
  | { type: "sync" };

export type ServerMessage =
  | {
      type: "welcome";
      v: number;
      limits: Limits;
      ghost_period_secs: number;
      ghost_window: number;
      challenge: string;
    }
  | { type: "authenticated" }
  | { type: "ghost"; ghost_id: string }
  | { type: "presence"; present: boolean[] }
  | { type: "paid_room_created"; minted: boolean[] }
  | { type: "joined"; room: number; code?: string; member: number; members: number[] }
  | { type: "left"; room: number }
  | { type: "member_joined"; room: number; member: number }
  | { type: "member_left"; room: number; member: number }
  | { type: "committed"; room: number; epoch: number }
  | { type: "commit_refused"; room: number; epoch: number; current: number }
  | { type: "synced" }
  | { type: "error"; code: string; message: string };

const KNOWN = new Set([
  "welcome",
  "authenticated",
  "ghost",
  "presence",
  "paid_room_created",
  "joined",
  "left",
  "member_joined",
  "member_left",
  "committed",
  "commit_refused",
  "synced",
  "error",
]);

/** Parses a control message; `undefined` for a type this client does not know. */
export function parseServerMessage(text: string): ServerMessage | undefined {
  const value: unknown = JSON.parse(text);
  if (typeof value !== "object" || value === null || !("type" in value)) {
    throw new Error("a control message without a type");
  }
  const type = (value as { type: unknown }).type;
  return typeof type === "string" && KNOWN.has(type) ? (value as ServerMessage) : undefined;
}

/** Whether `reply` answers `request` (rather than being an event that arrived first). */
export function answers(request: ClientMessage, reply: ServerMessage): boolean {
  switch (request.type) {
    case "hello":
      return reply.type === "welcome";
    case "auth":
      return reply.type === "authenticated";
    case "ghost_issue":
      return reply.type === "ghost";
    case "presence":
      return reply.type === "presence";
    case "room_create_paid":
      return reply.type === "paid_room_created";
    case "room_create":
    case "room_join":
    case "room_join_paid":
      return reply.type === "joined";
    case "room_leave":
      return reply.type === "left" && reply.room === request.room;
    case "sync":
      return reply.type === "synced";
  }
}
