// The paid-room keys the connected wallet holds: found from the wallet alone (its holder
// addresses, scanned on chain), each opened with its invite key to show the room's name.
// Join a room with one, or burn one to give the gateway its rent back.
import { useState } from "preact/hooks";

import { burnKey } from "../paid/burn.js";
import { heldKeys, type HeldKey } from "../paid/held.js";
import type { WalletSession } from "../wallet/session.js";
import { useAction } from "./useAction.js";

export function KeysPanel({ session, onJoin }: { session: WalletSession; onJoin: (key: HeldKey) => void }) {
  const [keys, setKeys] = useState<HeldKey[]>();
  const [note, setNote] = useState<string>();
  const action = useAction();

  const find = () =>
    action.run("Looking for this wallet's keys on chain…", async () => {
      setNote(undefined);
      setKeys(await heldKeys(session.requireChain(), await session.holderRoot()));
    });

  const burn = (key: HeldKey) =>
    action.run(`Burning the key of “${key.invite.name}”…`, async () => {
      await burnKey(session.requireChain(), window.location.origin, key);
      setKeys((all) => all?.filter((k) => k.index !== key.index));
      setNote(`The key of “${key.invite.name}” is burned; the gateway took back the rent it paid.`);
    });

  return (
    <div class="keys">
      <h3>Your keys</h3>
      <button type="button" class="secondary" data-testid="keys-find" disabled={action.busy !== undefined} onClick={() => void find()}>
        {keys === undefined ? "Find my keys" : "Look again"}
      </button>
      {action.busy !== undefined && <p class="status">{action.busy}</p>}
      {action.error !== undefined && (
        <p class="error" role="alert" data-testid="keys-error">
          {action.error}
        </p>
      )}
      {note !== undefined && (
        <p class="status" data-testid="keys-note">
          {note}
        </p>
      )}
      {keys !== undefined && keys.length === 0 && (
        <p class="status" data-testid="keys-none">
          This wallet holds no AnoGhost keys. Share your ghost contact with a room's initiator to be invited.
        </p>
      )}
      {keys !== undefined && keys.length > 0 && (
        <ul data-testid="keys">
          {keys.map((key) => (
            <li key={key.index} data-testid="key-item" data-name={key.invite.name}>
              <strong>{key.invite.name}</strong>{" "}
              <button type="button" data-testid="key-join" disabled={action.busy !== undefined} onClick={() => onJoin(key)}>
                Join
              </button>{" "}
              <button type="button" class="secondary" data-testid="key-burn" disabled={action.busy !== undefined} onClick={() => void burn(key)}>
                Burn
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
