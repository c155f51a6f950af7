// Issue 21's web case in real Chromium against a real gateway (run in order by
// browser.test.ts): files between two pages and between the Rust CLI and a page, end to end
// inside the group's encryption, kept in memory only.
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateSync } from "node:zlib";

import type { Page } from "playwright-core";
import { expect } from "vitest";

import { inviteOf, type Open } from "./free.js";
import { gatewayHttp, measure } from "./support.js";

/** A small valid PNG: `width` × `height` pixels of RGB, made here. */
export function makePng(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const b of bytes) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const out = Buffer.alloc(4 + body.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), 4 + body.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  const rows = Buffer.alloc(height * (1 + width * 3));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) rows.set([x * 40, y * 40, 200], y * (1 + width * 3) + 1 + x * 3);
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk("IHDR", header), chunk("IDAT", deflateSync(rows)), chunk("IEND", Buffer.alloc(0))]);
}

const fileLine = (page: Page, name: string) => page.locator(`[data-testid=file][data-name="${name}"]`);

async function waitState(page: Page, name: string, state: string, timeout = 60_000): Promise<void> {
  await page.locator(`[data-testid=file][data-name="${name}"][data-state=${state}]`).waitFor({ timeout });
}

/** Clicks the file's download link and returns what the browser saved, and under what name. */
async function download(page: Page, name: string): Promise<{ name: string; bytes: Buffer }> {
  const [event] = await Promise.all([page.waitForEvent("download"), fileLine(page, name).getByTestId("file-download").click()]);
  const path = await event.path();
  return { name: event.suggestedFilename(), bytes: readFileSync(path) };
}

/** 7. files between two pages: an image is previewed, another file downloads under its name
 * with identical bytes, a dropped file arrives, and a cancelled transfer shows as cancelled
 * on both sides */
export async function twoPagesShareFiles(open: Open): Promise<void> {
  const alice = await open();
  await alice.createRoom();
  const bob = await open(`/#${inviteOf(await alice.inviteLink())}`);
  await bob.waitInGroup();
  const both = [await alice.me(), await bob.me()].sort();
  await expect.poll(() => alice.roster()).toEqual(both);

  const png = makePng(5, 4);
  const started = performance.now();
  await alice.page.getByTestId("file-input").setInputFiles({ name: "dots.png", mimeType: "image/png", buffer: png });
  await waitState(bob.page, "dots.png", "received");
  measure("image_page_to_page_ms", Math.round(performance.now() - started));
  await waitState(alice.page, "dots.png", "sent");
  const image = fileLine(bob.page, "dots.png").getByTestId("file-image");
  const shown = await image.evaluate((img: HTMLImageElement) => img.decode().then(() => ({ width: img.naturalWidth, src: img.src })));
  expect(shown.width).toBe(5);
  expect(shown.src.startsWith("blob:")).toBe(true);

  const notes = randomBytes(200 * 1024);
  await alice.page.getByTestId("file-input").setInputFiles({ name: "notes.bin", mimeType: "application/octet-stream", buffer: notes });
  await waitState(bob.page, "notes.bin", "received");
  expect(await fileLine(bob.page, "notes.bin").getByTestId("file-image").count()).toBe(0);
  const saved = await download(bob.page, "notes.bin");
  expect(saved.name).toBe("notes.bin");
  expect(saved.bytes.equals(notes)).toBe(true);

  // Chat keeps flowing around files.
  await bob.send("got both files");
  await alice.received("got both files");

  // A file dropped onto the chat goes too.
  const dropped = await bob.page.evaluateHandle(() => {
    const transfer = new DataTransfer();
    transfer.items.add(new File(["dropped onto the room\n"], "dropped.txt", { type: "text/plain" }));
    return transfer;
  });
  await bob.page.getByTestId("chat").dispatchEvent("drop", { dataTransfer: dropped });
  await waitState(alice.page, "dropped.txt", "received");
  expect((await download(alice.page, "dropped.txt")).bytes.toString()).toBe("dropped onto the room\n");

  // A large file, cancelled by its sender as soon as it starts: both sides say so.
  await alice.page.getByTestId("file-input").setInputFiles({ name: "big.bin", mimeType: "application/octet-stream", buffer: randomBytes(20 << 20) });
  await fileLine(alice.page, "big.bin").getByTestId("file-cancel").click();
  await waitState(alice.page, "big.bin", "cancelled");
  await waitState(bob.page, "big.bin", "cancelled");
  expect(await fileLine(bob.page, "big.bin").getByTestId("file-download").count()).toBe(0);
  for (const page of [alice, bob]) page.expectOnlyTheGateway();
}

/** 8. files between the Rust CLI and a page, both ways: the CLI's `--send-file` arrives in
 * the page with its name and bytes, and the page's file is saved by the CLI (`--save-files`) */
export async function filesTravelBetweenTheCliAndAPage(open: Open): Promise<void> {
  const page = await open();
  await page.createRoom();
  const dir = mkdtempSync(join(tmpdir(), "anoghost-file-"));
  const report = randomBytes(300 * 1024);
  const path = join(dir, "report.pdf");
  writeFileSync(path, report);
  const incoming = join(dir, "incoming");
  mkdirSync(incoming);
  try {
    const cli = spawn(
      process.env.ANOGHOST_CLI ?? "anoghost",
      ["--gateway", `${gatewayHttp().replace("http", "ws")}/v1/ws`, "room", "join", inviteOf(await page.inviteLink())]
        .concat(["--send-file", path, "--save-files", incoming, "--files", "1", "--timeout", "60"]),
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    cli.stdout.on("data", (chunk) => (output += chunk));
    cli.stderr.on("data", (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => cli.on("exit", resolve));
    await waitState(page.page, "report.pdf", "received");
    const saved = await download(page.page, "report.pdf");
    expect(saved.name).toBe("report.pdf");
    expect(saved.bytes.equals(report)).toBe(true);

    const reply = randomBytes(150 * 1024);
    await page.page.getByTestId("file-input").setInputFiles({ name: "reply.bin", mimeType: "application/octet-stream", buffer: reply });
    expect(await exited, output).toBe(0);
    const hash = createHash("sha256").update(report).digest("hex");
    expect(output).toContain(`file sent: "report.pdf" (${report.length} bytes, sha256 ${hash})`);
    expect(output).toContain(`file saved: ${join(incoming, "reply.bin")} (${reply.length} bytes, SHA-256 checked) from #${await page.me()}`);
    expect(readFileSync(join(incoming, "reply.bin")).equals(reply)).toBe(true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  page.expectOnlyTheGateway();
}

/** 9. a room the Rust CLI created with a 1 MiB file limit: the page joins it (its KeyPackage
 * supports the room settings extension), reads the limit from the group, refuses to send a
 * larger file, and a smaller one reaches the CLI */
export async function aPageFollowsTheFileLimitOfACliRoom(open: Open): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "anoghost-file-"));
  const cli = spawn(
    process.env.ANOGHOST_CLI ?? "anoghost",
    ["--gateway", `${gatewayHttp().replace("http", "ws")}/v1/ws`, "room", "create", "--max-file-mib", "1"]
      .concat(["--save-files", dir, "--files", "1", "--timeout", "60"]),
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  cli.stdout.on("data", (chunk) => (output += chunk));
  cli.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => cli.on("exit", resolve));
  try {
    await expect.poll(() => /^invite: (\S+)$/m.exec(output)?.[1], { timeout: 30_000 }).toBeDefined();
    const page = await open(`/#${/^invite: (\S+)$/m.exec(output)![1]!}`);
    await page.waitInGroup();
    const input = page.page.getByTestId("file-input");
    expect(await input.getAttribute("data-max-file-bytes")).toBe(String(1 << 20));

    await input.setInputFiles({ name: "too-big.bin", mimeType: "application/octet-stream", buffer: randomBytes((1 << 20) + 1) });
    await waitState(page.page, "too-big.bin", "failed");
    expect(await fileLine(page.page, "too-big.bin").innerText()).toContain(`this room takes files up to ${1 << 20}`);

    const small = randomBytes(100 * 1024);
    await input.setInputFiles({ name: "small.bin", mimeType: "application/octet-stream", buffer: small });
    await waitState(page.page, "small.bin", "sent");
    expect(await exited, output).toBe(0);
    expect(readFileSync(join(dir, "small.bin")).equals(small)).toBe(true);
    page.expectOnlyTheGateway();
  } finally {
    cli.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}
