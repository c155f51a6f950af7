// Issue 16's interop test, ts-mls side: the web client's core (ts-mls 1.6.4, in Node)
// joins a free room the Rust CLI (OpenMLS 0.9) created, through a real gateway.
// `cli/tests/interop_ts_mls.rs` runs it with ANOGHOST_GATEWAY and the CLI's ANOGHOST_INVITE.
import { describe, it } from "vitest";

import { ChatRoom } from "../../src/chat/room.js";
import { parseInvite } from "../../src/mls/invite.js";
import { EventLog, gatewayUrl, nodeWebSocket } from "../support/node.js";
import { converse } from "./converse.js";

describe("ts-mls joins a room the Rust CLI created", () => {
  it("reads the CLI's message and the CLI reads its answer", async () => {
    const invite = parseInvite(process.env.ANOGHOST_INVITE ?? "");
    const room = await ChatRoom.join(gatewayUrl(), invite, { WebSocket: nodeWebSocket });
    const log = new EventLog(room);
    await log.waitFor((e) => e.kind === "inGroup", "a Welcome from the CLI");
    await converse(room, log);
    room.close();
  });
});
