// The wallet on the start screen: the wallets wallet-standard discovered; once one is
// connected, its address and balance, sign-in (for paying a paid room), the ghost contact to
// share to be invited, the keys it holds, and a new paid room. Nothing of it is stored.
import type { Wallet } from "@wallet-standard/base";
import { address } from "@solana/kit";
import { useEffect, useState } from "preact/hooks";

import { sol, type Chain } from "../chain/rpc.js";
import type { HeldKey } from "../paid/held.js";
import { watchWallets } from "../wallet/discovery.js";
import { WalletSession, type IssuedContact } from "../wallet/session.js";
import type { PageConfig } from "./App.js";
import { KeysPanel } from "./KeysPanel.js";
import { PaidRoomForm } from "./PaidRoomForm.js";
import { useAction } from "./useAction.js";

interface Props {
  config: PageConfig;
  chain?: Chain;
  session?: WalletSession;
  onSession: (session: WalletSession | undefined) => void;
  onJoinPaid: (key: HeldKey) => void;
}

export function WalletPanel({ config, chain, session, onSession, onJoinPaid }: Props) {
  const [wallets, setWallets] = useState<Wallet[]>([]);
  const action = useAction();
  useEffect(() => watchWallets(setWallets), []);

  const connect = (wallet: Wallet) =>
    action.run("Connecting…", async () => onSession(await WalletSession.connect(wallet, config.gatewayUrl, config.chainId, chain)));

  return (
    <section class="wallet" data-testid="wallet">
      <h2>Wallet and paid rooms</h2>
      {action.error !== undefined && (
        <p class="error" role="alert" data-testid="wallet-error">
          {action.error}
        </p>
      )}
      {session === undefined ? (
        wallets.length === 0 ? (
          <p class="status">No Solana wallet found in this browser.</p>
        ) : (
          wallets.map((wallet) => (
            <button type="button" key={wallet.name} disabled={action.busy !== undefined} data-testid="wallet-connect" onClick={() => void connect(wallet)}>
              Connect {wallet.name}
            </button>
          ))
        )
      ) : (
        <Connected session={session} onDisconnect={() => (session.close(), onSession(undefined))} onJoinPaid={onJoinPaid} />
      )}
    </section>
  );
}

function Connected({ session, onDisconnect, onJoinPaid }: { session: WalletSession; onDisconnect: () => void; onJoinPaid: (key: HeldKey) => void }) {
  const [balance, setBalance] = useState<bigint>();
  const [signedIn, setSignedIn] = useState(session.signedIn);
  const [contact, setContact] = useState<IssuedContact>();
  const action = useAction();

  const refreshBalance = () => {
    if (session.chain !== undefined) void session.chain.balance(address(session.address)).then(setBalance, () => undefined);
  };
  useEffect(refreshBalance, [session]);

  const signIn = () =>
    action.run("Signing in…", async () => {
      await session.signedInClient();
      setSignedIn(true);
    });
  const issue = () => action.run("Asking the gateway for a ghost contact…", async () => setContact(await session.issueContact()));

  return (
    <div>
      <p>
        Connected: <code data-testid="wallet-address">{session.address}</code>
        {balance !== undefined && (
          <span>
            {" "}
            · <span data-testid="wallet-balance">{sol(balance)}</span>
          </span>
        )}{" "}
        <button type="button" class="secondary" onClick={refreshBalance}>
          Refresh
        </button>{" "}
        <button type="button" class="secondary" onClick={onDisconnect}>
          Disconnect
        </button>
      </p>
      {action.error !== undefined && (
        <p class="error" role="alert" data-testid="wallet-error">
          {action.error}
        </p>
      )}
      {action.busy !== undefined && <p class="status">{action.busy}</p>}
      <h3>Be invited</h3>
      <p class="status">
        Share a ghost contact with whoever pays for a paid room. It names no wallet: your key goes to a one-time address only this
        wallet can find. Asking for it signs a fixed text that moves no funds.
      </p>
      {contact === undefined ? (
        <button type="button" data-testid="ghost-show" disabled={action.busy !== undefined} onClick={() => void issue()}>
          Show my ghost contact
        </button>
      ) : (
        <div>
          <code class="ghost" data-testid="ghost-contact" data-index={contact.index}>
            {contact.text}
          </code>
          <button type="button" onClick={() => void navigator.clipboard?.writeText(contact.text)}>
            Copy
          </button>{" "}
          <button type="button" class="secondary" data-testid="ghost-rotate" disabled={action.busy !== undefined} onClick={() => void issue()}>
            New contact
          </button>
        </div>
      )}
      <KeysPanel session={session} onJoin={onJoinPaid} />
      <h3>Pay for a paid room</h3>
      <p>
        {signedIn ? (
          <span data-testid="wallet-signed-in">Signed in: this wallet pays for the rooms it creates.</span>
        ) : (
          <button type="button" class="secondary" data-testid="wallet-sign-in" disabled={action.busy !== undefined} onClick={() => void signIn()}>
            Sign in with {session.wallet.name}
          </button>
        )}
      </p>
      <PaidRoomForm session={session} onCreated={() => (setSignedIn(session.signedIn), refreshBalance())} />
    </div>
  );
}
