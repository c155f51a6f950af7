// Creating a paid room (docs/protocol.md §2.5), as `anoghost room create-paid` does: seal the
// room's secret and name for each invitee, fund an escrow on chain (with the connected
// wallet, or from a phone through a Solana Pay QR code), then, signed in with that wallet,
// have the gateway lock the escrow and mint one key per invitee.
import { address } from "@solana/kit";

import { escrowAddress, roomDeposit } from "../chain/program.js";
import { base64, randomBytes, toBase58 } from "../mls/bytes.js";
import type { PaidInvitee } from "../protocol/messages.js";
import type { WalletSession } from "../wallet/session.js";
import { parseContacts } from "./contact.js";
import { newPaidInvite, roomTag, sealInvite } from "./invite.js";

/** At most this many invitees per room: they fit in one 16 KiB control message. */
export const MAX_INVITEES = 50;
/** How long the page waits for a phone to pay the escrow. */
export const PHONE_PAYMENT_TIMEOUT_MS = 10 * 60_000;

export type Funding = "wallet" | "phone";

export type CreateStep =
  | { step: "funding" }
  | { step: "phone"; link: string }
  | { step: "signing-in" }
  | { step: "minting"; keys: number };

export interface CreatedPaidRoom {
  /** Per invitee, in the order given: whether its key was minted. */
  minted: boolean[];
  /** The escrow's nonce (base58), to refund it if no keys came. */
  nonce: string;
}

/** The Solana Pay transaction-request link for the escrow deposit, as the CLI prints it. */
export function roomDepositLink(origin: string, nonce: Uint8Array, keys: number, payer: string): string {
  const request = `${origin}/v1/pay/room-deposit?nonce=${toBase58(nonce)}&keys=${keys}&payer=${payer}`;
  return `solana:${encodeURIComponent(request)}`;
}

export async function createPaidRoom(
  session: WalletSession,
  name: string,
  contactsText: string,
  funding: Funding,
  onStep: (step: CreateStep) => void,
): Promise<CreatedPaidRoom> {
  const chain = session.requireChain();
  const contacts = parseContacts(contactsText);
  if (contacts.length === 0) throw new Error("Paste at least one invitee's ghost contact.");
  if (contacts.length > MAX_INVITEES) throw new Error(`At most ${MAX_INVITEES} invitees per room.`);
  const invite = newPaidInvite(name);
  const invitees: PaidInvitee[] = [];
  for (const contact of contacts) {
    invitees.push({ ghost_id: contact.ghostId, invite: base64(await sealInvite(invite, contact.inviteKey)) });
  }
  const nonce = randomBytes(32);
  const payer = address(session.address);
  if (funding === "wallet") {
    onStep({ step: "funding" });
    await session.send([await roomDeposit(payer, nonce, contacts.length)]);
  } else {
    onStep({ step: "phone", link: roomDepositLink(window.location.origin, nonce, contacts.length, session.address) });
    await chain.waitForAccount(await escrowAddress(payer, nonce), PHONE_PAYMENT_TIMEOUT_MS);
  }
  onStep({ step: "signing-in" });
  const client = await session.signedInClient();
  onStep({ step: "minting", keys: contacts.length });
  const minted = await client.createPaidRoom(nonce, roomTag(invite.secret), invitees);
  return { minted, nonce: toBase58(nonce) };
}
