// The holder root and what derives from it (docs/protocol.md §2.3; the twin of
// client-sdk/src/paid/holder.rs, checked against it by the shared vectors):
//
//   message  = "AnoGhost key holder v1\n"
//              "Signing this lets AnoGhost find and use your room keys on this program. It moves no funds and approves no transaction.\n"
//              "Program: <program id base58>"
//   root     = SHA-256("anoghost/holder-root/v1" ‖ Ed25519(wallet, message))
//   holder i = Ed25519 key pair from seed HKDF-SHA256(ikm = root, salt = "anoghost/v2", info = "holder" ‖ u32be(i))
//   invite i = X25519 secret HKDF-SHA256(root, "anoghost/v2", "invite-key" ‖ u32be(i))
//
// Ed25519 signatures are deterministic, so the wallet alone always gets its root back. The
// root and everything derived from it live in memory for the session only.
import { ed25519, x25519 } from "@noble/curves/ed25519.js";
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { address, type Address } from "@solana/kit";

import { concat, toBase58, u32be, utf8 } from "../mls/bytes.js";

export const PAID_SALT = utf8("anoghost/v2");
const ROOT_LABEL = utf8("anoghost/holder-root/v1");
const GHOST_ISSUE_LABEL = utf8("anoghost/ghost-issue/v1");
const PAID_JOIN_LABEL = utf8("anoghost/paid-join/v1");

/** The text a wallet signs to get its holder root back, for the program `programId`. */
export function holderRootMessage(programId: string): string {
  return (
    "AnoGhost key holder v1\n" +
    "Signing this lets AnoGhost find and use your room keys on this program. It moves no funds and approves no transaction.\n" +
    `Program: ${programId}`
  );
}

/** A one-time holder address: key `index` of a wallet is minted to it. */
export class Holder {
  readonly publicKey: Uint8Array;
  readonly address: Address;

  constructor(
    readonly index: number,
    /** The Ed25519 seed; it signs the holder's proofs and its key's burn. */
    readonly seed: Uint8Array,
  ) {
    this.publicKey = ed25519.getPublicKey(seed);
    this.address = address(toBase58(this.publicKey));
  }

  /** `ghost_issue`'s proof on the connection whose challenge is `challenge`. */
  ghostIssueProof(challenge: Uint8Array): Uint8Array {
    return ed25519.sign(concat(GHOST_ISSUE_LABEL, challenge, this.publicKey), this.seed);
  }

  /** `room_join_paid`'s proof for the room `roomTag` on the connection of `challenge`. */
  paidJoinProof(challenge: Uint8Array, roomTag: Uint8Array): Uint8Array {
    return ed25519.sign(concat(PAID_JOIN_LABEL, challenge, roomTag), this.seed);
  }
}

/** An invitee's X25519 key for sealed invites; the public half goes into its ghost contact. */
export interface InviteKey {
  secret: Uint8Array;
  publicKey: Uint8Array;
}

/** The secret every holder address and invite key of one wallet derives from. */
export class HolderRoot {
  readonly #root: Uint8Array;

  private constructor(root: Uint8Array) {
    this.#root = root;
  }

  /** The root of the wallet's 64-byte signature over `holderRootMessage`. */
  static fromSignature(signature: Uint8Array): HolderRoot {
    if (signature.length !== 64) throw new Error("The wallet's signature is not 64 bytes.");
    return new HolderRoot(sha256(concat(ROOT_LABEL, signature)));
  }

  #derive(label: string, index: number): Uint8Array {
    return hkdf(sha256, this.#root, PAID_SALT, concat(utf8(label), u32be(index)), 32);
  }

  holder(index: number): Holder {
    return new Holder(index, this.#derive("holder", index));
  }

  inviteKey(index: number): InviteKey {
    const secret = this.#derive("invite-key", index);
    return { secret, publicKey: x25519.getPublicKey(secret) };
  }

  /** For the shared vectors only: the root's bytes. */
  exposeForVectors(): Uint8Array {
    return this.#root;
  }
}
