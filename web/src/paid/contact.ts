// A ghost contact (docs/protocol.md §2.3; client-sdk/src/paid/contact.rs): what an invitee
// shares with an initiator, `<ghostId>.<invite public key, base58>`. The ghostId seals the
// invitee's holder for the gateway; the invite key lets the initiator seal the room secret
// and name for the invitee. Neither names the wallet, and the initiator can open neither.
import { fromBase58, toBase58 } from "../mls/bytes.js";

/** Bytes of a decoded ghostId: version, epoch, nonce, sealed holder and tag. */
export const GHOST_ID_LEN = 1 + 8 + 12 + 32 + 16;

export interface GhostContact {
  ghostId: string;
  inviteKey: Uint8Array;
}

export class ContactError extends Error {
  override name = "ContactError";
}

export const formatContact = (contact: GhostContact): string => `${contact.ghostId}.${toBase58(contact.inviteKey)}`;

const decodesTo = (text: string, length: number): boolean => {
  try {
    return fromBase58(text).length === length;
  } catch {
    return false;
  }
};

export function parseContact(text: string): GhostContact {
  const parts = text.trim().split(".");
  if (parts.length !== 2) throw new ContactError("A ghost contact looks like <ghostId>.<invite key>: copy the whole contact.");
  const [ghostId, key] = parts as [string, string];
  if (!decodesTo(ghostId, GHOST_ID_LEN)) throw new ContactError("The ghostId part of the contact is damaged: copy the whole contact again.");
  if (!decodesTo(key, 32)) throw new ContactError("The invite key part of the contact is damaged: copy the whole contact again.");
  return { ghostId, inviteKey: fromBase58(key) };
}

/** Every non-empty line of `text` as a contact; the first damaged one throws, naming its line. */
export function parseContacts(text: string): GhostContact[] {
  const lines = text.split(/[\s,]+/).filter((line) => line !== "");
  return lines.map((line, index) => {
    try {
      return parseContact(line);
    } catch (error) {
      throw new ContactError(`Invitee ${index + 1}: ${(error as Error).message}`);
    }
  });
}
