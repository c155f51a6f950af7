// Payments in the room: pay a member from the connected wallet (or type `/pay #1234 0.25`),
// and claim what others sent, to the connected wallet or to any address (a fresh one
// holding nothing works: the claim pays its own fee).
import { useState } from "preact/hooks";

import { sol } from "../chain/rpc.js";
import type { ChatRoom } from "../chat/room.js";
import type { WalletSession } from "../wallet/session.js";
import { useAction } from "./useAction.js";
import type { Payments, ReceivedPayment } from "./usePayments.js";

const when = (expiry: bigint) => new Date(Number(expiry) * 1000).toLocaleString();

export function PaymentsPanel({ room, wallet, payments }: { room: ChatRoom; wallet?: WalletSession; payments: Payments }) {
  const others = room.roster().filter((entry) => entry.member !== room.me);
  const [to, setTo] = useState<number>();
  const [amount, setAmount] = useState("");
  const [done, setDone] = useState<string>();
  const action = useAction();
  const member = to ?? others[0]?.member;

  const pay = (e: Event) => {
    e.preventDefault();
    if (member === undefined) return;
    void action.run("Paying: confirm in your wallet…", async () => {
      setDone(await payments.pay(member, amount));
      setAmount("");
    });
  };

  return (
    <section class="payments" data-testid="payments">
      <h2>Payments</h2>
      {wallet === undefined ? (
        <p class="status">Connect a wallet on the start screen to pay members; anyone can claim a payment sent to them.</p>
      ) : (
        <form onSubmit={pay}>
          <select data-testid="pay-member" value={member} onChange={(e) => setTo(Number(e.currentTarget.value))}>
            {others.map((entry) => (
              <option value={entry.member}>#{entry.member}</option>
            ))}
          </select>
          <input data-testid="pay-amount" placeholder="SOL, e.g. 0.25" inputMode="decimal" value={amount} onInput={(e) => setAmount(e.currentTarget.value)} />
          <button type="submit" data-testid="pay-send" disabled={action.busy !== undefined || member === undefined}>
            Pay
          </button>
        </form>
      )}
      {action.busy !== undefined && <p class="status">{action.busy}</p>}
      {action.error !== undefined && (
        <p class="error" role="alert" data-testid="pay-error">
          {action.error}
        </p>
      )}
      {done !== undefined && <p data-testid="pay-done">{done}</p>}
      <ul class="payment-list">
        {payments.sent.map((p) => (
          <li data-testid="payment-sent" key={p.id}>
            To #{p.to}: {sol(p.voucher.lamports)} · {p.status} · reclaimable after {when(p.voucher.expiry)}
          </li>
        ))}
        {payments.received.map((p) => (
          <Received key={p.id} payment={p} wallet={wallet} payments={payments} />
        ))}
      </ul>
    </section>
  );
}

function Received({ payment, wallet, payments }: { payment: ReceivedPayment; wallet?: WalletSession; payments: Payments }) {
  const [to, setTo] = useState("");
  const action = useAction();
  const claim = (e: Event) => {
    e.preventDefault();
    void action.run("Claiming…", () => payments.claim(payment.id, to));
  };
  return (
    <li data-testid="payment-received" data-from={payment.from} data-status={payment.status ?? "open"}>
      #{payment.from} sent you {sol(payment.voucher.lamports)} on {payment.voucher.cluster}
      {payment.status !== undefined ? (
        <span data-testid="claim-status"> · {payment.status}</span>
      ) : (
        <form onSubmit={claim}>
          <input
            data-testid="claim-address"
            placeholder={wallet !== undefined ? `to ${wallet.address} (your wallet), or another address` : "address to claim to"}
            autocomplete="off"
            spellcheck={false}
            value={to}
            onInput={(e) => setTo(e.currentTarget.value)}
          />
          <button type="submit" data-testid="claim" disabled={action.busy !== undefined}>
            Claim
          </button>
          <small> before {when(payment.voucher.expiry)}</small>
        </form>
      )}
      {action.busy !== undefined && <span class="status"> {action.busy}</span>}
      {action.error !== undefined && (
        <p class="error" role="alert" data-testid="claim-error">
          {action.error}
        </p>
      )}
    </li>
  );
}
