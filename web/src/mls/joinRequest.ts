// A join request (docs/crypto.md §4): what a newcomer answers a member's challenge with.
//
//   join request = nonce (16) ‖ mac (32) ‖ KeyPackage (an MLSMessage)
//   mac          = HMAC(member MAC key, "anoghost/join-request/v1" ‖ group base
//                       ‖ member (2) ‖ nonce (16) ‖ SHA-256(KeyPackage))
import { concat, equalConstantTime } from "./bytes.js";
import type { RoomKeys } from "./secrets.js";

export const NONCE_LEN = 16;
const MAC_LEN = 32;

export interface JoinRequest {
  nonce: Uint8Array;
  mac: Uint8Array;
  keyPackage: Uint8Array;
}

export function makeJoinRequest(
  keys: RoomKeys,
  member: number,
  nonce: Uint8Array,
  keyPackage: Uint8Array,
): Uint8Array {
  return concat(nonce, keys.joinRequestMac(member, nonce, keyPackage), keyPackage);
}

export function decodeJoinRequest(bytes: Uint8Array): JoinRequest {
  if (bytes.length <= NONCE_LEN + MAC_LEN) throw new Error("malformed join request");
  return {
    nonce: bytes.slice(0, NONCE_LEN),
    mac: bytes.slice(NONCE_LEN, NONCE_LEN + MAC_LEN),
    keyPackage: bytes.slice(NONCE_LEN + MAC_LEN),
  };
}

/** Whether the MAC proves the room's secret for this sender and nonce. */
export function provesSecret(request: JoinRequest, keys: RoomKeys, sender: number): boolean {
  return equalConstantTime(request.mac, keys.joinRequestMac(sender, request.nonce, request.keyPackage));
}
