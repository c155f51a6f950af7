// Wallet sign-in on the start screen: the wallets wallet-standard discovered, a sign-in
// checked before signing, then the ghostId (to share with whoever pays for a paid room)
// with a copy button and a rotate button. Paid rooms themselves come with issue 17.
import type { Wallet } from "@wallet-standard/base";
import { useEffect, useState } from "preact/hooks";

import { GatewayClient } from "../gateway/client.js";
import { watchWallets } from "../wallet/discovery.js";
import { rotateGhost, signIn } from "../wallet/signIn.js";

interface Session {
  client: GatewayClient;
  address: string;
  ghostId: string;
}

export function WalletPanel({ gatewayUrl, chainId }: { gatewayUrl: string; chainId: string }) {
  const [wallets, setWallets] = useState<Wallet[]>([]);
  const [session, setSession] = useState<Session>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => watchWallets(setWallets), []);
  useEffect(() => {
    if (session === undefined) return;
    // The gateway pushes a fresh ghostId every period.
    session.client.listen((event) => {
      if (event.kind === "message" && event.message.type === "ghost") {
        const ghostId = event.message.ghost_id;
        setSession((s) => (s === undefined ? s : { ...s, ghostId }));
      }
    });
    return () => session.client.close();
  }, [session?.client]);

  const connect = async (wallet: Wallet) => {
    setBusy(true);
    setError(undefined);
    let client: GatewayClient | undefined;
    try {
      client = await GatewayClient.connect(gatewayUrl);
      const signed = await signIn(wallet, client, chainId);
      setSession({ client, address: signed.account.address, ghostId: signed.ghostId });
    } catch (failure) {
      client?.close();
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };

  const rotate = async () => {
    if (session === undefined) return;
    try {
      const ghostId = await rotateGhost(session.client);
      setSession({ ...session, ghostId });
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };

  return (
    <section class="wallet" data-testid="wallet">
      <h2>Wallet</h2>
      {error !== undefined && (
        <p class="error" role="alert" data-testid="wallet-error">
          {error}
        </p>
      )}
      {session === undefined ? (
        wallets.length === 0 ? (
          <p class="status">No Solana wallet found in this browser.</p>
        ) : (
          wallets.map((wallet) => (
            <button type="button" key={wallet.name} disabled={busy} data-testid="wallet-connect" onClick={() => void connect(wallet)}>
              Sign in with {wallet.name}
            </button>
          ))
        )
      ) : (
        <div>
          <p>
            Signed in as <code data-testid="wallet-address">{session.address}</code>
          </p>
          <p>
            Your ghostId (share it to be invited to a paid room; it changes every few minutes):
            <code class="ghost" data-testid="ghost-id">
              {session.ghostId}
            </code>
          </p>
          <button type="button" onClick={() => void navigator.clipboard?.writeText(session.ghostId)}>
            Copy
          </button>{" "}
          <button type="button" class="secondary" data-testid="ghost-rotate" onClick={() => void rotate()}>
            New ghostId
          </button>
        </div>
      )}
    </section>
  );
}
