// Issue 18's free-room scenarios in real Chromium against a real gateway that serves the
// page (run in order by browser.test.ts, which owns the browser and every page opened).
import { spawn } from "node:child_process";

import { expect } from "vitest";

import { formatInvite, newInviteSecret, parseInvite } from "../../src/mls/invite.js";
import { gatewayHttp, measure, type AnoPage } from "./support.js";
import type { TestWallet } from "./testWallet.js";

export type Open = (path?: string, wallet?: TestWallet) => Promise<AnoPage>;

export const inviteOf = (link: string) => decodeURIComponent(new URL(link).hash.slice(1));

/** 1. two pages chat; a page with the right code and a wrong secret is not admitted */
export async function twoPagesChatAndAWrongSecretIsRefused(open: Open): Promise<void> {
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
}

/** 2. a page and the Rust CLI chat in one room, both ways */
export async function aPageAndTheCliChat(open: Open): Promise<void> {
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
}

/** 5. knock mode: the creator refuses a joiner, the joiner sees it; an approved one gets in */
export async function knockModeRefusalAndApproval(open: Open): Promise<void> {
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
}

/** closing a tab leaves: the others' roster drops the member */
export async function closingATabLeaves(open: Open): Promise<void> {
  const stays = await open();
  await stays.createRoom();
  const goes = await open(`/#${inviteOf(await stays.inviteLink())}`);
  await goes.waitInGroup();
  const leaver = await goes.me();
  await expect.poll(() => stays.roster()).toContain(leaver);
  await goes.page.close();
  await expect.poll(() => stays.roster(), { timeout: 30_000 }).toEqual([await stays.me()]);
}
