// Letting members in (docs/crypto.md §4): challenging newcomers, checking their join
// requests, adding them by commit and welcoming them; and, as a newcomer, answering
// challenges and checking the Welcome.
import {
  createCommit,
  decodeMlsMessage,
  emptyPskIndex,
  encodeMlsMessage,
  joinGroup,
  mlsExporter,
  type ClientState,
  type KeyPackage,
} from "ts-mls";
import { verifyKeyPackage } from "ts-mls/keyPackage.js";

import { FrameKind } from "../../protocol/frames.js";
import { concat, equalConstantTime, randomBytes } from "../bytes.js";
import { clientConfig } from "../config.js";
import { decodeKeyPackage, isFresh, makeKeyPackage, readCredential } from "../identity.js";
import { NONCE_LEN, decodeJoinRequest, makeJoinRequest, provesSecret } from "../joinRequest.js";
import { roster } from "../roster.js";
import { isDesignated } from "./membership.js";
import { Output, RoomRuleError, type RoomState } from "./types.js";

/** The exporter label of the group proof a Welcome carries. */
export const GROUP_PROOF_LABEL = "anoghost/group-proof";
const PROOF_LEN = 32;

export function rosterNumbers(room: RoomState): number[] {
  return room.stage.kind === "member" ? roster(room.stage.state).map((e) => e.member) : [];
}

/** Challenges the newcomers this member is to let in: the designated member (the creator,
 * in knock mode), or any member once a newcomer has waited too long. */
export function sendChallenges(room: RoomState, force: boolean, out: Output): void {
  const allowed = room.admission === "open" ? force || isDesignated(room) : room.creator;
  if (!allowed) return;
  const inGroup = new Set(rosterNumbers(room));
  for (const member of room.newcomers.keys()) {
    if (inGroup.has(member) || room.challenges.has(member)) continue;
    const nonce = randomBytes(NONCE_LEN);
    room.challenges.set(member, nonce);
    out.frame(FrameKind.Challenge, member, nonce);
  }
}

/** A challenge, as a newcomer: answered with a join request to the member who sent it. */
export function onChallenge(room: RoomState, sender: number, payload: Uint8Array, out: Output): void {
  if (room.stage.kind !== "waiting") return;
  if (payload.length !== NONCE_LEN) {
    out.refused(sender, "malformed challenge");
    return;
  }
  const request = makeJoinRequest(room.keys, room.me, payload, room.stage.keyPackage.bytes);
  out.frame(FrameKind.JoinRequest, sender, request);
}

/** A join request: kept for adding if it answers this member's challenge and checks out. */
export async function onJoinRequest(room: RoomState, sender: number, payload: Uint8Array, out: Output): Promise<void> {
  if (room.stage.kind !== "member") return;
  try {
    const keyPackage = await checkJoinRequest(room, room.stage.state, sender, payload);
    // A nonce is good for one answer: a replay of this request is refused.
    room.challenges.delete(sender);
    room.newcomers.delete(sender);
    room.requests.set(sender, { keyPackage, since: Date.now() });
    if (room.admission === "knock") out.events.push({ kind: "knock", member: sender });
  } catch (reason) {
    out.refused(sender, reason);
  }
}

async function checkJoinRequest(
  room: RoomState,
  state: ClientState,
  sender: number,
  payload: Uint8Array,
): Promise<KeyPackage> {
  const request = decodeJoinRequest(payload);
  const open = room.challenges.get(sender);
  if (open === undefined || !equalConstantTime(open, request.nonce)) {
    throw new RoomRuleError("the join request answers no open challenge");
  }
  if (!provesSecret(request, room.keys, sender)) {
    throw new RoomRuleError("the join request does not prove the room's secret");
  }
  const keyPackage = decodeKeyPackage(request.keyPackage);
  if (keyPackage.cipherSuite !== state.groupContext.cipherSuite || !(await verifyKeyPackage(keyPackage, room.cs.signature))) {
    throw new RoomRuleError("the KeyPackage is not valid");
  }
  const named = readCredential(keyPackage.leafNode.credential);
  const taken = roster(state).some((e) => e.member === sender);
  if (named === undefined || named.member !== sender || taken) {
    throw new RoomRuleError("the KeyPackage claims another member's place");
  }
  if (!isFresh(keyPackage)) throw new RoomRuleError("the KeyPackage is not fresh");
  return keyPackage;
}

/** Commits the adds that are ready. The member that challenged a newcomer holds its
 * request, so it adds it; in knock mode only the creator challenges, and so only it adds. */
export async function commitAdds(room: RoomState, out: Output): Promise<boolean> {
  if (room.stage.kind !== "member") return false;
  const ready = [...room.requests.keys()].filter(
    (m) => room.present.has(m) && (room.admission === "open" || room.approved.has(m)),
  );
  if (ready.length === 0) return false;
  const state = room.stage.state;
  try {
    // Adds alone need no update path (RFC 9420 §12.4), and ts-mls sends none: a join into
    // a large room stays cheap for everyone. The ratchet tree travels in the Welcome.
    const result = await createCommit(
      { state, cipherSuite: room.cs },
      {
        extraProposals: ready.map((m) => ({
          proposalType: "add" as const,
          add: { keyPackage: room.requests.get(m)!.keyPackage },
        })),
        ratchetTreeExtension: true,
      },
    );
    if (result.welcome === undefined) throw new Error("an add commit without a Welcome");
    const welcome = encodeMlsMessage({ version: "mls10", wireformat: "mls_welcome", welcome: result.welcome });
    out.frame(FrameKind.Group, undefined, encodeMlsMessage(result.commit));
    room.pending = {
      epoch: state.groupContext.epoch,
      newState: result.newState,
      welcome: { bytes: welcome, added: ready },
    };
    return true;
  } catch (reason) {
    out.refused(room.me, reason);
    // A KeyPackage ts-mls will not add would block every later add: drop those requests.
    for (const member of ready) room.requests.delete(member);
    return false;
  }
}

/** After this member's adding commit was ordered: one Welcome to each new member, with the
 * MAC over the new epoch that proves the group is the room's. */
export async function sendWelcomes(room: RoomState, welcome: Uint8Array, added: number[], out: Output): Promise<void> {
  if (room.stage.kind !== "member") return;
  const exporter = await mlsExporter(room.stage.state.keySchedule.exporterSecret, GROUP_PROOF_LABEL, new Uint8Array(0), 32, room.cs);
  const payload = concat(welcome, room.keys.groupProof(exporter));
  for (const member of added) {
    room.requests.delete(member);
    room.approved.delete(member);
    out.frame(FrameKind.Welcome, member, payload);
  }
}

/** A Welcome, as a newcomer: joins only if it opens one of the room's groups and proves the
 * room's secret over the new epoch. Anything else is refused, and a fresh KeyPackage waits
 * for the next challenge (even a forged Welcome used the old one up). */
export async function onWelcome(room: RoomState, sender: number, payload: Uint8Array, out: Output): Promise<void> {
  if (room.stage.kind !== "waiting") return;
  try {
    const state = await openWelcome(room, payload);
    room.stage = { kind: "member", state };
    out.events.push({ kind: "inGroup" });
    out.events.push({ kind: "rosterChanged", added: rosterNumbers(room), removed: [] });
  } catch (reason) {
    out.refused(sender, reason);
    try {
      room.stage = { kind: "waiting", keyPackage: await makeKeyPackage(room.me, room.direct, room.signature, room.cs) };
    } catch (error) {
      out.refused(room.me, error);
    }
  }
}

async function openWelcome(room: RoomState, payload: Uint8Array): Promise<ClientState> {
  if (room.stage.kind !== "waiting" || payload.length <= PROOF_LEN) throw new Error("malformed welcome");
  const welcomeBytes = payload.subarray(0, payload.length - PROOF_LEN);
  const proof = payload.subarray(payload.length - PROOF_LEN);
  const decoded = decodeMlsMessage(welcomeBytes, 0);
  if (decoded === undefined || decoded[0].wireformat !== "mls_welcome") throw new Error("malformed welcome");
  const { publicPackage, privatePackage } = room.stage.keyPackage;
  const state = await joinGroup(
    decoded[0].welcome,
    publicPackage,
    privatePackage,
    emptyPskIndex,
    room.cs,
    undefined,
    undefined,
    clientConfig,
  );
  const forged = new RoomRuleError("the Welcome does not come from holders of the room's secret");
  if (!room.keys.isRoomGroup(state.groupContext.groupId)) throw forged;
  const exporter = await mlsExporter(state.keySchedule.exporterSecret, GROUP_PROOF_LABEL, new Uint8Array(0), 32, room.cs);
  if (!equalConstantTime(proof, room.keys.groupProof(exporter))) throw forged;
  return state;
}
