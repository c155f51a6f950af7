// Building transactions with @solana/kit and having them signed: by the connected wallet
// (`solana:signAndSendTransaction`, or `solana:signTransaction` and the page sends it where
// the wallet lacks the former), or by keys the page derived itself (a holder burning its
// key, a claim key releasing a payment), whose secrets never leave memory.
import {
  appendTransactionMessageInstructions,
  compileTransaction,
  createKeyPairFromPrivateKeyBytes,
  createTransactionMessage,
  getBase58Decoder,
  getTransactionDecoder,
  getTransactionEncoder,
  partiallySignTransaction,
  pipe,
  setTransactionMessageFeePayer,
  setTransactionMessageLifetimeUsingBlockhash,
  type Address,
  type Instruction,
  type Transaction,
} from "@solana/kit";
import {
  SolanaSignAndSendTransaction,
  SolanaSignTransaction,
  type SolanaSignAndSendTransactionFeature,
  type SolanaSignTransactionFeature,
} from "@solana/wallet-standard-features";
import type { Wallet, WalletAccount } from "@wallet-standard/base";

import type { Chain } from "./rpc.js";

/** A legacy transaction paid by `feePayer`, with a fresh blockhash, not yet signed. */
export async function buildTransaction(chain: Chain, feePayer: Address, instructions: Instruction[]): Promise<Transaction> {
  const { blockhash, lastValidBlockHeight } = await chain.latestBlockhash();
  const message = pipe(
    createTransactionMessage({ version: "legacy" }),
    (m) => setTransactionMessageFeePayer(feePayer, m),
    (m) => setTransactionMessageLifetimeUsingBlockhash({ blockhash, lastValidBlockHeight }, m),
    (m) => appendTransactionMessageInstructions(instructions, m),
  );
  return compileTransaction(message);
}

/** Signs `transaction` with Ed25519 seeds held in memory (holder and claim keys). */
export async function signWithSeeds(transaction: Transaction, seeds: Uint8Array[]): Promise<Transaction> {
  const pairs = await Promise.all(seeds.map((seed) => createKeyPairFromPrivateKeyBytes(seed, false)));
  return partiallySignTransaction(pairs, transaction);
}

export function canSendTransactions(wallet: Wallet): boolean {
  return SolanaSignAndSendTransaction in wallet.features || SolanaSignTransaction in wallet.features;
}

/**
 * Has the wallet sign `transaction` and sees it confirmed: `solana:signAndSendTransaction`
 * where the wallet offers it (it sends through its own RPC), else `solana:signTransaction`
 * and the page sends it. Extra signatures already on `transaction` (a claim key's) stay.
 */
export async function sendWithWallet(
  wallet: Wallet,
  account: WalletAccount,
  chain: Chain,
  transaction: Transaction,
): Promise<string> {
  const bytes = new Uint8Array(getTransactionEncoder().encode(transaction));
  const chainId = chain.chainId as `${string}:${string}`;
  if (SolanaSignAndSendTransaction in wallet.features) {
    const feature = (wallet.features as SolanaSignAndSendTransactionFeature)[SolanaSignAndSendTransaction];
    const [output] = await feature.signAndSendTransaction({
      account,
      transaction: bytes,
      chain: chainId,
      options: { commitment: "confirmed" },
    });
    if (output === undefined) throw new Error("The wallet returned no signature.");
    const signature = getBase58Decoder().decode(output.signature);
    await chain.confirm(signature);
    return signature;
  }
  if (!(SolanaSignTransaction in wallet.features)) {
    throw new Error(`${wallet.name} cannot sign transactions (it offers neither solana:signAndSendTransaction nor solana:signTransaction).`);
  }
  const feature = (wallet.features as SolanaSignTransactionFeature)[SolanaSignTransaction];
  const [output] = await feature.signTransaction({ account, transaction: bytes, chain: chainId });
  if (output === undefined) throw new Error("The wallet returned no transaction.");
  const signed = getTransactionDecoder().decode(output.signedTransaction);
  return chain.sendAndConfirm(signed);
}
