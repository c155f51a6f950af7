// The room as the page shows it: messages (with their disappearing timers), the MLS roster,
// knocks, and the room's status, kept in sync with a ChatRoom's events. Everything lives in
// memory only: a reload shows nothing of it.
import { useEffect, useState } from "preact/hooks";

import type { ChatEvent, ChatRoom } from "../chat/room.js";
import { sol } from "../chain/rpc.js";
import { describeRefusal } from "../protocol/errors.js";

export interface Line {
  id: number;
  /** Sender's member number; undefined for a line about the room itself. */
  from?: number;
  text: string;
  mine?: boolean;
  direct?: boolean;
  /** When the line disappears (ms since the epoch), if it has a timer. */
  expiresAt?: number;
}

export type RoomStatus = "waiting" | "member" | "denied" | "removed" | "closed";

export interface RoomView {
  lines: Line[];
  status: RoomStatus;
  /** Bumped on every change, so derived values (roster, safety code) are read afresh. */
  version: number;
  addOwn(text: string, ttlSecs: number): void;
  /** A line about the room from this page itself (a payment sent, say). */
  addNote(text: string): void;
}

let nextId = 1;

export function useRoom(room: ChatRoom): RoomView {
  const [lines, setLines] = useState<Line[]>([]);
  const [status, setStatus] = useState<RoomStatus>(room.inGroup ? "member" : "waiting");
  const [version, setVersion] = useState(0);

  const add = (line: Omit<Line, "id">, ttlSecs = 0) => {
    const id = nextId++;
    const expiresAt = ttlSecs > 0 ? Date.now() + ttlSecs * 1000 : undefined;
    setLines((all) => [...all, { ...line, id, expiresAt }]);
    if (expiresAt !== undefined) {
      setTimeout(() => setLines((all) => all.filter((l) => l.id !== id)), ttlSecs * 1000);
    }
  };

  useEffect(() => {
    const onEvent = (event: ChatEvent) => {
      setVersion((v) => v + 1);
      const line = describe(event);
      if (line !== undefined) add(line, event.kind === "message" ? event.ttlSecs : 0);
      if (event.kind === "inGroup") setStatus("member");
      if (event.kind === "denied") setStatus("denied");
      if (event.kind === "removed") setStatus("removed");
      if (event.kind === "closed") setStatus((s) => (s === "denied" || s === "removed" ? s : "closed"));
    };
    return room.listen(onEvent);
  }, [room]);

  return {
    lines,
    status,
    version,
    addOwn: (text, ttlSecs) => add({ from: room.me, text, mine: true }, ttlSecs),
    addNote: (text) => add({ text }),
  };
}

function describe(event: ChatEvent): Omit<Line, "id"> | undefined {
  switch (event.kind) {
    case "message":
      return { from: event.from, text: event.text };
    case "direct":
      return {
        from: event.from,
        direct: true,
        text: event.content.kind === "text" ? event.content.text : `sent you a payment of ${sol(event.content.voucher.lamports)} (claim it under Payments)`,
      };
    case "inGroup":
      return { text: "You are in the group: messages are end-to-end encrypted." };
    case "rosterChanged": {
      const parts = [];
      if (event.added.length > 0) parts.push(`${numbers(event.added)} added to the group`);
      if (event.removed.length > 0) parts.push(`${numbers(event.removed)} removed from the group`);
      return { text: parts.join("; ") };
    }
    case "memberJoined":
      return { text: `#${event.member} entered the room.` };
    case "memberLeft":
      return { text: `#${event.member} left the room.` };
    case "knock":
      return { text: `#${event.member} knocks.` };
    case "denied":
      return { text: "The room's creator did not let you in." };
    case "removed":
      return { text: "You were removed from the group." };
    case "refused":
      return { text: `Refused something from #${event.from}: ${event.reason}` };
    case "gatewayRefused":
      return { text: describeRefusal(event.code, event.message) };
    case "closed":
      return { text: "The connection to the gateway closed." };
  }
}

const numbers = (members: number[]) => members.map((m) => `#${m}`).join(", ");
