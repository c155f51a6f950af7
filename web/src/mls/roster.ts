// The group's member list, read from the MLS group itself (docs/crypto.md §6, §9): a member
// that the gateway hides, invents or keeps shows up here for everyone. And the numbers
// people compare to know nobody sits between them.
import { sha256 } from "@noble/hashes/sha2.js";
import type { ClientState } from "ts-mls";

import { concat, utf8 } from "./bytes.js";
import { readCredential } from "./identity.js";

export interface RosterEntry {
  /** The member's leaf in the MLS tree. */
  leaf: number;
  /** The member number its credential names (0 if it names none: shown, not hidden). */
  member: number;
  directKey: Uint8Array;
  /** Its signature key's fingerprint, to compare out of band. */
  fingerprint: string;
}

/** The group's members, in leaf order. */
export function roster(state: ClientState): RosterEntry[] {
  const entries: RosterEntry[] = [];
  state.ratchetTree.forEach((node, index) => {
    if (node?.nodeType !== "leaf") return;
    const credential = readCredential(node.leaf.credential);
    entries.push({
      leaf: index / 2,
      member: credential?.member ?? 0,
      directKey: credential?.directKey ?? new Uint8Array(32),
      fingerprint: digits("anoghost/fingerprint/v1", node.leaf.signaturePublicKey),
    });
  });
  return entries;
}

/** The safety code of the current epoch: the same digits on every member's screen. */
export function safetyCode(state: ClientState): string {
  return digits("anoghost/safety-code/v1", state.keySchedule.epochAuthenticator);
}

/** Six groups of five digits: each 5 bytes of SHA-256(label ‖ input), big-endian, mod 100,000. */
export function digits(label: string, input: Uint8Array): string {
  const hash = sha256(concat(utf8(label), input));
  const groups: string[] = [];
  for (let i = 0; i < 6; i++) {
    let value = 0;
    for (const byte of hash.subarray(i * 5, i * 5 + 5)) value = value * 256 + byte;
    groups.push(String(value % 100_000).padStart(5, "0"));
  }
  return groups.join(" ");
}
