// Issue 16's interop test, ts-mls side: the web client's core (ts-mls 1.6.4, in Node)
// creates a free room and adds the Rust CLI (OpenMLS 0.9), through a real gateway.
// `cli/tests/interop_ts_mls.rs` runs it with ANOGHOST_GATEWAY, reads the invite from
// ANOGHOST_INVITE_FILE and starts the CLI with it.
import { writeFileSync } from "node:fs";

import { describe, it } from "vitest";

import { ChatRoom } from "../../src/chat/room.js";
import { formatInvite } from "../../src/mls/invite.js";
import { EventLog, gatewayUrl, nodeWebSocket } from "../support/node.js";
import { converse } from "./converse.js";

describe("the Rust CLI joins a room ts-mls created", () => {
  it("adds the CLI, reads its message, and the CLI reads the answer", async () => {
    const room = await ChatRoom.create(gatewayUrl(), "open", { WebSocket: nodeWebSocket });
    const log = new EventLog(room);
    writeFileSync(process.env.ANOGHOST_INVITE_FILE ?? "", `${formatInvite(room.invite!)}\n`, { mode: 0o600 });
    await log.waitFor((e) => e.kind === "rosterChanged" && e.added.length > 0, "the CLI added to the group");
    await converse(room, log);
    room.close();
  });
});
