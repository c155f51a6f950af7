// Screenshots of the main screens for the README (docs/screenshots/), taken in the same
// Chromium as the tests against a running gateway:
//   ANOGHOST_GATEWAY_HTTP=http://127.0.0.1:8787 npx vitest run test/screenshots
import { fileURLToPath } from "node:url";

import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, it } from "vitest";

import { AnoPage, launch } from "../browser/support.js";
import { testWallet } from "../browser/testWallet.js";

const out = (name: string) => fileURLToPath(new URL(`../../../docs/screenshots/${name}`, import.meta.url));
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
});

describe("screenshots", () => {
  it("start screen with a signed-in wallet, and a room with three members", async () => {
    const wallet = testWallet("Test Wallet", ["solana:signIn"]);
    const start = await AnoPage.open(browser, "/", wallet.script);
    await start.page.setViewportSize({ width: 900, height: 760 });
    await start.page.getByTestId("wallet-connect").click();
    await start.page.getByTestId("ghost-id").waitFor();
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
});
