// The invite an initiator seals for each invitee, and the room tag (docs/protocol.md §2.5;
// client-sdk/src/paid/invite.rs):
//
//   plaintext = room secret (16) ‖ name length (1) ‖ name (32, UTF-8, zero padded)   (49 bytes)
//   sealed    = enc (32) ‖ ciphertext (49 + 16)                                       (97 bytes)
//               HPKE base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM
//               info = "anoghost/paid-invite/v1", aad = the invitee's invite public key
//   room tag  = HKDF-SHA256(ikm = room secret, salt = "anoghost/v2", info = "paid-room-tag")
//
// Every sealed invite has the same size whatever the name; neither the gateway nor the
// chain ever sees the secret or the name.
import { Aes128Gcm, CipherSuite, DhkemX25519HkdfSha256, HkdfSha256 } from "@hpke/core";
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";

import { concat, fromUtf8, randomBytes, utf8 } from "../mls/bytes.js";
import { ROOM_SECRET_LEN } from "../mls/secrets.js";
import type { InviteKey } from "./holder.js";
import { PAID_SALT } from "./holder.js";

const INFO = utf8("anoghost/paid-invite/v1");
export const SEALED_INVITE_LEN = 97;
export const MAX_NAME_LEN = 32;
const PLAINTEXT_LEN = ROOM_SECRET_LEN + 1 + MAX_NAME_LEN;

const suite = new CipherSuite({ kem: new DhkemX25519HkdfSha256(), kdf: new HkdfSha256(), aead: new Aes128Gcm() });

export class InviteError extends Error {
  override name = "InviteError";
}

/** What an initiator tells each invitee, end to end. */
export interface PaidInvite {
  /** The room secret: the room tag derives from it, and members check each other with it. */
  secret: Uint8Array;
  /** The room's name, 1 to 32 bytes of UTF-8. */
  name: string;
}

function checkName(name: string): Uint8Array {
  const bytes = utf8(name);
  if (bytes.length < 1 || bytes.length > MAX_NAME_LEN) throw new InviteError("A room name must be 1 to 32 bytes of UTF-8.");
  return bytes;
}

/** The room tag the gateway finds a paid room by. */
export const roomTag = (secret: Uint8Array): Uint8Array => hkdf(sha256, secret, PAID_SALT, utf8("paid-room-tag"), 32);

/** An invite to a new room with a fresh secret. */
export function newPaidInvite(name: string): PaidInvite {
  checkName(name);
  return { secret: randomBytes(ROOM_SECRET_LEN), name };
}

/** Seals `invite` for the holder of `recipient`'s private half. */
export async function sealInvite(invite: PaidInvite, recipient: Uint8Array): Promise<Uint8Array> {
  const name = checkName(invite.name);
  const plaintext = new Uint8Array(PLAINTEXT_LEN);
  plaintext.set(invite.secret, 0);
  plaintext[ROOM_SECRET_LEN] = name.length;
  plaintext.set(name, ROOM_SECRET_LEN + 1);
  const recipientPublicKey = await suite.kem.deserializePublicKey(recipient);
  const { enc, ct } = await suite.seal({ recipientPublicKey, info: INFO }, plaintext, recipient);
  const sealed = concat(new Uint8Array(enc), new Uint8Array(ct));
  if (sealed.length !== SEALED_INVITE_LEN) throw new InviteError("A sealed invite came out at the wrong size.");
  return sealed;
}

/** Opens an invite sealed for `key`; throws unless it opens and is well formed. */
export async function openInvite(sealed: Uint8Array, key: InviteKey): Promise<PaidInvite> {
  if (sealed.length !== SEALED_INVITE_LEN) throw new InviteError("A sealed invite is 97 bytes.");
  const recipientKey = await suite.kem.importKey("raw", key.secret.slice().buffer, false);
  let plaintext: Uint8Array;
  try {
    plaintext = new Uint8Array(
      await suite.open({ recipientKey, enc: sealed.slice(0, 32).buffer, info: INFO }, sealed.slice(32).buffer, key.publicKey),
    );
  } catch {
    throw new InviteError("The invite does not open with this key.");
  }
  const malformed = () => new InviteError("The invite opened but is malformed.");
  if (plaintext.length !== PLAINTEXT_LEN) throw malformed();
  const nameLen = plaintext[ROOM_SECRET_LEN]!;
  if (nameLen < 1 || nameLen > MAX_NAME_LEN) throw malformed();
  if (plaintext.subarray(ROOM_SECRET_LEN + 1 + nameLen).some((b) => b !== 0)) throw malformed();
  let name: string;
  try {
    name = fromUtf8(plaintext.subarray(ROOM_SECRET_LEN + 1, ROOM_SECRET_LEN + 1 + nameLen));
  } catch {
    throw malformed();
  }
  return { secret: plaintext.slice(0, ROOM_SECRET_LEN), name };
}
