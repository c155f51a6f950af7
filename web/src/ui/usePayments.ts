// The room's payments for this session (memory only): vouchers this page sent and received,
// with what became of each. `/pay` and the pay form both come through here.
import { address } from "@solana/kit";
import { useEffect, useState } from "preact/hooks";

import { parseSol, sol, type Chain } from "../chain/rpc.js";
import type { ChatEvent, ChatRoom } from "../chat/room.js";
import type { PaymentVoucher } from "../mls/content.js";
import { claimPayment, reclaimPayment, sendPayment } from "../payments/payments.js";
import type { WalletSession } from "../wallet/session.js";

export interface SentPayment {
  id: number;
  to: number;
  voucher: PaymentVoucher;
  status: string;
}

export interface ReceivedPayment {
  id: number;
  from: number;
  voucher: PaymentVoucher;
  /** Undefined while unclaimed. */
  status?: string;
}

export interface Payments {
  sent: SentPayment[];
  received: ReceivedPayment[];
  /** Pays `member` the SOL amount `amount`; resolves to the line to show. */
  pay(member: number, amount: string): Promise<string>;
  claim(id: number, to: string): Promise<void>;
  reclaim(id: number): Promise<void>;
}

let nextId = 1;

export function usePayments(room: ChatRoom, wallet: WalletSession | undefined, chain: Chain | undefined): Payments {
  const [sent, setSent] = useState<SentPayment[]>([]);
  const [received, setReceived] = useState<ReceivedPayment[]>([]);

  useEffect(
    () =>
      room.listen((event: ChatEvent) => {
        if (event.kind === "direct" && event.content.kind === "voucher") {
          const payment = { id: nextId++, from: event.from, voucher: event.content.voucher };
          setReceived((all) => [...all, payment]);
        }
      }),
    [room],
  );

  const requireChain = () => {
    if (chain === undefined) throw new Error("This gateway names no Solana RPC URL for the page: payments are off.");
    return chain;
  };

  return {
    sent,
    received,
    async pay(member, amount) {
      if (wallet === undefined) throw new Error("Connect a wallet on the start screen to pay.");
      if (member === room.me || !room.roster().some((entry) => entry.member === member)) {
        throw new Error(`#${member} is not another member of the group.`);
      }
      const lamports = parseSol(amount);
      const voucher = await sendPayment(wallet, lamports);
      await room.sendDirect(member, { kind: "voucher", voucher });
      setSent((all) => [...all, { id: nextId++, to: member, voucher, status: "sent, not claimed yet" }]);
      return `You sent #${member} ${sol(lamports)}.`;
    },
    async claim(id, to) {
      const payment = received.find((p) => p.id === id);
      if (payment === undefined) return;
      const text = to.trim() !== "" ? to.trim() : wallet?.address;
      if (text === undefined) throw new Error("Give an address to claim to, or connect a wallet on the start screen.");
      let recipient;
      try {
        recipient = address(text);
      } catch {
        throw new Error(`Not a Solana address: ${text}`);
      }
      const amount = await claimPayment(requireChain(), payment.voucher, recipient, wallet);
      const status = `claimed ${sol(amount)} to ${recipient}`;
      setReceived((all) => all.map((p) => (p.id === id ? { ...p, status } : p)));
    },
    async reclaim(id) {
      const payment = sent.find((p) => p.id === id);
      if (payment === undefined || wallet === undefined) return;
      const amount = await reclaimPayment(wallet, payment.voucher);
      setSent((all) => all.map((p) => (p.id === id ? { ...p, status: `reclaimed ${sol(amount)}` } : p)));
    },
  };
}
