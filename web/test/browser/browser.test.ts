// The web client in real Chromium against a real gateway that serves it and reads the
// localnet over JSON-RPC (issue 18's browser scenarios). cli/tests/web_browser.rs starts the
// localnet and the gateway and runs this file with ANOGHOST_GATEWAY_HTTP, ANOGHOST_RPC_HTTP
// and ANOGHOST_CLI (the Rust CLI) in its environment. The tests share one browser and run in
// order: scenario 6 reads what the pages of all the others left in the browser.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { aPageAndTheCliChat, closingATabLeaves, knockModeRefusalAndApproval, twoPagesChatAndAWrongSecretIsRefused } from "./free.js";
import { aPaidRoomIsPaidMintedJoinedAndRefusedWithoutAKey } from "./paid.js";
import { anInChatPaymentIsSentAndClaimedToAFreshAddress } from "./payments.js";
import { AnoPage, gatewayHttp, launch, measure } from "./support.js";
import type { TestWallet } from "./testWallet.js";
import { walletSignsInAndSharesAGhostContact } from "./wallet.js";

let browser: Browser;
const pages: AnoPage[] = [];

async function open(path = "/", wallet?: TestWallet): Promise<AnoPage> {
  const page = await AnoPage.open(browser, path, wallet);
  pages.push(page);
  return page;
}

beforeAll(async () => {
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
});

describe("AnoGhost in the browser", () => {
  it("1. two pages chat; a page with the right code and a wrong secret is not admitted", () => twoPagesChatAndAWrongSecretIsRefused(open));
  it("2. a page and the Rust CLI chat in one room, both ways", () => aPageAndTheCliChat(open));
  it("5. knock mode: the creator refuses a joiner, the joiner sees it; an approved one gets in", () => knockModeRefusalAndApproval(open));
  it("closing a tab leaves: the others' roster drops the member", () => closingATabLeaves(open));
  for (const feature of ["solana:signIn", "solana:signMessage"] as const) {
    it(`a wallet signs in with ${feature}, and the page shows and renews its ghost contact`, () =>
      walletSignsInAndSharesAGhostContact(open, feature));
  }
  it("3. a paid room: one wallet pays, keys are minted, two pages join with their keys and chat; no key is refused", () =>
    aPaidRoomIsPaidMintedJoinedAndRefusedWithoutAKey(open));
  it("4. an in-chat payment is sent and claimed to a fresh address; balances read over JSON-RPC", () =>
    anInChatPaymentIsSentAndClaimedToAFreshAddress(open));

  it("6. afterwards no page keeps anything in storage, and a reload shows no history", async () => {
    const alive = pages.filter((p) => !p.page.isClosed());
    expect(alive.length).toBeGreaterThan(10);
    for (const page of alive) {
      expect(await page.storage()).toEqual({ local: 0, session: 0, indexedDb: [], cookies: "", contextCookies: 0 });
    }
    for (const page of [alive[0]!, alive[alive.length - 1]!]) {
      await page.page.reload();
      await page.page.getByTestId("create").waitFor();
      const text = await page.page.locator("body").innerText();
      expect(text).not.toContain("hello from");
      expect(text).not.toContain("SOL");
      expect(await page.page.getByTestId("room").count()).toBe(0);
    }
  });

  it("measures the bundle and the MLS costs in this browser", async () => {
    const index = await (await fetch(`${gatewayHttp()}/`)).text();
    const files = [...index.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    const { gzipSync } = await import("node:zlib");
    let gzipped = 0;
    for (const file of files) gzipped += gzipSync(Buffer.from(await (await fetch(`${gatewayHttp()}${file}`)).arrayBuffer())).length;
    measure("chat_page_bundle_gzip_kib", (gzipped / 1024).toFixed(1));
    expect(gzipped).toBeLessThan(300 * 1024);

    const bench = await open("/bench.html");
    const results = bench.page.locator("#results[data-state=done]");
    await results.waitFor({ timeout: 240_000 });
    measure("browser_mls", JSON.parse(await results.innerText()));
    bench.expectOnlyTheGateway();
  });
});
