// Screenshots of the main screens for the README (docs/screenshots/), taken in the same
// Chromium as the tests against a gateway reading a localnet. Rust starts that stack and
// runs this file:
//   cargo test -p anoghost-cli --test web_browser -- --ignored screenshots
import { fileURLToPath } from "node:url";

import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, it } from "vitest";

import { airdrop } from "../browser/chain.js";
import { inviteOf } from "../browser/free.js";
import { createPaidRoom, payFromPhone } from "../browser/paid.js";
import { claimTo, freshAddress } from "../browser/payments.js";
import { AnoPage, launch, rpcHttp } from "../browser/support.js";
import { testWallet } from "../browser/testWallet.js";

const SOL = 1_000_000_000n;

const out = (name: string) => fileURLToPath(new URL(`../../../docs/screenshots/${name}`, import.meta.url));
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
});

describe("screenshots", () => {
  it("start screen with a connected wallet and its ghost contact, and a room with three members", async () => {
    const wallet = testWallet("Test Wallet", ["solana:signIn", "solana:signMessage"]);
    const start = await AnoPage.open(browser, "/", wallet);
    await start.page.setViewportSize({ width: 900, height: 760 });
    await start.connectWallet();
    await start.ghostContact();
    await start.page.screenshot({ path: out("start.png") });

    const alice = await AnoPage.open(browser);
    await alice.page.setViewportSize({ width: 1100, height: 640 });
    await alice.createRoom(true);
    const link = await alice.inviteLink();
    const invite = decodeURIComponent(new URL(link).hash.slice(1));
    const bob = await AnoPage.open(browser, `/#${invite}`);
    await bob.page.getByTestId("status").waitFor();
    await alice.page.getByTestId(`approve-${await bob.me()}`).click();
    await bob.waitInGroup();
    const carol = await AnoPage.open(browser, `/#${invite}`);
    await carol.page.getByTestId("status").waitFor();
    await bob.send("Hi all, is the vote still on for Thursday?");
    await alice.send("Yes. This message disappears in 5 minutes.", "5 min");
    await bob.received("Yes. This message disappears");
    await alice.page.getByTestId(`approve-${await carol.me()}`).waitFor();
    await alice.page.screenshot({ path: out("room.png") });
    await bob.page.setViewportSize({ width: 1100, height: 640 });
    await bob.page.screenshot({ path: out("room-member.png") });
  });

  it("paid-room creation: paid from the wallet, and from a phone through the Solana Pay code", async () => {
    const payerWallet = testWallet("Payer Wallet", ["solana:signIn", "solana:signMessage", "solana:signAndSendTransaction"], rpcHttp());
    await airdrop(payerWallet.address, 2n * SOL);
    const invitees = await Promise.all(
      ["Invitee A", "Invitee B", "Invitee C"].map(async (name) => {
        const page = await AnoPage.open(browser, "/", testWallet(name, ["solana:signMessage", "solana:signTransaction"]));
        await page.connectWallet();
        return page.ghostContact();
      }),
    );
    const payer = await AnoPage.open(browser, "/", payerWallet);
    await payer.page.setViewportSize({ width: 900, height: 900 });
    await payer.connectWallet();
    await createPaidRoom(payer, "DAO council", invitees.slice(0, 2));
    await payer.page.getByTestId("paid-created").scrollIntoViewIfNeeded();
    await payer.page.screenshot({ path: out("paid-created.png") });

    await createPaidRoom(payer, "Phone-paid room", invitees.slice(2), async (link) => {
      await payer.page.getByTestId("paid-qr").scrollIntoViewIfNeeded();
      await payer.page.screenshot({ path: out("paid-phone.png") });
      await payFromPhone(link, payerWallet.address, payerWallet);
    });
  });

  it("an in-chat payment, sent and claimed to a fresh address", async () => {
    const wallet = testWallet("Sender Wallet", ["solana:signMessage", "solana:signTransaction"]);
    await airdrop(wallet.address, 2n * SOL);
    const sender = await AnoPage.open(browser, "/", wallet);
    await sender.page.setViewportSize({ width: 1100, height: 700 });
    await sender.connectWallet();
    await sender.createRoom();
    const recipient = await AnoPage.open(browser, `/#${inviteOf(await sender.inviteLink())}`);
    await recipient.page.setViewportSize({ width: 1100, height: 700 });
    await recipient.waitInGroup();
    const to = await recipient.me();
    await sender.page.getByTestId(`pay-member`).waitFor();
    await sender.send("Thanks for organising, here is my share.");
    await sender.page.getByTestId("composer").fill(`/pay #${to} 0.25`);
    await sender.page.getByTestId("send").click();
    await sender.page.locator("li.system", { hasText: `You sent #${to} 0.25 SOL.` }).waitFor({ timeout: 60_000 });
    await sender.page.screenshot({ path: out("payment-sent.png") });
    await claimTo(recipient, 0, freshAddress());
    await recipient.page.screenshot({ path: out("payment-claimed.png") });
  });
});
