// Group frames in and out (docs/crypto.md §5–§8): application messages (text and direct
// messages), proposals, and other members' commits; and what this member sends.
import {
  createApplicationMessage,
  createProposal,
  decodeMlsMessage,
  encodeMlsMessage,
  makePskIndex,
  processPrivateMessage,
  type ClientState,
  type PrivateMessage,
} from "ts-mls";
import { decryptSenderData } from "ts-mls/privateMessage.js";

import { FrameKind } from "../../protocol/frames.js";
import { privateMessageHeader } from "../../protocol/mlsHeader.js";
import { decodeAppMessage, decodeDirectContent, encodeAppMessage, encodeDirectContent, type AppMessage, type DirectContent } from "../content.js";
import { directAad, openDirect, sealDirect } from "../direct.js";
import { readCredential } from "../identity.js";
import { roster } from "../roster.js";
import { rosterNumbers } from "./admission.js";
import { credentialChanged, reportRosterChange, ruleCheck } from "./membership.js";
import { Output, RoomRuleError, type RoomState } from "./types.js";

/** A group frame: an MLS PrivateMessage of the room's group. */
export async function onGroupFrame(room: RoomState, sender: number, payload: Uint8Array, out: Output): Promise<void> {
  // Not in the group yet (or any more): nothing here is readable.
  if (room.stage.kind !== "member") return;
  try {
    const header = privateMessageHeader(payload);
    if (header.contentType === "commit" && room.pending !== undefined) {
      // Another commit was ordered first: this member's own will be refused.
      room.pending = undefined;
    }
    await processGroupMessage(room, sender, payload, out);
  } catch (reason) {
    out.refused(sender, reason);
  }
}

function decodePrivateMessage(payload: Uint8Array): PrivateMessage {
  const decoded = decodeMlsMessage(payload, 0);
  if (decoded === undefined || decoded[1] !== payload.length || decoded[0].wireformat !== "mls_private_message") {
    throw new Error("malformed MLS message");
  }
  return decoded[0].privateMessage;
}

/** The member number the message's encrypted sender data names, read with the keys of the
 * message's epoch. The gateway's stamp must match it: nobody speaks under another's number. */
async function mlsSender(room: RoomState, state: ClientState, message: PrivateMessage): Promise<number | undefined> {
  const epochData =
    message.epoch === state.groupContext.epoch
      ? { senderDataSecret: state.keySchedule.senderDataSecret, ratchetTree: state.ratchetTree }
      : state.historicalReceiverData.get(message.epoch);
  if (epochData === undefined) return undefined;
  const senderData = await decryptSenderData(message, epochData.senderDataSecret, room.cs);
  const leaf = senderData === undefined ? undefined : epochData.ratchetTree[senderData.leafIndex * 2];
  return leaf?.nodeType === "leaf" ? readCredential(leaf.leaf.credential)?.member : undefined;
}

async function processGroupMessage(room: RoomState, sender: number, payload: Uint8Array, out: Output): Promise<void> {
  if (room.stage.kind !== "member") return;
  const state = room.stage.state;
  const message = decodePrivateMessage(payload);
  if ((await mlsSender(room, state, message)) !== sender) {
    throw new RoomRuleError("a message's MLS sender is not the member the gateway named");
  }
  const rules = ruleCheck(state, room.admission);
  const result = await processPrivateMessage(state, message, makePskIndex(state, {}), room.cs, rules.callback);
  if (result.kind === "applicationMessage") {
    room.stage = { kind: "member", state: result.newState };
    await keepPendingInStep(room, message);
    await onAppMessage(room, sender, decodeAppMessage(result.message), out);
    return;
  }
  // A rejected proposal or commit still used up its message key: keep that, change nothing else.
  room.stage = { kind: "member", state: result.newState };
  const broken = rules.broken();
  if (broken !== undefined) throw new RoomRuleError(`the ${message.contentType} breaks the room's rules: ${broken}`);
  if (message.contentType !== "commit") return;
  await applyCommit(room, state, result.newState, out);
}

/** A commit this member already built was made from the state before this message; the
 * message's key must be spent there too, or a replay would open again after the merge. */
async function keepPendingInStep(room: RoomState, message: PrivateMessage): Promise<void> {
  const pending = room.pending;
  if (pending === undefined) return;
  try {
    const result = await processPrivateMessage(pending.newState, message, makePskIndex(pending.newState, {}), room.cs);
    pending.newState = result.newState;
  } catch {
    // Only a message of the pending commit's epoch is readable there; nothing else to spend.
  }
}

async function applyCommit(room: RoomState, before: ClientState, after: ClientState, out: Output): Promise<void> {
  const beforeNumbers = roster(before).map((e) => e.member);
  if (after.groupActiveState.kind === "removedFromGroup") {
    room.stage = { kind: "removed" };
    out.events.push({ kind: "removed" });
    return;
  }
  const changed = roster(before).some((e) => credentialChanged(before, after, e.leaf));
  if (changed) {
    // Not merged: this member no longer follows a group whose rules were broken.
    room.stage = { kind: "member", state: before };
    throw new RoomRuleError("the commit breaks the room's rules: a member's credential changed");
  }
  room.stage = { kind: "member", state: after };
  const now = rosterNumbers(room);
  for (const member of [...room.requests.keys()]) if (now.includes(member)) room.requests.delete(member);
  reportRosterChange(beforeNumbers, now, out);
}

async function onAppMessage(room: RoomState, from: number, message: AppMessage, out: Output): Promise<void> {
  const content = message.content;
  if (content.kind === "text") {
    out.events.push({ kind: "message", from, text: content.text, ttlSecs: message.ttlSecs });
    return;
  }
  // A direct message for someone else: nothing for this member.
  if (content.to !== room.me || room.stage.kind !== "member") return;
  try {
    const aad = directAad(room.stage.state.groupContext.groupId, from, room.me);
    const opened = decodeDirectContent(await openDirect(room.direct, aad, content.sealed));
    out.events.push({ kind: "direct", from, content: opened });
  } catch {
    out.refused(from, new RoomRuleError("a direct message that does not open"));
  }
}

/** Whether a message can be sent now: in the group, with no commit or proposal of this
 * epoch still open (MLS refuses to encrypt while a proposal waits for its commit). */
export function canSend(room: RoomState): boolean {
  return (
    room.stage.kind === "member" &&
    room.pending === undefined &&
    Object.keys(room.stage.state.unappliedProposals).length === 0
  );
}

async function encrypt(room: RoomState, message: AppMessage): Promise<Output> {
  if (room.stage.kind !== "member" || !canSend(room)) {
    throw new Error(room.stage.kind === "removed" ? "removed from the group" : "not able to send yet: wait until a member adds you");
  }
  const payload = encodeAppMessage(message);
  const result = await createApplicationMessage(room.stage.state, payload, room.cs);
  room.stage = { kind: "member", state: result.newState };
  const out = new Output();
  out.frame(
    FrameKind.Group,
    undefined,
    encodeMlsMessage({ version: "mls10", wireformat: "mls_private_message", privateMessage: result.privateMessage }),
  );
  return out;
}

export function sendText(room: RoomState, text: string, ttlSecs: number): Promise<Output> {
  return encrypt(room, { ttlSecs, content: { kind: "text", text } });
}

/** Encrypts `content` for member `to` only, inside a message the group receives. */
export async function sendDirect(room: RoomState, to: number, content: DirectContent): Promise<Output> {
  if (room.stage.kind !== "member") throw new Error("not in the group yet");
  const recipient = roster(room.stage.state).find((e) => e.member === to && to !== room.me);
  if (recipient === undefined) throw new Error(`#${to} is not a member of the group`);
  const aad = directAad(room.stage.state.groupContext.groupId, room.me, to);
  const sealed = await sealDirect(recipient.directKey, aad, encodeDirectContent(content));
  return encrypt(room, { ttlSecs: 0, content: { kind: "direct", to, sealed } });
}

/** Proposes this member's own removal, before leaving the room. */
export async function leave(room: RoomState): Promise<Output> {
  const out = new Output();
  if (room.stage.kind !== "member") return out;
  const state = room.stage.state;
  try {
    const removed = state.privatePath.leafIndex;
    const result = await createProposal(state, false, { proposalType: "remove", remove: { removed } }, room.cs);
    room.stage = { kind: "member", state: result.newState };
    out.frame(FrameKind.Group, undefined, encodeMlsMessage(result.message));
  } catch (reason) {
    out.refused(room.me, reason);
  }
  return out;
}
