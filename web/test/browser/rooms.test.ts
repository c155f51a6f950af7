// The web client in real Chromium against a real gateway that serves it (issue 18's
// browser scenarios for free rooms). cli/tests/web_browser.rs starts the gateway and runs
// this file with ANOGHOST_GATEWAY_HTTP and ANOGHOST_CLI (the Rust CLI) in its environment.
// The tests share one browser and run in order: the last one reads what the pages of all
// the others left in the browser.
import { spawn } from "node:child_process";

import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { formatInvite, newInviteSecret, parseInvite } from "../../src/mls/invite.js";
import { AnoPage, gatewayHttp, launch, measure } from "./support.js";

let browser: Browser;
const pages: AnoPage[] = [];

async function open(path = "/"): Promise<AnoPage> {
  const page = await AnoPage.open(browser, path);
  pages.push(page);
  return page;
}

const inviteOf = (link: string) => decodeURIComponent(new URL(link).hash.slice(1));

beforeAll(async () => {
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
});

describe("free rooms in the browser", () => {
  it("1. two pages chat; a page with the right code and a wrong secret is not admitted", async () => {
    const alice = await open();
    await alice.createRoom();
    const link = await alice.inviteLink();
    expect(link.startsWith(`${gatewayHttp()}/#`)).toBe(true);

    const started = performance.now();
    const bob = await open(`/#${inviteOf(link)}`);
    await bob.waitInGroup();
    measure("time_to_interactive_room_page_ms", Math.round(performance.now() - started));
    // The invite left the address bar as soon as the page read it.
    expect(bob.page.url()).toBe(`${gatewayHttp()}/`);

    await bob.send("hello from bob");
    expect(await alice.received("hello from bob")).toBe(await bob.me());
    await alice.send("hello from alice", "30 s");
    expect(await bob.received("hello from alice")).toBe(await alice.me());
    const both = [await alice.me(), await bob.me()].sort();
    await expect.poll(() => alice.roster()).toEqual(both);
    await expect.poll(() => bob.roster()).toEqual(both);
    expect(await alice.safetyCode()).toBe(await bob.safetyCode());

    const wrong = formatInvite({ ...parseInvite(inviteOf(link)), secret: newInviteSecret() });
    const mallory = await open(`/#${wrong}`);
    const error = mallory.page.getByTestId("error");
    await error.waitFor({ timeout: 30_000 });
    expect(await error.innerText()).toContain("No room answers this invite");
    expect(await alice.roster()).toEqual(both);
    for (const page of [alice, bob, mallory]) page.expectOnlyTheGateway();
  });

  it("2. a page and the Rust CLI chat in one room, both ways", async () => {
    const page = await open();
    await page.createRoom();
    const invite = inviteOf(await page.inviteLink());
    const cli = spawn(
      process.env.ANOGHOST_CLI ?? "anoghost",
      ["--gateway", `${gatewayHttp().replace("http", "ws")}/v1/ws`, "room", "join", invite]
        .concat(["--send", "hello from the cli", "--listen", "1", "--timeout", "60"]),
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    cli.stdout.on("data", (chunk) => (output += chunk));
    cli.stderr.on("data", (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => cli.on("exit", resolve));
    const from = await page.received("hello from the cli");
    await page.send("hello from the browser");
    expect(await exited, output).toBe(0);
    expect(output).toContain(`[${await page.me()}] hello from the browser`);
    expect(output).toContain(`joined as #${from}`);
    page.expectOnlyTheGateway();
  });

  it("5. knock mode: the creator refuses a joiner, the joiner sees it; an approved one gets in", async () => {
    const creator = await open();
    await creator.createRoom(true);
    const link = await creator.inviteLink();
    expect(link.endsWith("-knock")).toBe(true);

    const refused = await open(`/#${inviteOf(link)}`);
    await refused.page.getByTestId("status").filter({ hasText: "Knocking" }).waitFor();
    const refusedNumber = await refused.me();
    await creator.page.getByTestId(`deny-${refusedNumber}`).click();
    await expect.poll(() => refused.status(), { timeout: 30_000 }).toBe("denied");
    expect(await refused.page.getByTestId("status").innerText()).toContain("did not let you in");
    expect(await creator.roster()).toEqual([await creator.me()]);

    const approved = await open(`/#${inviteOf(link)}`);
    await approved.page.getByTestId("status").filter({ hasText: "Knocking" }).waitFor();
    await creator.page.getByTestId(`approve-${await approved.me()}`).click();
    await approved.waitInGroup();
    await approved.send("thanks for letting me in");
    await creator.received("thanks for letting me in");
    for (const page of [creator, refused, approved]) page.expectOnlyTheGateway();
  });

  it("closing a tab leaves: the others' roster drops the member", async () => {
    const stays = await open();
    await stays.createRoom();
    const goes = await open(`/#${inviteOf(await stays.inviteLink())}`);
    await goes.waitInGroup();
    const leaver = await goes.me();
    await expect.poll(() => stays.roster()).toContain(leaver);
    await goes.page.close();
    await expect.poll(() => stays.roster(), { timeout: 30_000 }).toEqual([await stays.me()]);
  });

  it("6. afterwards no page keeps anything in storage, and a reload shows no history", async () => {
    const alive = pages.filter((p) => !p.page.isClosed());
    expect(alive.length).toBeGreaterThan(3);
    for (const page of alive) {
      expect(await page.storage()).toEqual({ local: 0, session: 0, indexedDb: [], cookies: "", contextCookies: 0 });
    }
    const first = alive[0]!;
    await first.page.reload();
    await first.page.getByTestId("create").waitFor();
    const text = await first.page.locator("body").innerText();
    expect(text).not.toContain("hello from");
    expect(await first.page.getByTestId("room").count()).toBe(0);
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
