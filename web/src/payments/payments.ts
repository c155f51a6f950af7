// In-chat payments (client-sdk/src/payments): the sender locks lamports on chain for a
// one-time claim key and sends the key's secret to one member inside the end-to-end
// encrypted chat. Whoever holds the voucher claims to any address; after expiry the sender
// takes the money back. The sender also puts a float on the claim key (the rent-exempt
// minimum plus one signature fee), so the claim key pays its own fee and sweeps the float to
// the recipient: the recipient's wallet may hold 0 lamports, and no wallet of theirs signs.
import { ed25519 } from "@noble/curves/ed25519.js";
import { address, createNoopSigner, type Address } from "@solana/kit";
import { getTransferSolInstruction } from "@solana-program/system";

import { decodePayment, paymentAddress, paymentClaim, paymentDeposit, paymentReclaim, type PaymentVault } from "../chain/program.js";
import type { Chain } from "../chain/rpc.js";
import { buildTransaction, sendWithWallet, signWithSeeds } from "../chain/transaction.js";
import { randomBytes, toBase58 } from "../mls/bytes.js";
import type { PaymentVoucher } from "../mls/content.js";
import type { WalletSession } from "../wallet/session.js";

/** The fee for one signature on every Solana cluster today. */
export const SIGNATURE_FEE = 5_000n;
/** How long a payment stays claimable before the sender may reclaim it (the CLI's default). */
export const DEFAULT_EXPIRY_SECS = 86_400;

export const claimKeyOf = (voucher: PaymentVoucher): Address => address(toBase58(ed25519.getPublicKey(voucher.claimSecret)));

const nowSecs = () => BigInt(Math.floor(Date.now() / 1000));

/** Locks `lamports` from the connected wallet for a fresh claim key, funds the claim key's
 * float in the same transaction, and returns the voucher to send to the recipient. */
export async function sendPayment(session: WalletSession, lamports: bigint, expirySecs = DEFAULT_EXPIRY_SECS): Promise<PaymentVoucher> {
  const chain = session.requireChain();
  const voucher: PaymentVoucher = {
    claimSecret: randomBytes(32),
    lamports,
    expiry: nowSecs() + BigInt(expirySecs),
    cluster: chain.cluster,
  };
  const depositor = address(session.address);
  const claimKey = claimKeyOf(voucher);
  const float = (await chain.rentExemption(0)) + SIGNATURE_FEE;
  const fundFloat = getTransferSolInstruction({ source: createNoopSigner(depositor), destination: claimKey, amount: float });
  await session.send([await paymentDeposit(depositor, claimKey, lamports, voucher.expiry), fundFloat]);
  return voucher;
}

export class PaymentGone extends Error {
  constructor() {
    super("That payment is no longer on chain (already claimed or reclaimed).");
  }
}

/** The payment account a voucher unlocks, as it stands on chain. */
export async function paymentVault(chain: Chain, voucher: PaymentVoucher): Promise<PaymentVault> {
  const account = await chain.account(await paymentAddress(claimKeyOf(voucher)));
  if (account === undefined) throw new PaymentGone();
  return decodePayment(account.owner, account.data);
}

/** Claims `voucher` to `recipient`; returns the amount. The claim key pays the fee from its
 * float and sweeps the rest of it to `recipient`; without a float, the connected wallet pays. */
export async function claimPayment(chain: Chain, voucher: PaymentVoucher, recipient: Address, session?: WalletSession): Promise<bigint> {
  if (voucher.cluster !== chain.cluster) {
    throw new Error(`The payment lives on ${voucher.cluster}, but this page talks to ${chain.cluster}.`);
  }
  const vault = await paymentVault(chain, voucher);
  const claimKey = claimKeyOf(voucher);
  const claim = await paymentClaim(claimKey, recipient, vault.depositor);
  const float = await chain.balance(claimKey);
  if (float > SIGNATURE_FEE) {
    const sweep = getTransferSolInstruction({ source: createNoopSigner(claimKey), destination: recipient, amount: float - SIGNATURE_FEE });
    const transaction = await buildTransaction(chain, claimKey, [claim, sweep]);
    await chain.sendAndConfirm(await signWithSeeds(transaction, [voucher.claimSecret]));
  } else {
    if (session === undefined) throw new Error("The claim key holds no fee float: connect a wallet to pay the claim's fee.");
    const transaction = await buildTransaction(chain, address(session.address), [claim]);
    await sendWithWallet(session.wallet, session.account, chain, await signWithSeeds(transaction, [voucher.claimSecret]));
  }
  return vault.amount;
}

/** Takes back an expired payment with its float, signed by the depositor's wallet. */
export async function reclaimPayment(session: WalletSession, voucher: PaymentVoucher): Promise<bigint> {
  const chain = session.requireChain();
  const left = voucher.expiry - nowSecs();
  if (left > 0n) throw new Error(`The payment can still be claimed for ${left} s; reclaim after that.`);
  const vault = await paymentVault(chain, voucher);
  const claimKey = claimKeyOf(voucher);
  const depositor = address(session.address);
  const instructions = [await paymentReclaim(depositor, claimKey)];
  const float = await chain.balance(claimKey);
  if (float > 0n) {
    instructions.push(getTransferSolInstruction({ source: createNoopSigner(claimKey), destination: depositor, amount: float }));
  }
  const transaction = await buildTransaction(chain, depositor, instructions);
  const signed = float > 0n ? await signWithSeeds(transaction, [voucher.claimSecret]) : transaction;
  await sendWithWallet(session.wallet, session.account, chain, signed);
  return vault.amount;
}
