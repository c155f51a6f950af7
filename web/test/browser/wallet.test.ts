// Wallet sign-in in real Chromium: a test wallet registered through wallet-standard signs
// the gateway's SIWS message (through `solana:signIn`, and through `solana:signMessage` for a
// wallet without it), the real gateway verifies the signature and answers a ghostId, which the
// page shows and rotates. Nothing lands in the browser's storage.
import { base58 } from "@scure/base";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { AnoPage, gatewayHttp, launch } from "./support.js";
import { testWallet } from "./testWallet.js";

let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
});

describe("wallet sign-in in the browser", () => {
  for (const feature of ["solana:signIn", "solana:signMessage"] as const) {
    it(`a wallet-standard wallet signs in with ${feature} and gets a ghostId it can rotate`, async () => {
      const wallet = testWallet(`Test Wallet (${feature})`, [feature]);
      const page = await AnoPage.open(browser, "/", wallet.script);
      const connect = page.page.getByTestId("wallet-connect");
      expect(await connect.innerText()).toContain(`Test Wallet (${feature})`);
      await connect.click();
      const ghost = page.page.getByTestId("ghost-id");
      await ghost.waitFor({ timeout: 30_000 });
      expect(await page.page.getByTestId("wallet-address").innerText()).toBe(wallet.address);
      const first = await ghost.innerText();
      // version 1 ‖ epoch (8) ‖ nonce (12) ‖ sealed wallet (48): docs/protocol.md §2.3.
      const bytes = base58.decode(first);
      expect(bytes.length).toBe(69);
      expect(bytes[0]).toBe(1);
      expect(first).not.toContain(wallet.address);
      await page.page.getByTestId("ghost-rotate").click();
      await expect.poll(() => ghost.innerText()).not.toBe(first);
      expect(await page.storage()).toEqual({ local: 0, session: 0, indexedDb: [], cookies: "", contextCookies: 0 });
      page.expectOnlyTheGateway();
      expect(page.requests.some((url) => url === `${gatewayHttp()}/v1/auth/challenge`)).toBe(true);
    });
  }
});
