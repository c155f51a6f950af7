// The page: the start screen (create a room, join one from an invite, or use a wallet for
// paid rooms), a progress state while joining, then the room. UI framework: Preact (about
// 4 KiB gzipped): components and hooks without a compiler of its own, and nothing that needs
// eval (the page's CSP forbids it). The connected wallet lives here, in memory only, so the
// start screen and the room (payments) share it.
import { useEffect, useMemo, useState } from "preact/hooks";

import { Chain } from "../chain/rpc.js";
import { ChatRoom } from "../chat/room.js";
import { parseInvite, type Admission } from "../mls/invite.js";
import type { HeldKey } from "../paid/held.js";
import type { WalletSession } from "../wallet/session.js";
import { Home } from "./Home.js";
import { RoomScreen } from "./RoomView.js";

type Screen =
  | { kind: "home"; error?: string }
  | { kind: "busy"; what: string }
  | { kind: "room"; room: ChatRoom };

export interface PageConfig {
  gatewayUrl: string;
  chainId: string;
  /** The Solana RPC URL the gateway names for the page (`--web-rpc-url`), if any. */
  rpcUrl?: string;
}

export function App({ config, invite }: { config: PageConfig; invite?: string }) {
  const [screen, setScreen] = useState<Screen>({ kind: "home" });
  const [wallet, setWallet] = useState<WalletSession>();
  const chain = useMemo(() => (config.rpcUrl === undefined ? undefined : new Chain(config.rpcUrl, config.chainId)), [config.rpcUrl]);
  const { gatewayUrl } = config;

  const enter = async (what: string, open: () => Promise<ChatRoom>) => {
    setScreen({ kind: "busy", what });
    try {
      setScreen({ kind: "room", room: await open() });
    } catch (error) {
      setScreen({ kind: "home", error: error instanceof Error ? error.message : String(error) });
    }
  };

  const create = (admission: Admission) => enter("Creating a room…", () => ChatRoom.create(gatewayUrl, admission));

  const join = (text: string) => {
    let parsed;
    try {
      parsed = parseInvite(text);
    } catch (error) {
      setScreen({ kind: "home", error: (error as Error).message });
      return;
    }
    void enter("Proving the invite to the gateway…", () => ChatRoom.join(gatewayUrl, parsed));
  };

  const joinPaid = (key: HeldKey) =>
    enter(`Proving your key for “${key.invite.name}” to the gateway…`, () => ChatRoom.joinPaid(gatewayUrl, key));

  useEffect(() => {
    if (invite !== undefined) join(invite);
  }, []);

  // Closing the tab leaves: the socket closes, the gateway reports this member gone, and
  // the committing member removes it from the group.
  useEffect(() => {
    if (screen.kind !== "room") return;
    const onHide = () => screen.room.close();
    window.addEventListener("pagehide", onHide);
    return () => window.removeEventListener("pagehide", onHide);
  }, [screen]);

  switch (screen.kind) {
    case "home":
      return (
        <Home
          config={config}
          chain={chain}
          wallet={wallet}
          onWallet={setWallet}
          error={screen.error}
          onCreate={create}
          onJoin={join}
          onJoinPaid={joinPaid}
        />
      );
    case "busy":
      return (
        <section class="card" data-testid="progress" aria-busy="true">
          <p>{screen.what}</p>
        </section>
      );
    case "room":
      return <RoomScreen room={screen.room} wallet={wallet} chain={chain} onLeave={() => setScreen({ kind: "home" })} />;
  }
}
