// Wallet sign-in (docs/protocol.md §1, §2.2): the gateway's SIWS message is checked before
// the wallet signs it (domain, URI, address, chain id, nonce, statement and a short window),
// then signed with `solana:signIn` where the wallet offers it (the wallet writes the same
// text from the checked fields, and the page makes sure it did) or `solana:signMessage`.
// Only an initiator signs in, on the connection that then creates its paid room.
import type { Wallet, WalletAccount } from "@wallet-standard/base";
import {
  SolanaSignIn,
  SolanaSignMessage,
  type SolanaSignInFeature,
  type SolanaSignMessageFeature,
} from "@solana/wallet-standard-features";

import type { GatewayClient } from "../gateway/client.js";
import { toBase58, utf8 } from "../mls/bytes.js";
import { SignInRefused, checkSiws, type SiwsMessage } from "../protocol/siws.js";

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

/** Checks the gateway's sign-in message for `account`, has the wallet sign it, and signs in
 * on `client`'s connection. Only an initiator signs in: the escrow it spends is its wallet's. */
export async function signIn(wallet: Wallet, account: WalletAccount, client: GatewayClient, chainId: string): Promise<void> {
  const origin = window.location.origin;
  const { message, nonce } = await fetchChallenge(origin, account.address);
  const checked = checkSiws(message, { domain: window.location.host, uri: origin, address: account.address, chainId, nonce });
  const signature = await signWithWallet(wallet, account, message, checked);
  const reply = await client.request({ type: "auth", message, signature: toBase58(signature) });
  if (reply.type !== "authenticated") throw new Error(`Unexpected answer from the gateway: ${reply.type}`);
}
