// A room's secret and everything derived from it (docs/crypto.md §2). Whoever holds the
// invite holds the secret; the gateway sees only the admission key's public half.
//
//   k(info)        = HKDF-SHA256(ikm = room secret, salt = "anoghost/v2", info)
//   admission key  = Ed25519 key with seed k("gateway-admission")   proves the secret to the gateway
//   member MAC key = k("member-admission")                          proves it to the members
//   group base     = k("group-id"), 16 bytes
//   group id       = group base ‖ 8 random bytes                    one per incarnation
import { ed25519 } from "@noble/curves/ed25519.js";
import { hkdf } from "@noble/hashes/hkdf.js";
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";

import { concat, equalConstantTime, randomBytes, u16be, utf8 } from "./bytes.js";

export const ROOM_SECRET_LEN = 16;
export const GROUP_BASE_LEN = 16;
export const GROUP_ID_LEN = GROUP_BASE_LEN + 8;

const SALT = utf8("anoghost/v2");
const ROOM_JOIN_LABEL = utf8("anoghost/room-join/v1");
const JOIN_REQUEST_LABEL = utf8("anoghost/join-request/v1");
const GROUP_PROOF_LABEL = utf8("anoghost/group-proof/v1");

const expand = (secret: Uint8Array, info: string, length: number): Uint8Array =>
  hkdf(sha256, secret, SALT, utf8(info), length);

/** The keys a room's secret gives its holders. Kept in memory only, for the session. */
export class RoomKeys {
  readonly #admissionSeed: Uint8Array;
  readonly #memberMac: Uint8Array;
  readonly groupBase: Uint8Array;

  constructor(secret: Uint8Array) {
    if (secret.length !== ROOM_SECRET_LEN) throw new Error("a room secret is 16 bytes");
    this.#admissionSeed = expand(secret, "gateway-admission", 32);
    this.#memberMac = expand(secret, "member-admission", 32);
    this.groupBase = expand(secret, "group-id", GROUP_BASE_LEN);
  }

  /** The verifier the gateway keeps for a free room: the admission key's public half. */
  verifier(): Uint8Array {
    return ed25519.getPublicKey(this.#admissionSeed);
  }

  /** `room_join`'s proof: a signature over the label, this connection's challenge, the code. */
  joinProof(challenge: Uint8Array, code: string): Uint8Array {
    return ed25519.sign(concat(ROOM_JOIN_LABEL, challenge, utf8(code)), this.#admissionSeed);
  }

  /** A fresh group id of one incarnation of the room's group. */
  newGroupId(): Uint8Array {
    return concat(this.groupBase, randomBytes(8));
  }

  /** Whether `groupId` is one of the room's. */
  isRoomGroup(groupId: Uint8Array): boolean {
    return (
      groupId.length === GROUP_ID_LEN &&
      equalConstantTime(groupId.subarray(0, GROUP_BASE_LEN), this.groupBase)
    );
  }

  #mac(label: Uint8Array, ...parts: Uint8Array[]): Uint8Array {
    return hmac(sha256, this.#memberMac, concat(label, this.groupBase, ...parts));
  }

  /** Binds a KeyPackage to the secret, its sender's number and the challenge's nonce. */
  joinRequestMac(member: number, nonce: Uint8Array, keyPackage: Uint8Array): Uint8Array {
    return this.#mac(JOIN_REQUEST_LABEL, u16be(member), nonce, sha256(keyPackage));
  }

  /** A Welcome's proof that its group was made by holders of the secret. */
  groupProof(exporter: Uint8Array): Uint8Array {
    return this.#mac(GROUP_PROOF_LABEL, exporter);
  }
}
