// What a room's state machine takes in and gives out, and the state its parts share.
import type { ClientState, CiphersuiteImpl, KeyPackage } from "ts-mls";

import { FrameKind } from "../../protocol/frames.js";
import type { DirectContent } from "../content.js";
import type { DirectKeys } from "../direct.js";
import type { OwnKeyPackage, SignatureKeys } from "../identity.js";
import type { Admission } from "../invite.js";
import type { RoomKeys } from "../secrets.js";

/** How long pending work waits for the designated member before any member does it. */
export const FALLBACK_MS = 3000;

export type RoomEvent =
  /** This member is in the group: it created it, or a member's Welcome checked out. */
  | { kind: "inGroup" }
  | { kind: "rosterChanged"; added: number[]; removed: number[] }
  | { kind: "message"; from: number; text: string; ttlSecs: number }
  | { kind: "direct"; from: number; content: DirectContent }
  /** A member asks to be let in (knock mode); the creator approves or denies it. */
  | { kind: "knock"; member: number }
  /** The room's creator refused this member. */
  | { kind: "denied" }
  /** Something from `from` was refused; nothing changed because of it. */
  | { kind: "refused"; from: number; reason: string }
  | { kind: "removed" };

export interface OutFrame {
  kind: FrameKind;
  to?: number;
  payload: Uint8Array;
}

/** Frames to send and events to show, in order. */
export class Output {
  readonly frames: OutFrame[] = [];
  readonly events: RoomEvent[] = [];

  frame(kind: FrameKind, to: number | undefined, payload: Uint8Array): void {
    this.frames.push(to === undefined ? { kind, payload } : { kind, to, payload });
  }

  refused(from: number, reason: unknown): void {
    this.events.push({ kind: "refused", from, reason: reasonText(reason) });
  }
}

export function reasonText(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}

/** Raised for a refusal the room's rules make (as opposed to MLS's own). */
export class RoomRuleError extends Error {
  override name = "RoomRuleError";
}

export type Stage =
  /** Waiting to be challenged and welcomed, with the KeyPackage it answers with. */
  | { kind: "waiting"; keyPackage: OwnKeyPackage }
  | { kind: "member"; state: ClientState }
  | { kind: "removed" };

/** A commit sent to the gateway and not yet ordered: the state it leads to, kept aside. */
export interface PendingCommit {
  epoch: bigint;
  newState: ClientState;
  welcome?: { bytes: Uint8Array; added: number[] };
}

/** Everything one member knows about one room; the room's parts share it. */
export interface RoomState {
  me: number;
  keys: RoomKeys;
  admission: Admission;
  creator: boolean;
  cs: CiphersuiteImpl;
  direct: DirectKeys;
  signature: SignatureKeys;
  stage: Stage;
  /** Other members the gateway reports in the room. */
  present: Set<number>;
  /** When each present member not in the group was first seen (ms). */
  newcomers: Map<number, number>;
  /** Challenges this member sent and not yet seen answered. */
  challenges: Map<number, Uint8Array>;
  /** Join requests that checked out, waiting to be added. */
  requests: Map<number, { keyPackage: KeyPackage; since: number }>;
  approved: Set<number>;
  pending?: PendingCommit;
  /** Since when removals have been waiting (ms). */
  removalsSince?: number;
}
