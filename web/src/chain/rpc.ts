// The chain as the page reads it: the gateway's `--web-rpc-url` over JSON-RPC (@solana/kit),
// the only origin besides the gateway that the page's Content-Security-Policy allows. The
// page polls for confirmations rather than opening a PubSub socket, which the policy would
// have to allow too.
import {
  createSolanaRpc,
  getBase64EncodedWireTransaction,
  getBase64Encoder,
  getSignatureFromTransaction,
  lamports,
  signature as toSignature,
  type Address,
  type Base64EncodedWireTransaction,
  type Blockhash,
  type Transaction,
} from "@solana/kit";

/** How long a transaction may take to confirm before the page gives up waiting. */
export const CONFIRM_TIMEOUT_MS = 60_000;
const POLL_MS = 400;

export interface AccountBytes {
  owner: Address;
  lamports: bigint;
  data: Uint8Array;
}

export class ChainError extends Error {
  override name = "ChainError";
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const base64 = getBase64Encoder();

/** The cluster a chain id names, as payment vouchers name it (`client-sdk` `cluster_of`). */
export function clusterOf(chainId: string): string {
  const name = chainId.replace(/^solana:/, "");
  return name === "mainnet" ? "mainnet-beta" : name;
}

export class Chain {
  readonly #rpc: ReturnType<typeof createSolanaRpc>;

  constructor(
    readonly url: string,
    /** The SIWS chain id the gateway names, e.g. `solana:localnet`. */
    readonly chainId: string,
  ) {
    this.#rpc = createSolanaRpc(url);
  }

  /** The cluster name payment vouchers carry. */
  get cluster(): string {
    return clusterOf(this.chainId);
  }

  async #call<T>(what: string, request: { send(): Promise<T> }): Promise<T> {
    try {
      return await request.send();
    } catch (error) {
      throw new ChainError(`Cannot ${what} at ${this.url}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async latestBlockhash(): Promise<{ blockhash: Blockhash; lastValidBlockHeight: bigint }> {
    return (await this.#call("read a recent blockhash", this.#rpc.getLatestBlockhash({ commitment: "confirmed" }))).value;
  }

  async balance(account: Address): Promise<bigint> {
    return (await this.#call("read a balance", this.#rpc.getBalance(account, { commitment: "confirmed" }))).value;
  }

  async rentExemption(space: number): Promise<bigint> {
    return this.#call("read the rent", this.#rpc.getMinimumBalanceForRentExemption(BigInt(space)));
  }

  /** Many accounts in one `getMultipleAccounts` (at most 100), `undefined` for missing ones. */
  async accounts(addresses: Address[]): Promise<(AccountBytes | undefined)[]> {
    const { value } = await this.#call(
      "read accounts",
      this.#rpc.getMultipleAccounts(addresses, { encoding: "base64", commitment: "confirmed" }),
    );
    return value.map((account) =>
      account === null
        ? undefined
        : { owner: account.owner, lamports: account.lamports, data: base64.encode(account.data[0]) as Uint8Array },
    );
  }

  async account(address: Address): Promise<AccountBytes | undefined> {
    return (await this.accounts([address]))[0];
  }

  /** Sends a signed transaction and waits until it is confirmed; returns its signature. */
  async sendAndConfirm(transaction: Transaction): Promise<string> {
    const wire: Base64EncodedWireTransaction = getBase64EncodedWireTransaction(transaction);
    await this.#call(
      "send the transaction",
      this.#rpc.sendTransaction(wire, { encoding: "base64", preflightCommitment: "confirmed" }),
    );
    const signature = getSignatureFromTransaction(transaction);
    await this.confirm(signature);
    return signature;
  }

  /** Waits until `signature` is confirmed; a failed transaction throws with its error. */
  async confirm(signature: string, limitMs = CONFIRM_TIMEOUT_MS): Promise<void> {
    const deadline = Date.now() + limitMs;
    while (Date.now() < deadline) {
      const { value } = await this.#call("read a transaction's status", this.#rpc.getSignatureStatuses([toSignature(signature)]));
      const status = value[0];
      if (status?.err) throw new ChainError(`The transaction failed on chain: ${JSON.stringify(status.err, bigintJson)}`);
      if (status?.confirmationStatus === "confirmed" || status?.confirmationStatus === "finalized") return;
      await sleep(POLL_MS);
    }
    throw new ChainError(`The transaction was not confirmed within ${limitMs / 1000} s.`);
  }

  /** Polls until `address` holds an account (e.g. an escrow paid from a phone), up to `limitMs`. */
  async waitForAccount(address: Address, limitMs: number, stop?: () => boolean): Promise<AccountBytes> {
    const deadline = Date.now() + limitMs;
    while (Date.now() < deadline && stop?.() !== true) {
      const found = await this.account(address);
      if (found !== undefined) return found;
      await sleep(1_000);
    }
    throw new ChainError("No payment arrived in time; nothing was charged.");
  }
}

const bigintJson = (_key: string, value: unknown) => (typeof value === "bigint" ? value.toString() : value);

/** Lamports as SOL without rounding ("0.25 SOL"), as the CLI writes them. */
export function sol(amount: bigint): string {
  const whole = amount / 1_000_000_000n;
  const fraction = amount % 1_000_000_000n;
  if (fraction === 0n) return `${whole} SOL`;
  return `${whole}.${fraction.toString().padStart(9, "0").replace(/0+$/, "")} SOL`;
}

/** An amount of SOL ("0.25", "2") in lamports, exactly; throws a sentence otherwise. */
export function parseSol(text: string): bigint {
  const bad = () => new Error(`Not an amount of SOL: "${text}" (for example 0.25).`);
  const trimmed = text.trim();
  if (!/^\d*(\.\d{0,9})?$/.test(trimmed) || trimmed === "" || trimmed === ".") throw bad();
  const [whole = "", fraction = ""] = trimmed.split(".");
  const amount = BigInt(whole === "" ? "0" : whole) * 1_000_000_000n + BigInt(fraction.padEnd(9, "0"));
  if (amount === 0n) throw new Error("The amount must be more than zero.");
  if (amount > 0xffff_ffff_ffff_ffffn) throw bad();
  return lamports(amount);
}
