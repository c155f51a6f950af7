// Who commits, and what commits do (docs/crypto.md §5, §6): the designated member's duties
// (pending proposals, removals, adds), the gateway's verdict on this member's own commits,
// and the room's rules for everyone else's.
import { createCommit, encodeMlsMessage, type ClientState, type IncomingMessageCallback, type Proposal } from "ts-mls";

import { FrameKind } from "../../protocol/frames.js";
import type { Admission } from "../invite.js";
import { readCredential } from "../identity.js";
import { roster } from "../roster.js";
import { commitAdds, rosterNumbers, sendChallenges, sendWelcomes } from "./admission.js";
import { Output, type RoomState } from "./types.js";

/** Does what the room needs next, if this member is the one to do it (or `force`, when
 * the designated member stayed silent too long). One commit at a time. */
export async function act(room: RoomState, out: Output, force: boolean): Promise<void> {
  if (room.pending !== undefined || room.stage.kind !== "member") return;
  if ((await commitProposals(room, force, out)) || (await commitRemovals(room, force, out)) || (await commitAdds(room, out))) {
    return;
  }
  sendChallenges(room, force, out);
}

/** Leaves whose removal a pending proposal asks for. */
function leavingLeaves(state: ClientState): Set<number> {
  const leaving = new Set<number>();
  for (const { proposal } of Object.values(state.unappliedProposals)) {
    if (proposal.proposalType === "remove") leaving.add(proposal.remove.removed);
  }
  return leaving;
}

/** Whether this member is the present member with the lowest leaf that is not leaving:
 * the one that commits for the room. */
export function isDesignated(room: RoomState): boolean {
  if (room.stage.kind !== "member") return false;
  const state = room.stage.state;
  const leaving = leavingLeaves(state);
  const leaves = roster(state)
    .filter((e) => (e.member === room.me || room.present.has(e.member)) && !leaving.has(e.leaf))
    .map((e) => e.leaf);
  return leaves.length > 0 && Math.min(...leaves) === state.privatePath.leafIndex;
}

async function commit(room: RoomState, state: ClientState, out: Output, removals: number[] = []): Promise<boolean> {
  try {
    const result = await createCommit(
      { state, cipherSuite: room.cs },
      { extraProposals: removals.map((removed) => ({ proposalType: "remove" as const, remove: { removed } })) },
    );
    out.frame(FrameKind.Group, undefined, encodeMlsMessage(result.commit));
    room.pending = { epoch: state.groupContext.epoch, newState: result.newState };
    return true;
  } catch (reason) {
    out.refused(room.me, reason);
    return false;
  }
}

/** Commits proposals members made (a leaver's own removal). */
async function commitProposals(room: RoomState, force: boolean, out: Output): Promise<boolean> {
  if (room.stage.kind !== "member") return false;
  const state = room.stage.state;
  if (Object.keys(state.unappliedProposals).length === 0 || !(force || isDesignated(room))) return false;
  return commit(room, state, out);
}

/** Removes members the gateway no longer reports in the room. */
async function commitRemovals(room: RoomState, force: boolean, out: Output): Promise<boolean> {
  if (room.stage.kind !== "member") return false;
  const state = room.stage.state;
  const leaving = leavingLeaves(state);
  const gone = roster(state)
    .filter((e) => e.member !== room.me && !room.present.has(e.member) && !leaving.has(e.leaf))
    .map((e) => e.leaf);
  if (gone.length === 0) {
    room.removalsSince = undefined;
    return false;
  }
  room.removalsSince ??= Date.now();
  if (!(force || isDesignated(room))) return false;
  return commit(room, state, out, gone);
}

export function reportRosterChange(before: number[], after: number[], out: Output): void {
  const added = after.filter((m) => !before.includes(m));
  const removed = before.filter((m) => !after.includes(m));
  if (added.length > 0 || removed.length > 0) out.events.push({ kind: "rosterChanged", added, removed });
}

/** The gateway ordered this member's commit made in `epoch`: apply it, then welcome the
 * members it added. */
export async function onCommitted(room: RoomState, epoch: number, out: Output): Promise<void> {
  const pending = room.pending;
  if (pending === undefined || pending.epoch !== BigInt(epoch) || room.stage.kind !== "member") return;
  room.pending = undefined;
  const before = rosterNumbers(room);
  room.stage = { kind: "member", state: pending.newState };
  reportRosterChange(before, rosterNumbers(room), out);
  if (pending.welcome !== undefined) await sendWelcomes(room, pending.welcome.bytes, pending.welcome.added, out);
  await act(room, out, false);
}

/** The gateway refused this member's commit: another was ordered first and arrives (or
 * arrived) as a frame. Nothing of this one was applied: its state is simply dropped. */
export async function onCommitRefused(room: RoomState, epoch: number, out: Output): Promise<void> {
  if (room.pending?.epoch === BigInt(epoch)) room.pending = undefined;
  await act(room, out, false);
}

/**
 * The room's rules for a proposal or commit by another member, as a ts-mls callback: only a
 * member's own removal may be proposed; a commit comes from a member, has no update
 * proposals, keeps every credential a unique member number, and in knock mode only the
 * creator (leaf 0) adds. The first broken rule is kept in `broken`.
 */
export function ruleCheck(state: ClientState, admission: Admission): { callback: IncomingMessageCallback; broken: () => string | undefined } {
  let broken: string | undefined;
  const callback: IncomingMessageCallback = (incoming) => {
    if (incoming.kind === "proposal") {
      const { proposal, senderLeafIndex } = incoming.proposal;
      const ownRemoval = proposal.proposalType === "remove" && proposal.remove.removed === senderLeafIndex;
      if (!ownRemoval) broken = "a proposal other than leaving";
    } else {
      broken = commitRuleBroken(state, admission, incoming.senderLeafIndex, incoming.proposals.map((p) => p.proposal));
    }
    return broken === undefined ? "accept" : "reject";
  };
  return { callback, broken: () => broken };
}

function commitRuleBroken(
  state: ClientState,
  admission: Admission,
  committer: number | undefined,
  proposals: Proposal[],
): string | undefined {
  if (committer === undefined) return "a commit from outside the group";
  const removed = new Set(proposals.flatMap((p) => (p.proposalType === "remove" ? [p.remove.removed] : [])));
  const numbers = new Set(roster(state).filter((e) => !removed.has(e.leaf)).map((e) => e.member));
  let adds = 0;
  for (const proposal of proposals) {
    if (proposal.proposalType === "update") return "an update proposal";
    if (proposal.proposalType !== "add") continue;
    adds++;
    const named = readCredential(proposal.add.keyPackage.leafNode.credential);
    if (named === undefined) return "a credential that is not a member number";
    if (numbers.has(named.member)) return "a member number taken twice";
    numbers.add(named.member);
  }
  if (adds > 0 && admission === "knock" && committer !== 0) return "an add not by the room's creator";
  return undefined;
}

/** Whether a commit changed a member's credential through its update path. */
export function credentialChanged(before: ClientState, after: ClientState, committer: number): boolean {
  const old = before.ratchetTree[committer * 2];
  const now = after.ratchetTree[committer * 2];
  if (old?.nodeType !== "leaf" || now?.nodeType !== "leaf") return false;
  const a = old.leaf.credential;
  const b = now.leaf.credential;
  if (a.credentialType !== "basic" || b.credentialType !== "basic") return a.credentialType !== b.credentialType;
  return a.identity.length !== b.identity.length || a.identity.some((byte, i) => byte !== b.identity[i]);
}
