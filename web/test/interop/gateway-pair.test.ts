// Two ts-mls clients (the web client's core, in Node) through a real gateway: one creates a
// free room, the other joins from the invite, and they chat both ways. A third with the
// right code but a wrong secret is refused at the gateway.
import { describe, expect, it } from "vitest";

import { ChatRoom } from "../../src/chat/room.js";
import { newInviteSecret } from "../../src/mls/invite.js";
import { EventLog, gatewayUrl, nodeWebSocket } from "../support/node.js";

describe("two ts-mls members through a real gateway", () => {
  it("chat both ways, and a wrong secret is not admitted", async () => {
    const options = { WebSocket: nodeWebSocket };
    const alice = await ChatRoom.create(gatewayUrl(), "open", options);
    const aliceLog = new EventLog(alice);
    const bob = await ChatRoom.join(gatewayUrl(), alice.invite!, options);
    const bobLog = new EventLog(bob);
    await bobLog.waitFor((e) => e.kind === "inGroup", "bob in the group");
    await bob.send("hi from bob");
    await aliceLog.message("hi from bob");
    await alice.send("hi from alice", 30);
    const got = await bobLog.message("hi from alice");
    expect(got).toMatchObject({ from: alice.me, ttlSecs: 30 });
    expect(alice.safetyCode()).toBe(bob.safetyCode());
    expect(alice.roster().map((e) => e.member).sort()).toEqual([alice.me, bob.me].sort());

    const wrong = { ...alice.invite!, secret: newInviteSecret() };
    await expect(ChatRoom.join(gatewayUrl(), wrong, options)).rejects.toMatchObject({ code: "room_not_found" });

    await bob.leave();
    await aliceLog.waitFor((e) => e.kind === "rosterChanged" && e.removed.includes(bob.me), "bob removed");
    expect(alice.roster().map((e) => e.member)).toEqual([alice.me]);
    alice.close();
  });
});
