// The page behind TLS: cli/tests/web_browser.rs puts a TLS-terminating proxy (a test CA's
// certificate for 127.0.0.1) in front of a real gateway and runs this file with
// ANOGHOST_GATEWAY_HTTP=https://127.0.0.1:<port> and ANOGHOST_TLS_CERT (the proxy's
// certificate). Chromium trusts that one certificate by its key's hash, as it would a CA it
// knew; the page, loaded over https://, must open wss:// to its own origin.
import { createHash, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";

import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { inviteOf } from "../browser/free.js";
import { AnoPage, CHROMIUM_FLAGS, gatewayHttp } from "../browser/support.js";

let browser: Browser;

beforeAll(async () => {
  const path = process.env.ANOGHOST_TLS_CERT;
  if (path === undefined) throw new Error("set ANOGHOST_TLS_CERT to the proxy's certificate (PEM)");
  const key = new X509Certificate(readFileSync(path)).publicKey.export({ type: "spki", format: "der" });
  const pin = createHash("sha256").update(key).digest("base64");
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: [...CHROMIUM_FLAGS, `--ignore-certificate-errors-spki-list=${pin}`],
  });
});

afterAll(async () => {
  await browser?.close();
});

describe("AnoGhost behind TLS", () => {
  it("two pages loaded over https:// chat through wss://", async () => {
    expect(gatewayHttp().startsWith("https://")).toBe(true);
    const alice = await AnoPage.open(browser);
    await alice.createRoom();
    const bob = await AnoPage.open(browser, `/#${inviteOf(await alice.inviteLink())}`);
    await bob.waitInGroup();
    await alice.send("hello over wss");
    expect(await bob.received("hello over wss")).toBe(await alice.me());
    await bob.send("and back");
    expect(await alice.received("and back")).toBe(await bob.me());
    const wss = `wss://${new URL(gatewayHttp()).host}/v1/ws`;
    for (const page of [alice, bob]) {
      expect(page.sockets.length).toBeGreaterThan(0);
      for (const socket of page.sockets) expect(socket).toBe(wss);
      page.expectOnlyTheGateway();
    }
  });
});
