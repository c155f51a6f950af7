// A connected wallet for the session (memory only): the account it shared, its holder root
// once it signed the fixed holder text, a connection signed in with it when the person pays
// for a paid room, and transactions it signs. The page reaches the wallet only through
// wallet-standard features, by name.
import type { Instruction } from "@solana/kit";
import { address } from "@solana/kit";
import { SolanaSignMessage, type SolanaSignMessageFeature } from "@solana/wallet-standard-features";
import type { Wallet, WalletAccount } from "@wallet-standard/base";
import { StandardConnect, type StandardConnectFeature } from "@wallet-standard/features";

import { PROGRAM_ID } from "../chain/program.js";
import type { Chain } from "../chain/rpc.js";
import { buildTransaction, sendWithWallet } from "../chain/transaction.js";
import { GatewayClient } from "../gateway/client.js";
import { utf8 } from "../mls/bytes.js";
import { formatContact } from "../paid/contact.js";
import { nextContactIndex } from "../paid/held.js";
import { HolderRoot, holderRootMessage } from "../paid/holder.js";
import { signIn } from "./signIn.js";

/** A ghost contact the gateway issued for holder `index` of this wallet. */
export interface IssuedContact {
  text: string;
  index: number;
}

export class WalletSession {
  #root?: HolderRoot;
  #signedIn?: GatewayClient;

  private constructor(
    readonly wallet: Wallet,
    readonly account: WalletAccount,
    readonly gatewayUrl: string,
    readonly chainId: string,
    /** The chain, when the gateway names an RPC URL for the page; paid rooms need it. */
    readonly chain: Chain | undefined,
  ) {}

  /** Asks `wallet` to connect and share an account. */
  static async connect(wallet: Wallet, gatewayUrl: string, chainId: string, chain: Chain | undefined): Promise<WalletSession> {
    const { accounts } = await (wallet.features as StandardConnectFeature)[StandardConnect].connect();
    const account = accounts[0];
    if (account === undefined) throw new Error("The wallet shared no account.");
    return new WalletSession(wallet, account, gatewayUrl, chainId, chain);
  }

  get address(): string {
    return this.account.address;
  }

  get signedIn(): boolean {
    return this.#signedIn !== undefined && this.#signedIn.isOpen;
  }

  /** The chain, or a sentence saying why paid rooms and payments are off. */
  requireChain(): Chain {
    if (this.chain === undefined) {
      throw new Error("This gateway names no Solana RPC URL for the page (--web-rpc-url): paid rooms and payments are off.");
    }
    return this.chain;
  }

  /** The holder root: the wallet signs the fixed holder text once per session. */
  async holderRoot(): Promise<HolderRoot> {
    if (this.#root !== undefined) return this.#root;
    if (!(SolanaSignMessage in this.wallet.features)) {
      throw new Error(`${this.wallet.name} cannot sign messages (solana:signMessage), which finding your room keys needs.`);
    }
    const feature = (this.wallet.features as SolanaSignMessageFeature)[SolanaSignMessage];
    const [output] = await feature.signMessage({ account: this.account, message: utf8(holderRootMessage(PROGRAM_ID)) });
    if (output === undefined) throw new Error("The wallet returned no signature.");
    this.#root = HolderRoot.fromSignature(output.signature);
    return this.#root;
  }

  /** A connection signed in with this wallet (SIWS, checked first), opened if needed. */
  async signedInClient(): Promise<GatewayClient> {
    if (this.#signedIn !== undefined && this.#signedIn.isOpen) return this.#signedIn;
    const client = await GatewayClient.connect(this.gatewayUrl);
    try {
      await signIn(this.wallet, this.account, client, this.chainId);
    } catch (error) {
      client.close();
      throw error;
    }
    this.#signedIn = client;
    return client;
  }

  /** A fresh ghost contact: the next unused holder index, sealed by the gateway into a new
   * ghostId. Asking again gives a new ghostId (and usually a new index). */
  async issueContact(): Promise<IssuedContact> {
    const root = await this.holderRoot();
    const index = await nextContactIndex(this.requireChain(), root);
    const client = await GatewayClient.connect(this.gatewayUrl);
    try {
      const ghostId = await client.issueGhost(root.holder(index));
      return { text: formatContact({ ghostId, inviteKey: root.inviteKey(index).publicKey }), index };
    } finally {
      client.close();
    }
  }

  /** Has the wallet pay for and sign `instructions`, and waits for them to land. */
  async send(instructions: Instruction[]): Promise<string> {
    const chain = this.requireChain();
    const transaction = await buildTransaction(chain, address(this.address), instructions);
    return sendWithWallet(this.wallet, this.account, chain, transaction);
  }

  close(): void {
    this.#signedIn?.close();
    this.#signedIn = undefined;
  }
}
