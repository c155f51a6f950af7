// Free-room invites (client-sdk/src/invite.rs): `CODE-SECRET` or `CODE-SECRET-knock`, the
// secret in base58. In a link the invite sits in the URL fragment (`/#042817-…`), which a
// browser never sends to a server.
import { fromBase58, randomBytes, toBase58 } from "./bytes.js";
import { ROOM_SECRET_LEN } from "./secrets.js";

export type Admission = "open" | "knock";

export interface Invite {
  code: string;
  secret: Uint8Array;
  admission: Admission;
}

export class InviteError extends Error {
  override name = "InviteError";
}

export function newInviteSecret(): Uint8Array {
  return randomBytes(ROOM_SECRET_LEN);
}

export function formatInvite(invite: Invite): string {
  const knock = invite.admission === "knock" ? "-knock" : "";
  return `${invite.code}-${toBase58(invite.secret)}${knock}`;
}

export function parseInvite(text: string): Invite {
  const parts = text.trim().split("-");
  const [code, secret, mode, extra] = parts;
  if (code === undefined || secret === undefined || extra !== undefined || (mode !== undefined && mode !== "knock")) {
    throw new InviteError(
      "An invite looks like 042817-7Hc2b9QmVx1kR4tZpN3aLs (code, dash, secret; -knock after it when the creator approves joiners).",
    );
  }
  if (!/^[0-9]{6}$/.test(code)) throw new InviteError("The room code must be six digits.");
  let bytes: Uint8Array;
  try {
    bytes = fromBase58(secret);
  } catch {
    throw new InviteError("The room secret is damaged: copy the whole invite again.");
  }
  if (bytes.length !== ROOM_SECRET_LEN) {
    throw new InviteError("The room secret is damaged: copy the whole invite again.");
  }
  return { code, secret: bytes, admission: mode === "knock" ? "knock" : "open" };
}
