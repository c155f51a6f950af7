// Wallet sign-in and the ghost contact in real Chromium: a test wallet registered through
// wallet-standard signs the gateway's SIWS message (through `solana:signIn`, or through
// `solana:signMessage` for a wallet without it), and the real gateway verifies it; the
// wallet signs the fixed holder text, and the page derives a holder, proves it to the
// gateway (`ghost_issue`) and shows the ghost contact, which it can renew. Nothing lands in
// the browser's storage.
import { base58 } from "@scure/base";
import { expect } from "vitest";

import type { Open } from "./free.js";
import { gatewayHttp } from "./support.js";
import { testWallet, type WalletFeature } from "./testWallet.js";

export async function walletSignsInAndSharesAGhostContact(open: Open, signInWith: WalletFeature): Promise<void> {
  const features: WalletFeature[] = signInWith === "solana:signIn" ? ["solana:signIn", "solana:signMessage"] : ["solana:signMessage"];
  const wallet = testWallet(`Test Wallet (${signInWith})`, features);
  const page = await open("/", wallet);
  const connect = page.page.getByTestId("wallet-connect");
  expect(await connect.innerText()).toContain(`Test Wallet (${signInWith})`);
  await connect.click();
  expect(await page.page.getByTestId("wallet-address").innerText()).toBe(wallet.address);

  await page.page.getByTestId("wallet-sign-in").click();
  await page.page.getByTestId("wallet-signed-in").waitFor({ timeout: 30_000 });
  expect(page.requests.some((url) => url === `${gatewayHttp()}/v1/auth/challenge`)).toBe(true);

  await page.page.getByTestId("ghost-show").click();
  const contact = page.page.getByTestId("ghost-contact");
  await contact.waitFor({ timeout: 30_000 });
  const first = await contact.innerText();
  // <ghostId>.<invite key>: version 2 ‖ epoch (8) ‖ nonce (12) ‖ sealed holder (48), then
  // an X25519 public key (docs/protocol.md §2.3). Neither names the wallet.
  const [ghostId, inviteKey] = first.split(".");
  const bytes = base58.decode(ghostId!);
  expect(bytes.length).toBe(69);
  expect(bytes[0]).toBe(2);
  expect(base58.decode(inviteKey!).length).toBe(32);
  expect(first).not.toContain(wallet.address);

  await page.page.getByTestId("ghost-rotate").click();
  await expect.poll(() => contact.innerText(), { timeout: 30_000 }).not.toBe(first);
  expect((await contact.innerText()).split(".")[0]).not.toBe(ghostId);
  page.expectOnlyTheGateway();
}
