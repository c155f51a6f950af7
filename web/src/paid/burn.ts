// Burning a key (docs/protocol.md §1 `POST /v1/keys/burn`): the holder signs `key_burn` with
// the gateway authority as fee payer, and the gateway signs, pays and takes back the rents
// it fronted. The holder address never needs lamports, so nothing links it to the wallet.
import { getBase64EncodedWireTransaction } from "@solana/kit";

import { configAddress, decodeConfig, keyBurn } from "../chain/program.js";
import type { Chain } from "../chain/rpc.js";
import { buildTransaction, signWithSeeds } from "../chain/transaction.js";
import { describeRefusal } from "../protocol/errors.js";
import type { HeldKey } from "./held.js";

/** Burns `key` through the gateway at `origin`; returns the transaction signature. */
export async function burnKey(chain: Chain, origin: string, key: HeldKey): Promise<string> {
  const config = await chain.account(await configAddress());
  if (config === undefined) throw new Error("The program's config is not on this chain: is the RPC URL the gateway's cluster?");
  const { gatewayAuthority } = decodeConfig(config.owner, config.data);
  const transaction = await buildTransaction(chain, gatewayAuthority, [await keyBurn(key.holder.address, gatewayAuthority)]);
  const signed = await signWithSeeds(transaction, [key.holder.seed]);
  const response = await fetch(`${origin}/v1/keys/burn`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ transaction: getBase64EncodedWireTransaction(signed) }),
    credentials: "omit",
    referrerPolicy: "no-referrer",
  });
  const body = (await response.json().catch(() => ({}))) as { signature?: string; error?: string; message?: string };
  if (!response.ok || typeof body.signature !== "string") {
    throw new Error(body.error === undefined ? `The gateway refused the burn (HTTP ${response.status}).` : describeRefusal(body.error, body.message));
  }
  return body.signature;
}
