// The room: the invite to share (a free room's), the member list (the MLS group's own
// roster, with each member's fingerprint) and the room's safety code, knocks to decide, the
// messages, the composer with its disappearing timer (and `/pay #member SOL`), and payments.
import { useState } from "preact/hooks";

import type { Chain } from "../chain/rpc.js";
import type { ChatRoom } from "../chat/room.js";
import { formatInvite } from "../mls/invite.js";
import type { WalletSession } from "../wallet/session.js";
import { Members } from "./Members.js";
import { PaymentsPanel } from "./PaymentsPanel.js";
import { usePayments } from "./usePayments.js";
import { useRoom, type RoomStatus } from "./useRoom.js";

const TIMERS: [number, string][] = [
  [0, "Keep"],
  [30, "30 s"],
  [300, "5 min"],
  [3600, "1 hour"],
];

const STATUS: Record<RoomStatus, string> = {
  waiting: "Waiting for a member to add you to the group…",
  member: "",
  denied: "The room's creator did not let you in.",
  removed: "You were removed from the group.",
  closed: "The connection to the gateway closed.",
};

interface Props {
  room: ChatRoom;
  wallet?: WalletSession;
  chain?: Chain;
  onLeave: () => void;
}

const PAY_COMMAND = /^\/pay\s+#?(\d{4})\s+(\S+)\s*$/;

export function RoomScreen({ room, wallet, chain, onLeave }: Props) {
  const view = useRoom(room);
  const payments = usePayments(room, wallet, chain);
  const [text, setText] = useState("");
  const [ttl, setTtl] = useState(0);
  const [error, setError] = useState<string>();
  const link = room.invite === undefined ? undefined : `${window.location.origin}/#${formatInvite(room.invite)}`;
  const waitingText =
    view.status === "waiting" && room.invite?.admission === "knock"
      ? "Knocking: waiting for the room's creator to let you in…"
      : STATUS[view.status];

  const send = async (e: Event) => {
    e.preventDefault();
    const body = text;
    if (body.trim() === "") return;
    try {
      if (body.startsWith("/pay")) {
        const [, member, amount] = PAY_COMMAND.exec(body.trim()) ?? [];
        if (member === undefined || amount === undefined) throw new Error("Usage: /pay #1234 0.25 (a member's number and an amount of SOL).");
        view.addNote(await payments.pay(Number(member), amount));
        setText("");
        setError(undefined);
        return;
      }
      await room.send(body, ttl);
      view.addOwn(body, ttl);
      setText("");
      setError(undefined);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };

  const leave = async () => {
    try {
      await room.leave();
    } catch {
      room.close();
    }
    onLeave();
  };

  return (
    <section class="room" data-testid="room" data-status={view.status} data-me={room.me}>
      <header>
        <div>
          <h1>
            {room.invite !== undefined ? (
              <span>
                Room <span data-testid="code">{room.invite.code}</span>
              </span>
            ) : (
              <span>
                Paid room <span data-testid="paid-room-name">{room.paidName}</span>
              </span>
            )}
          </h1>
          <p>
            You are <strong data-testid="me">#{room.me}</strong>
            {room.invite?.admission === "knock" ? " · knock mode" : ""}
          </p>
        </div>
        <button type="button" class="secondary" data-testid="leave" onClick={leave}>
          Leave
        </button>
      </header>
      {link !== undefined ? (
        <details class="invite">
          <summary>Invite link (anyone with it can join)</summary>
          <input readOnly data-testid="invite-link" value={link} onFocus={(e) => e.currentTarget.select()} />
          <button type="button" onClick={() => void navigator.clipboard?.writeText(link)}>
            Copy
          </button>
        </details>
      ) : (
        <p class="status">Only holders of this room's keys get in; members check each other with the room's secret.</p>
      )}
      {waitingText !== "" && (
        <p class={view.status === "waiting" ? "status" : "error"} role="status" data-testid="status">
          {waitingText}
        </p>
      )}
      <div class="columns">
        <div class="side">
          <Members room={room} version={view.version} />
          <PaymentsPanel room={room} wallet={wallet} payments={payments} />
        </div>
        <div class="chat">
          <ol class="lines" data-testid="messages" aria-live="polite">
            {view.lines.map((line) => (
              <li key={line.id} class={line.from === undefined ? "system" : line.mine ? "mine" : "theirs"} data-from={line.from}>
                {line.from !== undefined && <span class="from">#{line.from}{line.direct ? " → you" : ""}</span>}
                <span class="text">{line.text}</span>
                {line.expiresAt !== undefined && <span class="timer">disappears</span>}
              </li>
            ))}
          </ol>
          {error !== undefined && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
          <form class="composer" onSubmit={send}>
            <input
              data-testid="composer"
              placeholder={view.status === "member" ? "Message" : "You can write once you are in the group"}
              disabled={view.status !== "member"}
              autocomplete="off"
              value={text}
              onInput={(e) => setText(e.currentTarget.value)}
            />
            <select data-testid="timer" value={ttl} onChange={(e) => setTtl(Number(e.currentTarget.value))} title="Disappearing timer">
              {TIMERS.map(([secs, label]) => (
                <option value={secs}>{label}</option>
              ))}
            </select>
            <button type="submit" data-testid="send" disabled={view.status !== "member"}>
              Send
            </button>
          </form>
        </div>
      </div>
    </section>
  );
}
