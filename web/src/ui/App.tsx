// The page: the start screen (create a room, or join one from an invite), a progress state
// while joining, then the room. UI framework: Preact (about 4 KiB gzipped): components and
// hooks without a compiler of its own, and nothing that needs eval (the page's CSP forbids it).
import { useEffect, useState } from "preact/hooks";

import { ChatRoom } from "../chat/room.js";
import { parseInvite, type Admission } from "../mls/invite.js";
import { Home } from "./Home.js";
import { RoomScreen } from "./RoomView.js";

type Screen =
  | { kind: "home"; error?: string }
  | { kind: "busy"; what: string }
  | { kind: "room"; room: ChatRoom };

export function App({ gatewayUrl, chainId, invite }: { gatewayUrl: string; chainId: string; invite?: string }) {
  const [screen, setScreen] = useState<Screen>({ kind: "home" });

  const enter = async (what: string, open: () => Promise<ChatRoom>) => {
    setScreen({ kind: "busy", what });
    try {
      setScreen({ kind: "room", room: await open() });
    } catch (error) {
      setScreen({ kind: "home", error: error instanceof Error ? error.message : String(error) });
    }
  };

  const create = (admission: Admission) =>
    enter("Creating a room…", () => ChatRoom.create(gatewayUrl, admission));

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
      return <Home gatewayUrl={gatewayUrl} chainId={chainId} error={screen.error} onCreate={create} onJoin={join} />;
    case "busy":
      return (
        <section class="card" data-testid="progress" aria-busy="true">
          <p>{screen.what}</p>
        </section>
      );
    case "room":
      return <RoomScreen room={screen.room} onLeave={() => setScreen({ kind: "home" })} />;
  }
}
