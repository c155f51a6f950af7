import { expect } from "vitest";

import type { ChatRoom } from "../../src/chat/room.js";
import type { EventLog } from "../support/node.js";

/** The CLI sends "hello from openmls" once ts-mls can read it, and waits for one message;
 * ts-mls answers "hello from ts-mls" only after reading the CLI's. Both then see one group. */
export async function converse(room: ChatRoom, log: EventLog): Promise<void> {
  const heard = await log.message("hello from openmls");
  expect(heard.kind === "message" && heard.from).not.toBe(room.me);
  await room.send("hello from ts-mls");
  await room.confirmSent();
  // Both members see the same group: one roster, one safety code.
  expect(room.roster()).toHaveLength(2);
  const cli = room.roster().find((e) => e.member !== room.me);
  expect(cli?.member).toBe(heard.kind === "message" ? heard.from : -1);
  // The CLI leaves after reading ts-mls's message: its removal reaches this side too.
  await log.waitFor((e) => e.kind === "rosterChanged" && e.removed.includes(cli!.member), "the CLI's removal");
}

