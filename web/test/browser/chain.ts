// The localnet from the test's side, over the same JSON-RPC the page uses: funding test
// wallets and reading balances and accounts to check what the page did.
import { expect } from "vitest";

import { rpcHttp } from "./support.js";

async function call<T>(method: string, params: unknown[]): Promise<T> {
  const response = await fetch(rpcHttp(), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: T; error?: { message: string } };
  if (body.error !== undefined) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}

export async function balance(address: string): Promise<bigint> {
  const { value } = await call<{ value: number }>("getBalance", [address, { commitment: "confirmed" }]);
  return BigInt(value);
}

/** Gives `address` `lamports` from the localnet's faucet and waits until they are there. */
export async function airdrop(address: string, lamports: bigint): Promise<void> {
  const before = await balance(address);
  await call<string>("requestAirdrop", [address, Number(lamports)]);
  await expect.poll(() => balance(address), { timeout: 30_000 }).toBe(before + lamports);
}

/** Whether an account exists at `address`. */
export async function exists(address: string): Promise<boolean> {
  const { value } = await call<{ value: unknown }>("getAccountInfo", [address, { encoding: "base64", commitment: "confirmed" }]);
  return value !== null;
}
