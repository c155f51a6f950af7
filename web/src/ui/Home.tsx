// The start screen: create a free room (optionally approving each joiner), or join one by
// pasting an invite; below, the wallet for paid rooms. Errors from the last attempt are shown
// here in words.
import { useState } from "preact/hooks";

import type { Chain } from "../chain/rpc.js";
import type { Admission } from "../mls/invite.js";
import type { HeldKey } from "../paid/held.js";
import type { WalletSession } from "../wallet/session.js";
import type { PageConfig } from "./App.js";
import { WalletPanel } from "./WalletPanel.js";

interface Props {
  config: PageConfig;
  chain?: Chain;
  wallet?: WalletSession;
  onWallet: (wallet: WalletSession | undefined) => void;
  error?: string;
  onCreate: (admission: Admission) => void;
  onJoin: (invite: string) => void;
  onJoinPaid: (key: HeldKey) => void;
}

export function Home({ config, chain, wallet, onWallet, error, onCreate, onJoin, onJoinPaid }: Props) {
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
      <WalletPanel config={config} chain={chain} session={wallet} onSession={onWallet} onJoinPaid={onJoinPaid} />
    </section>
  );
}
