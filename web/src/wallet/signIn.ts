// Wallet sign-in (docs/protocol.md §1, §2.2): the gateway's SIWS message is checked before
// the wallet signs it (domain, URI, address, chain id, nonce, statement and a short window),
// then signed with `solana:signIn` where the wallet offers it (the wallet writes the same
// text from the checked fields, and the page makes sure it did) or `solana:signMessage`.
import type { Wallet, WalletAccount } from "@wallet-standard/base";
import {
  SolanaSignIn,
  SolanaSignMessage,
  type SolanaSignInFeature,
  type SolanaSignMessageFeature,
} from "@solana/wallet-standard-features";
import { StandardConnect, type StandardConnectFeature } from "@wallet-standard/features";

import type { GatewayClient } from "../gateway/client.js";
import { toBase58, utf8 } from "../mls/bytes.js";
import { SignInRefused, checkSiws, type SiwsMessage } from "../protocol/siws.js";

export interface SignedIn {
  account: WalletAccount;
  ghostId: string;
}

interface Challenge {
  message: string;
  nonce: string;
}

async function fetchChallenge(origin: string, address: string): Promise<Challenge> {
  const response = await fetch(`${origin}/v1/auth/challenge`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ address }),
    credentials: "omit",
    referrerPolicy: "no-referrer",
  });
  const body = (await response.json()) as Partial<Challenge> & { message?: string };
  if (!response.ok || typeof body.message !== "string" || typeof body.nonce !== "string") {
    throw new Error(`The gateway gave no sign-in challenge: ${body.message ?? response.status}`);
  }
  return { message: body.message, nonce: body.nonce };
}

/** The timestamp exactly as the message writes it (the wallet must write the same text). */
function line(text: string, name: string): string | undefined {
  return text.split("\n").find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2);
}

const equalBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

async function signWithWallet(wallet: Wallet, account: WalletAccount, message: string, checked: SiwsMessage): Promise<Uint8Array> {
  const text = utf8(message);
  if (SolanaSignIn in wallet.features) {
    const [output] = await (wallet.features as SolanaSignInFeature)[SolanaSignIn].signIn({
      domain: checked.domain,
      address: account.address,
      statement: checked.statement,
      uri: checked.uri,
      version: "1",
      chainId: checked.chainId,
      nonce: checked.nonce,
      issuedAt: line(message, "Issued At"),
      expirationTime: line(message, "Expiration Time"),
      notBefore: line(message, "Not Before"),
    });
    if (output === undefined || !equalBytes(output.signedMessage, text)) {
      throw new SignInRefused("The wallet signed another text than the sign-in message this page checked.");
    }
    return output.signature;
  }
  const [output] = await (wallet.features as SolanaSignMessageFeature)[SolanaSignMessage].signMessage({ account, message: text });
  if (output === undefined) throw new Error("The wallet returned no signature.");
  return output.signature;
}

/** Connects `wallet`, checks the gateway's sign-in message, has the wallet sign it, and
 * signs in on `client`'s connection. Returns the account and its first ghostId. */
export async function signIn(wallet: Wallet, client: GatewayClient, chainId: string): Promise<SignedIn> {
  const { accounts } = await (wallet.features as StandardConnectFeature)[StandardConnect].connect();
  const account = accounts[0];
  if (account === undefined) throw new Error("The wallet shared no account.");
  const origin = window.location.origin;
  const { message, nonce } = await fetchChallenge(origin, account.address);
  const checked = checkSiws(message, { domain: window.location.host, uri: origin, address: account.address, chainId, nonce });
  const signature = await signWithWallet(wallet, account, message, checked);
  const reply = await client.request({ type: "auth", message, signature: toBase58(signature) });
  if (reply.type !== "authenticated") throw new Error(`Unexpected answer from the gateway: ${reply.type}`);
  return { account, ghostId: reply.ghost_id };
}

/** Asks the gateway for a fresh ghostId. */
export async function rotateGhost(client: GatewayClient): Promise<string> {
  const reply = await client.request({ type: "ghost_rotate" });
  if (reply.type !== "ghost") throw new Error(`Unexpected answer from the gateway: ${reply.type}`);
  return reply.ghost_id;
}
