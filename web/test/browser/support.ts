// Real Chromium (Debian's, through playwright-core) against a real gateway that serves the
// page. Each AnoGhost page gets its own browser context: its own storage, as separate
// people's browsers would have. Every request and socket a page opens is recorded, so a
// test can assert that nothing leaves for a third party.
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { expect } from "vitest";

import type { TestWallet } from "./testWallet.js";

/** The launch flags the project's machines need (docs: README, Testing). */
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export function gatewayHttp(): string {
  const url = process.env.ANOGHOST_GATEWAY_HTTP;
  if (url === undefined) throw new Error("set ANOGHOST_GATEWAY_HTTP to the gateway's http:// origin");
  return url;
}

/** The localnet's JSON-RPC URL, which the gateway names to the page (`--web-rpc-url`). */
export function rpcHttp(): string {
  const url = process.env.ANOGHOST_RPC_HTTP;
  if (url === undefined) throw new Error("set ANOGHOST_RPC_HTTP to the localnet's http:// JSON-RPC URL");
  return url;
}

/** Playwright gives every launch a fresh temporary --user-data-dir of its own. */
export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: CHROMIUM_FLAGS,
  });
}

export class AnoPage {
  readonly requests: string[] = [];
  readonly sockets: string[] = [];
  readonly problems: string[] = [];

  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
  ) {
    page.on("request", (request) => this.requests.push(request.url()));
    page.on("websocket", (socket) => this.sockets.push(socket.url()));
    page.on("pageerror", (error) => this.problems.push(`page error: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error" || /Content.Security.Policy/i.test(message.text())) {
        this.problems.push(`console: ${message.text()}`);
      }
    });
  }

  /** A page in a fresh context, with a test wallet installed before the page's own script. */
  static async open(browser: Browser, path = "/", wallet?: TestWallet): Promise<AnoPage> {
    const context = await browser.newContext();
    if (wallet !== undefined) await wallet.install(context);
    const page = await context.newPage();
    const ano = new AnoPage(context, page);
    await page.goto(`${gatewayHttp()}${path}`);
    return ano;
  }

  async createRoom(knock = false): Promise<void> {
    if (knock) await this.page.getByTestId("knock").check();
    await this.page.getByTestId("create").click();
    await this.waitInGroup();
  }

  async waitInGroup(): Promise<void> {
    await expect.poll(() => this.status(), { timeout: 30_000 }).toBe("member");
    await this.page.getByTestId("composer").waitFor({ state: "visible" });
    await expect.poll(() => this.page.getByTestId("composer").isEnabled(), { timeout: 30_000 }).toBe(true);
  }

  /** Connects the page's test wallet (the only one registered). */
  async connectWallet(): Promise<void> {
    await this.page.getByTestId("wallet-connect").click();
    await this.page.getByTestId("wallet-address").waitFor({ timeout: 30_000 });
  }

  /** Has the wallet sign the holder text and the gateway issue a ghost contact. */
  async ghostContact(): Promise<string> {
    await this.page.getByTestId("ghost-show").click();
    const contact = this.page.getByTestId("ghost-contact");
    await contact.waitFor({ timeout: 30_000 });
    return contact.innerText();
  }

  status(): Promise<string | null> {
    return this.page.getByTestId("room").getAttribute("data-status", { timeout: 30_000 });
  }

  async me(): Promise<number> {
    return Number(await this.page.getByTestId("room").getAttribute("data-me"));
  }

  inviteLink(): Promise<string> {
    return this.page.getByTestId("invite-link").inputValue();
  }

  async send(text: string, timer?: string): Promise<void> {
    if (timer !== undefined) await this.page.getByTestId("timer").selectOption({ label: timer });
    await this.page.getByTestId("composer").fill(text);
    await this.page.getByTestId("send").click();
    await this.page.locator("li.mine", { hasText: text }).waitFor({ timeout: 30_000 });
  }

  /** Waits for a message from another member; returns the sender's number. */
  async received(text: string): Promise<number> {
    const line = this.page.locator("li.theirs", { hasText: text });
    await line.waitFor({ timeout: 30_000 });
    return Number(await line.getAttribute("data-from"));
  }

  async roster(): Promise<number[]> {
    const members = await this.page.getByTestId("roster").locator("li").evaluateAll((items) =>
      items.map((item) => Number(item.getAttribute("data-member"))),
    );
    return members.sort();
  }

  safetyCode(): Promise<string> {
    return this.page.getByTestId("safety-code").innerText();
  }

  /** Every request and socket went to the gateway itself (or, for a page that reads the
   * chain, to the RPC URL the gateway names), and no CSP violation or error. */
  expectOnlyTheGateway(): void {
    const origin = new URL(gatewayHttp());
    const allowed = [origin.origin];
    if (process.env.ANOGHOST_RPC_HTTP !== undefined) allowed.push(new URL(rpcHttp()).origin);
    for (const url of this.requests) expect(allowed, url).toContain(new URL(url).origin);
    for (const url of this.sockets) expect(new URL(url).host, url).toBe(origin.host);
    expect(this.problems).toEqual([]);
  }

  /** What the page keeps in the browser's storage, read from inside it. */
  async storage(): Promise<{ local: number; session: number; indexedDb: string[]; cookies: string; contextCookies: number }> {
    const inside = await this.page.evaluate(async () => ({
      local: localStorage.length,
      session: sessionStorage.length,
      indexedDb: (await indexedDB.databases()).map((db) => db.name ?? ""),
      cookies: document.cookie,
    }));
    return { ...inside, contextCookies: (await this.context.cookies()).length };
  }
}

export function measure(name: string, value: unknown): void {
  // Read by cli/tests/web_browser.rs, which prints these lines with the test's output.
  console.log(`MEASURE ${name} ${typeof value === "string" ? value : JSON.stringify(value)}`);
}
