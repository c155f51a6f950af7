// Issue 18's scenario 3 in real Chromium against a real gateway reading the localnet over
// JSON-RPC: one page's wallet pays the escrow (solana:signAndSendTransaction) and the gateway
// mints a key per invitee; two pages whose wallets hold no lamports find their keys, join
// with them and chat; a wallet without a key is told so; a burned key is refused by the
// gateway. The escrow of a second room is paid from a "phone": the test fetches the Solana
// Pay transaction request the page's QR code names, signs it with the same wallet's key and
// sends it, and the page, waiting for the escrow, goes on to mint.
import { expect } from "vitest";

import { airdrop, balance } from "./chain.js";
import type { Open } from "./free.js";
import { rpcHttp, type AnoPage } from "./support.js";
import { testWallet } from "./testWallet.js";

const SOL = 1_000_000_000n;
/** The localnet's price per key (anoghost_localnet::server::LocalnetOptions::default). */
const PRICE_PER_KEY = 10_000_000n;

export async function createPaidRoom(payer: AnoPage, name: string, contacts: string[], phone?: (link: string) => Promise<void>): Promise<string[]> {
  await payer.page.getByTestId("paid-name").fill(name);
  await payer.page.getByTestId("paid-contacts").fill(contacts.join("\n"));
  if (phone === undefined) {
    await payer.page.getByTestId("paid-pay").click();
  } else {
    await payer.page.getByTestId("paid-pay-phone").click();
    const qr = payer.page.getByTestId("paid-qr");
    await qr.waitFor({ timeout: 30_000 });
    await phone((await qr.getAttribute("data-link"))!);
  }
  await payer.page.getByTestId("paid-created").waitFor({ timeout: 180_000 });
  return payer.page.getByTestId("paid-minted").evaluateAll((items) => items.map((i) => i.getAttribute("data-minted") ?? ""));
}

export async function findKeys(page: AnoPage): Promise<string[]> {
  await page.page.getByTestId("keys-find").click();
  await page.page.locator('[data-testid="keys"], [data-testid="keys-none"]').first().waitFor({ timeout: 60_000 });
  return page.page.getByTestId("key-item").evaluateAll((items) => items.map((i) => i.getAttribute("data-name") ?? ""));
}

export async function aPaidRoomIsPaidMintedJoinedAndRefusedWithoutAKey(open: Open): Promise<void> {
  const payerWallet = testWallet("Payer Wallet", ["solana:signIn", "solana:signMessage", "solana:signAndSendTransaction"], rpcHttp());
  await airdrop(payerWallet.address, 2n * SOL);
  const wallets = ["Invitee A", "Invitee B"].map((name) => testWallet(name, ["solana:signMessage", "solana:signTransaction"]));
  const [a, b] = await Promise.all(wallets.map((wallet) => open("/", wallet)));
  const contacts = [];
  for (const page of [a!, b!]) {
    await page.connectWallet();
    contacts.push(await page.ghostContact());
  }

  const payer = await open("/", payerWallet);
  await payer.connectWallet();
  const before = await balance(payerWallet.address);
  expect(await createPaidRoom(payer, "DAO council", contacts)).toEqual(["true", "true"]);
  // The escrow took at least the two keys' price from the payer (the gateway settles it).
  expect(before - (await balance(payerWallet.address))).toBeGreaterThanOrEqual(2n * PRICE_PER_KEY);

  // A second page of invitee A's wallet lists its key now, to use after the key is burned.
  const stale = await open("/", wallets[0]);
  await stale.connectWallet();
  expect(await findKeys(stale)).toEqual(["DAO council"]);

  for (const page of [a!, b!]) {
    expect(await findKeys(page)).toEqual(["DAO council"]);
    await page.page.getByTestId("key-join").click();
    await page.waitInGroup();
    expect(await page.page.getByTestId("paid-room-name").innerText()).toBe("DAO council");
  }
  await a!.send("hello from invitee a");
  expect(await b!.received("hello from invitee a")).toBe(await a!.me());
  await b!.send("hello from invitee b");
  expect(await a!.received("hello from invitee b")).toBe(await b!.me());
  const both = [await a!.me(), await b!.me()].sort();
  await expect.poll(() => a!.roster()).toEqual(both);
  expect(await a!.safetyCode()).toBe(await b!.safetyCode());

  // A wallet that holds no key is told so, in words.
  const stranger = await open("/", testWallet("Stranger", ["solana:signMessage", "solana:signTransaction"]));
  await stranger.connectWallet();
  expect(await findKeys(stranger)).toEqual([]);
  expect(await stranger.page.getByTestId("keys-none").innerText()).toContain("holds no AnoGhost keys");

  // Invitee A leaves and burns its key through the gateway; its wallet never paid anything.
  await a!.page.getByTestId("leave").click();
  await a!.page.getByTestId("keys-find").waitFor({ timeout: 30_000 });
  expect(await findKeys(a!)).toEqual(["DAO council"]);
  await a!.page.getByTestId("key-burn").click();
  await a!.page.getByTestId("keys-note").filter({ hasText: "is burned" }).waitFor({ timeout: 60_000 });
  expect(await findKeys(a!)).toEqual([]);
  for (const wallet of wallets) expect(await balance(wallet.address)).toBe(0n);

  // The other tab still lists the burned key: the gateway refuses it, with a clear sentence.
  await stale.page.getByTestId("key-join").click();
  const error = stale.page.getByTestId("error");
  await error.waitFor({ timeout: 30_000 });
  expect(await error.innerText()).toContain("The gateway refused this key");

  // A second room, its escrow paid from a phone through the page's Solana Pay code.
  await b!.page.getByTestId("leave").click();
  await b!.page.getByTestId("ghost-show").waitFor({ timeout: 30_000 });
  const phoneContact = await b!.ghostContact();
  const minted = await createPaidRoom(payer, "Phone-paid room", [phoneContact], (link) => payFromPhone(link, payerWallet.address, payerWallet));
  expect(minted).toEqual(["true"]);
  expect(await findKeys(b!)).toContain("Phone-paid room");
  for (const page of [a!, b!, payer, stranger, stale]) page.expectOnlyTheGateway();
}

/** What a phone wallet does with a Solana Pay transaction-request link: fetch the
 * transaction for its account, sign it, send it. */
export async function payFromPhone(link: string, account: string, wallet: { signWire(bytes: Uint8Array): Uint8Array }): Promise<void> {
  expect(link.startsWith("solana:")).toBe(true);
  const request = decodeURIComponent(link.slice("solana:".length));
  expect(new URL(request).searchParams.get("payer")).toBe(account);
  const label = (await (await fetch(request)).json()) as { label?: string };
  expect(label.label).toBeDefined();
  const response = await fetch(request, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ account }) });
  const { transaction } = (await response.json()) as { transaction: string };
  const signed = wallet.signWire(Buffer.from(transaction, "base64"));
  const sent = await fetch(rpcHttp(), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "sendTransaction", params: [Buffer.from(signed).toString("base64"), { encoding: "base64" }] }),
  });
  const body = (await sent.json()) as { result?: string; error?: { message: string } };
  expect(body.error, body.error?.message).toBeUndefined();
}
