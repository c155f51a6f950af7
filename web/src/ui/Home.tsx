// The start screen: create a free room (optionally approving each joiner), or join one by
// pasting an invite. Errors from the last attempt are shown here in words.
import { useState } from "preact/hooks";

import type { Admission } from "../mls/invite.js";
import { WalletPanel } from "./WalletPanel.js";

interface Props {
  gatewayUrl: string;
  chainId: string;
  error?: string;
  onCreate: (admission: Admission) => void;
  onJoin: (invite: string) => void;
}

export function Home({ gatewayUrl, chainId, error, onCreate, onJoin }: Props) {
  const [knock, setKnock] = useState(false);
  const [invite, setInvite] = useState("");
  return (
    <section class="card">
      <h1>AnoGhost</h1>
      <p class="lead">Anonymous, end-to-end encrypted group chat. No account, no history: a room lives while someone is in it.</p>
      {error !== undefined && (
        <p class="error" role="alert" data-testid="error">
          {error}
        </p>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onCreate(knock ? "knock" : "open");
        }}
      >
        <h2>New room</h2>
        <label>
          <input type="checkbox" data-testid="knock" checked={knock} onChange={(e) => setKnock(e.currentTarget.checked)} />
          Approve each joiner (knock mode)
        </label>
        <button type="submit" data-testid="create">
          Create a room
        </button>
      </form>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onJoin(invite);
        }}
      >
        <h2>Join a room</h2>
        <input
          data-testid="invite-input"
          placeholder="042817-7Hc2b9QmVx1kR4tZpN3aLs"
          autocomplete="off"
          spellcheck={false}
          value={invite}
          onInput={(e) => setInvite(e.currentTarget.value)}
        />
        <button type="submit" data-testid="join">
          Join
        </button>
      </form>
      <WalletPanel gatewayUrl={gatewayUrl} chainId={chainId} />
    </section>
  );
}
