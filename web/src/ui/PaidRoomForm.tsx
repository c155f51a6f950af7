// A new paid room: its name and the invitees' ghost contacts, then the escrow paid with the
// connected wallet or from a phone (a Solana Pay QR code, the page waiting for the escrow),
// then progress while the gateway locks the escrow and mints, and which invitees got a key.
import { useState } from "preact/hooks";
import QRCode from "qrcode";

import { createPaidRoom, type CreateStep, type CreatedPaidRoom, type Funding } from "../paid/create.js";
import type { WalletSession } from "../wallet/session.js";
import { useAction } from "./useAction.js";

function stepText(step: CreateStep): string {
  switch (step.step) {
    case "funding":
      return "Paying the escrow: confirm in your wallet…";
    case "phone":
      return "Scan the code with the phone wallet of this account; this page waits for the escrow to appear on chain…";
    case "signing-in":
      return "Signing in with the paying wallet…";
    case "minting":
      return `The gateway locks the escrow and mints ${step.keys} key${step.keys === 1 ? "" : "s"} (a few seconds each)…`;
  }
}

export function PaidRoomForm({ session, onCreated }: { session: WalletSession; onCreated: () => void }) {
  const [name, setName] = useState("");
  const [contacts, setContacts] = useState("");
  const [step, setStep] = useState<CreateStep>();
  const [qr, setQr] = useState<{ link: string; image: string }>();
  const [created, setCreated] = useState<CreatedPaidRoom>();
  const action = useAction();

  const onStep = (next: CreateStep) => {
    setStep(next);
    if (next.step === "phone") {
      void QRCode.toDataURL(next.link, { errorCorrectionLevel: "M", margin: 4, width: 256 }).then((image) => setQr({ link: next.link, image }));
    } else {
      setQr(undefined);
    }
  };

  const create = (funding: Funding) =>
    action.run("Creating the paid room…", async () => {
      setCreated(undefined);
      try {
        setCreated(await createPaidRoom(session, name.trim(), contacts, funding, onStep));
        onCreated();
      } finally {
        setStep(undefined);
        setQr(undefined);
      }
    });

  const busy = action.busy !== undefined;
  return (
    <form class="paid" data-testid="paid-form" onSubmit={(e) => (e.preventDefault(), void create("wallet"))}>
      <input data-testid="paid-name" placeholder="Room name (1 to 32 bytes, only invitees see it)" value={name} onInput={(e) => setName(e.currentTarget.value)} />
      <textarea
        data-testid="paid-contacts"
        rows={3}
        placeholder="Invitees' ghost contacts, one per line"
        spellcheck={false}
        value={contacts}
        onInput={(e) => setContacts(e.currentTarget.value)}
      />
      <button type="submit" data-testid="paid-pay" disabled={busy}>
        Pay with {session.wallet.name}
      </button>
      <button type="button" class="secondary" data-testid="paid-pay-phone" disabled={busy} onClick={() => void create("phone")}>
        Pay from a phone (Solana Pay)
      </button>
      {step !== undefined && (
        <p class="status" data-testid="paid-progress" data-step={step.step} aria-busy="true">
          {stepText(step)}
        </p>
      )}
      {qr !== undefined && (
        <figure class="qr">
          <img data-testid="paid-qr" src={qr.image} alt="Solana Pay code for the escrow deposit" data-link={qr.link} />
          <figcaption>
            <a href={qr.link}>Open in a wallet on this device</a>
          </figcaption>
        </figure>
      )}
      {action.error !== undefined && (
        <p class="error" role="alert" data-testid="paid-error">
          {action.error}
        </p>
      )}
      {created !== undefined && (
        <div data-testid="paid-created">
          <p>Paid room created. Each invitee finds its key under “Your keys”.</p>
          <ul>
            {created.minted.map((minted, i) => (
              <li data-testid="paid-minted" data-minted={String(minted)}>
                Invitee {i + 1}: {minted ? "key minted" : "no key (contact expired, from another gateway, or already holding one): not charged"}
              </li>
            ))}
          </ul>
          <p class="status">
            Escrow nonce <code>{created.nonce}</code>: the gateway settles it from chain state; unused keys are refunded.
          </p>
        </div>
      )}
    </form>
  );
}
