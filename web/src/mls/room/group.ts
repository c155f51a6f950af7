// RoomGroup: one member's MLS state in one room, and the room's rules (the twin of
// client-sdk/src/mls/room). Inputs are what the gateway delivers (frames, member events,
// commit verdicts) and what the person asks (send, approve, leave); outputs are frames to
// send and events to show. It does no I/O.
//
// ts-mls returns a new immutable state from every call; only the newest is kept (replay
// protection depends on it), and a commit's resulting state waits aside until the gateway
// orders the commit. Calls are serialised: each runs to its end before the next starts.
import { createGroup, type ClientState } from "ts-mls";

import { FrameKind } from "../../protocol/frames.js";
import { cipherSuite, clientConfig } from "../config.js";
import type { DirectContent } from "../content.js";
import { generateDirectKeys } from "../direct.js";
import { makeKeyPackage } from "../identity.js";
import type { Admission } from "../invite.js";
import { roster, safetyCode, type RosterEntry } from "../roster.js";
import { RoomKeys } from "../secrets.js";
import { onChallenge, onJoinRequest, onWelcome } from "./admission.js";
import { act, onCommitRefused, onCommitted } from "./membership.js";
import { canSend, leave, onGroupFrame, sendDirect, sendText } from "./messages.js";
import { FALLBACK_MS, Output, type RoomState } from "./types.js";

export { Output, FALLBACK_MS };
export type { RoomEvent, OutFrame } from "./types.js";

export class RoomGroup {
  #room: RoomState;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(room: RoomState) {
    this.#room = room;
  }

  static async #make(me: number, secret: Uint8Array, admission: Admission, creator: boolean): Promise<RoomState> {
    const cs = await cipherSuite();
    const direct = await generateDirectKeys();
    const signature = await cs.signature.keygen();
    const keyPackage = await makeKeyPackage(me, direct, signature, cs);
    return {
      me,
      keys: new RoomKeys(secret),
      admission,
      creator,
      cs,
      direct,
      signature,
      stage: { kind: "waiting", keyPackage },
      present: new Set(),
      newcomers: new Map(),
      challenges: new Map(),
      requests: new Map(),
      approved: new Set(),
    };
  }

  /** Creates the room's group, as its first member `me`. */
  static async create(me: number, secret: Uint8Array, admission: Admission): Promise<RoomGroup> {
    const room = await RoomGroup.#make(me, secret, admission, true);
    await startGroup(room);
    return new RoomGroup(room);
  }

  /** Enters as a newcomer, with `present` the members already there; one will challenge it. */
  static async join(me: number, secret: Uint8Array, admission: Admission, present: number[]): Promise<RoomGroup> {
    const room = await RoomGroup.#make(me, secret, admission, false);
    room.present = new Set(present);
    return new RoomGroup(room);
  }

  #serial(step: (room: RoomState, out: Output) => Promise<void> | void): Promise<Output> {
    const run = this.#queue.then(async () => {
      const out = new Output();
      await step(this.#room, out);
      return out;
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  get me(): number {
    return this.#room.me;
  }
  get isCreator(): boolean {
    return this.#room.creator;
  }
  get admission(): Admission {
    return this.#room.admission;
  }
  get inGroup(): boolean {
    return this.#room.stage.kind === "member";
  }
  get removed(): boolean {
    return this.#room.stage.kind === "removed";
  }
  get canSend(): boolean {
    return canSend(this.#room);
  }
  #state(): ClientState | undefined {
    return this.#room.stage.kind === "member" ? this.#room.stage.state : undefined;
  }
  /** The group's members, from the MLS group itself (empty before joining). */
  roster(): RosterEntry[] {
    const state = this.#state();
    return state === undefined ? [] : roster(state);
  }
  epoch(): bigint | undefined {
    return this.#state()?.groupContext.epoch;
  }
  /** The safety code of the current epoch, the same for every member. */
  safetyCode(): string | undefined {
    const state = this.#state();
    return state === undefined ? undefined : safetyCode(state);
  }
  /** Members knocking and not yet decided (knock mode). */
  knocking(): number[] {
    return [...this.#room.requests.keys()].filter((m) => !this.#room.approved.has(m));
  }

  /** A relayed frame from `sender`. */
  onFrame(sender: number, kind: FrameKind, payload: Uint8Array): Promise<Output> {
    return this.#serial(async (room, out) => {
      if (sender === room.me) return;
      switch (kind) {
        case FrameKind.Group:
          await onGroupFrame(room, sender, payload, out);
          break;
        case FrameKind.Challenge:
          onChallenge(room, sender, payload, out);
          break;
        case FrameKind.JoinRequest:
          await onJoinRequest(room, sender, payload, out);
          break;
        case FrameKind.Welcome:
          await onWelcome(room, sender, payload, out);
          break;
        case FrameKind.Denied:
          if (room.stage.kind === "waiting") out.events.push({ kind: "denied" });
          break;
      }
      await act(room, out, false);
    });
  }

  /** The gateway reports `member` entered the room: a newcomer to challenge. */
  onMemberJoined(member: number): Promise<Output> {
    return this.#serial(async (room, out) => {
      room.present.add(member);
      room.newcomers.set(member, Date.now());
      await act(room, out, false);
    });
  }

  /** The gateway reports `member` left the room. */
  onMemberLeft(member: number): Promise<Output> {
    return this.#serial(async (room, out) => {
      room.present.delete(member);
      room.newcomers.delete(member);
      room.challenges.delete(member);
      room.requests.delete(member);
      room.approved.delete(member);
      if (room.stage.kind === "waiting" && room.present.size === 0) {
        // Everyone who could have added us is gone: the room's group starts again here.
        await startGroup(room);
        out.events.push({ kind: "inGroup" });
        return;
      }
      await act(room, out, false);
    });
  }

  onCommitted(epoch: number): Promise<Output> {
    return this.#serial((room, out) => onCommitted(room, epoch, out));
  }

  onCommitRefused(epoch: number): Promise<Output> {
    return this.#serial((room, out) => onCommitRefused(room, epoch, out));
  }

  /** Time passed: do pending work the designated member left undone. */
  tick(now = Date.now()): Promise<Output> {
    return this.#serial(async (room, out) => {
      const overdue = (since: number) => now - since >= FALLBACK_MS;
      const adds = [...room.requests.values()].some((r) => overdue(r.since));
      const newcomers = [...room.newcomers].some(([m, since]) => overdue(since) && !room.challenges.has(m));
      const removals = room.removalsSince !== undefined && overdue(room.removalsSince);
      await act(room, out, adds || newcomers || removals);
    });
  }

  /** Lets a knocking member in (the creator, in knock mode). */
  approve(member: number): Promise<Output> {
    return this.#serial(async (room, out) => {
      if (!room.requests.has(member)) return;
      room.approved.add(member);
      await act(room, out, false);
    });
  }

  /** Refuses a knocking member (the creator, in knock mode); it is told so. */
  deny(member: number): Promise<Output> {
    return this.#serial((room, out) => {
      if (!room.requests.delete(member)) return;
      room.approved.delete(member);
      out.frame(FrameKind.Denied, member, new Uint8Array(0));
    });
  }

  sendText(text: string, ttlSecs = 0): Promise<Output> {
    return this.#serial(async (room, out) => merge(out, await sendText(room, text, ttlSecs)));
  }

  sendDirect(to: number, content: DirectContent): Promise<Output> {
    return this.#serial(async (room, out) => merge(out, await sendDirect(room, to, content)));
  }

  /** Proposes this member's own removal, before leaving the room. */
  leave(): Promise<Output> {
    return this.#serial(async (room, out) => merge(out, await leave(room)));
  }
}

function merge(into: Output, from: Output): void {
  into.frames.push(...from.frames);
  into.events.push(...from.events);
}

/** Starts a new incarnation of the room's group, with this member alone in it. */
async function startGroup(room: RoomState): Promise<void> {
  if (room.stage.kind !== "waiting") return;
  const { publicPackage, privatePackage } = room.stage.keyPackage;
  const state = await createGroup(room.keys.newGroupId(), publicPackage, privatePackage, [], room.cs, clientConfig);
  room.stage = { kind: "member", state };
  for (const member of room.present) if (!room.newcomers.has(member)) room.newcomers.set(member, Date.now());
}
