// Finding a wallet's keys on chain, and choosing the index of a new ghost contact
// (docs/protocol.md §2.3; client-sdk/src/paid/held.rs).
//
// Key i of a wallet, if any, is the mint at ["key", holder i]. A scan reads those addresses
// for i in batches of 100, one getMultipleAccounts each, until a whole batch holds no key.
// A new contact takes an index drawn uniformly among the first 100 unused ones. Each key's
// Token-2022 metadata carries the invite sealed to invite key i: the room's name and secret.
import { getBase64Encoder, isSome } from "@solana/kit";
import { TOKEN_2022_PROGRAM_ADDRESS, getMintDecoder } from "@solana-program/token-2022";

import { keyMintAddress } from "../chain/program.js";
import type { AccountBytes, Chain } from "../chain/rpc.js";
import type { Holder, HolderRoot } from "./holder.js";
import { openInvite, type PaidInvite } from "./invite.js";

/** Indices read per getMultipleAccounts, and the window a new contact's index is drawn from. */
export const BATCH = 100;
/** The metadata field holding the sealed invite (programs/anoghost/src/key_metadata.rs). */
const FIELD_INVITE = "invite";

/** A key the wallet holds, with what it needs to use it. */
export interface HeldKey {
  index: number;
  holder: Holder;
  mint: string;
  invite: PaidInvite;
}

/** The sealed invite in a key mint's Token-2022 metadata, or undefined if it is no key. */
export function sealedInviteOf(account: AccountBytes): Uint8Array | undefined {
  if (account.owner !== TOKEN_2022_PROGRAM_ADDRESS) return undefined;
  try {
    const mint = getMintDecoder().decode(account.data);
    if (!isSome(mint.extensions)) return undefined;
    for (const extension of mint.extensions.value) {
      if (extension.__kind !== "TokenMetadata") continue;
      const value = extension.additionalMetadata.get(FIELD_INVITE);
      return value === undefined ? undefined : (getBase64Encoder().encode(value) as Uint8Array);
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/** Key `index` of `root` from its mint account: undefined unless its invite opens. */
export async function openHeldKey(root: HolderRoot, index: number, account: AccountBytes): Promise<HeldKey | undefined> {
  const sealed = sealedInviteOf(account);
  if (sealed === undefined) return undefined;
  const holder = root.holder(index);
  try {
    const invite = await openInvite(sealed, root.inviteKey(index));
    return { index, holder, mint: await keyMintAddress(holder.address), invite };
  } catch {
    return undefined;
  }
}

/** Every index holding a key, with its mint account, batch by batch until a batch is empty. */
async function scan(chain: Chain, root: HolderRoot): Promise<Map<number, AccountBytes>> {
  const used = new Map<number, AccountBytes>();
  for (let start = 0; ; start += BATCH) {
    const indices = Array.from({ length: BATCH }, (_, i) => start + i);
    const mints = await Promise.all(indices.map((i) => keyMintAddress(root.holder(i).address)));
    const accounts = await chain.accounts(mints);
    const before = used.size;
    accounts.forEach((account, i) => {
      if (account !== undefined) used.set(indices[i]!, account);
    });
    if (used.size === before) return used;
  }
}

/** The keys the wallet behind `root` holds, in index order. */
export async function heldKeys(chain: Chain, root: HolderRoot): Promise<HeldKey[]> {
  const keys = [];
  for (const [index, account] of [...(await scan(chain, root))].sort(([a], [b]) => a - b)) {
    const key = await openHeldKey(root, index, account);
    if (key !== undefined) keys.push(key);
  }
  return keys;
}

/** Uniformly random among the first BATCH indices for which `used` is false. */
export function chooseIndex(used: (index: number) => boolean): number {
  const window: number[] = [];
  for (let index = 0; window.length < BATCH; index++) if (!used(index)) window.push(index);
  // Rejection sampling keeps the draw uniform over the window.
  const draw = new Uint32Array(1);
  const limit = Math.floor(0x1_0000_0000 / BATCH) * BATCH;
  do crypto.getRandomValues(draw);
  while (draw[0]! >= limit);
  return window[draw[0]! % BATCH]!;
}

/** The index for a new ghost contact. */
export async function nextContactIndex(chain: Chain, root: HolderRoot): Promise<number> {
  const used = await scan(chain, root);
  return chooseIndex((index) => used.has(index));
}
