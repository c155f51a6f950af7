// Helpers for tests that run the web client's core in Node against a real gateway.
import WebSocket from "ws";

import { ChatRoom, type ChatEvent } from "../../src/chat/room.js";
import type { WebSocketConstructor } from "../../src/gateway/client.js";

export const nodeWebSocket = WebSocket as unknown as WebSocketConstructor;

export function gatewayUrl(): string {
  const url = process.env.ANOGHOST_GATEWAY;
  if (url === undefined) throw new Error("set ANOGHOST_GATEWAY to a gateway's ws:// URL");
  return url;
}

/** Records a room's events and waits for the ones a test expects. */
export class EventLog {
  readonly events: ChatEvent[] = [];
  #waiters: { match: (e: ChatEvent) => boolean; resolve: (e: ChatEvent) => void }[] = [];

  constructor(room: ChatRoom) {
    room.listen((event) => {
      this.events.push(event);
      this.#waiters = this.#waiters.filter((w) => {
        if (!w.match(event)) return true;
        w.resolve(event);
        return false;
      });
    });
  }

  /** The first event (already seen or still to come) that `match` accepts. */
  waitFor(match: (e: ChatEvent) => boolean, what: string, limitMs = 30_000): Promise<ChatEvent> {
    const seen = this.events.find(match);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no ${what} within ${limitMs} ms; events: ${JSON.stringify(this.events.map(summary))}`)),
        limitMs,
      );
      this.#waiters.push({ match, resolve: (e) => (clearTimeout(timer), resolve(e)) });
    });
  }

  message(text: string): Promise<ChatEvent> {
    return this.waitFor((e) => e.kind === "message" && e.text === text, `message ${JSON.stringify(text)}`);
  }
}

function summary(event: ChatEvent): string {
  return event.kind === "message" ? `message from ${event.from}: ${event.text}` : JSON.stringify(event, (_k, v) => (typeof v === "bigint" ? String(v) : v));
}
