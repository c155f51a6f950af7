// Issue 18's scenario 4 in real Chromium: an in-chat payment. The sender's wallet (which
// only offers solana:signTransaction, so the page sends the transaction itself) funds a
// voucher with `/pay`, and a second one with the pay button; each voucher travels to one
// member inside the MLS group; the recipient, with no wallet at all, claims each to a fresh
// address holding 0 lamports (the claim key pays its own fee). Balances are read over
// JSON-RPC.
import { ed25519 } from "@noble/curves/ed25519.js";
import { base58 } from "@scure/base";
import { expect } from "vitest";

import { airdrop, balance, exists } from "./chain.js";
import { inviteOf, type Open } from "./free.js";
import { rpcHttp, type AnoPage } from "./support.js";
import { testWallet } from "./testWallet.js";

const SOL = 1_000_000_000n;

export const freshAddress = () => base58.encode(ed25519.getPublicKey(ed25519.utils.randomSecretKey()));

async function rentExemptMinimum(): Promise<bigint> {
  const response = await fetch(rpcHttp(), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "getMinimumBalanceForRentExemption", params: [0] }),
  });
  return BigInt(((await response.json()) as { result: number }).result);
}

export async function claimTo(page: AnoPage, index: number, address: string): Promise<string> {
  const payment = page.page.getByTestId("payment-received").nth(index);
  await payment.waitFor({ timeout: 60_000 });
  await payment.getByTestId("claim-address").fill(address);
  await payment.getByTestId("claim").click();
  const status = payment.getByTestId("claim-status");
  await status.waitFor({ timeout: 60_000 });
  return status.innerText();
}

export async function anInChatPaymentIsSentAndClaimedToAFreshAddress(open: Open): Promise<void> {
  const wallet = testWallet("Sender Wallet", ["solana:signMessage", "solana:signTransaction"]);
  await airdrop(wallet.address, 2n * SOL);
  const sender = await open("/", wallet);
  await sender.connectWallet();
  await sender.createRoom();
  const recipient = await open(`/#${inviteOf(await sender.inviteLink())}`);
  await recipient.waitInGroup();
  const to = await recipient.me();
  await expect.poll(() => sender.roster()).toContain(to);
  const float = (await rentExemptMinimum()) + 5_000n;

  const before = await balance(wallet.address);
  await sender.page.getByTestId("composer").fill(`/pay #${to} 0.25`);
  await sender.page.getByTestId("send").click();
  await sender.page.locator("li.system", { hasText: `You sent #${to} 0.25 SOL.` }).waitFor({ timeout: 60_000 });
  // The deposit and the claim key's float left the wallet, and a fee.
  expect(before - (await balance(wallet.address))).toBeGreaterThanOrEqual(SOL / 4n + float);
  await recipient.page.locator("li.theirs", { hasText: "sent you a payment of 0.25 SOL" }).waitFor({ timeout: 30_000 });

  const first = freshAddress();
  expect(await balance(first)).toBe(0n);
  expect(await claimTo(recipient, 0, first)).toBe(` · claimed 0.25 SOL to ${first}`);
  // The amount, and what is left of the float after the claim's own fee.
  expect(await balance(first)).toBe(SOL / 4n + float - 5_000n);

  await sender.page.getByTestId("pay-member").selectOption(String(to));
  await sender.page.getByTestId("pay-amount").fill("0.1");
  await sender.page.getByTestId("pay-send").click();
  await sender.page.getByTestId("pay-done").filter({ hasText: "0.1 SOL" }).waitFor({ timeout: 60_000 });
  expect(await sender.page.getByTestId("payment-sent").count()).toBe(2);
  const second = freshAddress();
  expect(await claimTo(recipient, 1, second)).toContain("claimed 0.1 SOL");
  expect(await balance(second)).toBe(SOL / 10n + float - 5_000n);
  expect(await exists(second)).toBe(true);
  for (const page of [sender, recipient]) page.expectOnlyTheGateway();
}
