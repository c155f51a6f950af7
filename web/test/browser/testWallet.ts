// A test wallet that registers itself through wallet-standard in the page, as an extension
// would (the `wallet-standard:register-wallet` / `app-ready` events), and holds a real
// Ed25519 keypair in WebCrypto: it signs for real, and the gateway and the chain verify it.
// It offers `solana:signIn` (writing the SIWS text from the fields, as wallets do),
// `solana:signMessage`, `solana:signTransaction` and `solana:signAndSendTransaction`, as a
// test chooses. Like an extension, it sends transactions through its own RPC connection,
// outside the page (a function Playwright exposes, which posts to the localnet).
import { ed25519 } from "@noble/curves/ed25519.js";
import { base58, base64urlnopad } from "@scure/base";
import type { BrowserContext } from "playwright-core";

export type WalletFeature = "solana:signIn" | "solana:signMessage" | "solana:signTransaction" | "solana:signAndSendTransaction";

export interface TestWallet {
  address: string;
  /** Signs a wire transaction with this wallet's key, outside any page (the same account on
   * a phone that scanned a Solana Pay code). */
  signWire(bytes: Uint8Array): Uint8Array;
  /** Installs the wallet into every page of `context` (before the page's own script runs). */
  install(context: BrowserContext): Promise<void>;
}

const SEND_BINDING = "__anoghostTestWalletSend";

function compactU16(bytes: Uint8Array, at: number): [number, number] {
  let value = 0;
  let shift = 0;
  let i = at;
  for (;;) {
    const b = bytes[i++]!;
    value |= (b & 0x7f) << shift;
    if ((b & 0x80) === 0) return [value, i];
    shift += 7;
  }
}

/** Sends a signed transaction (base64) to the localnet at `rpc`; returns its signature. */
async function sendThroughRpc(rpc: string, transaction: string): Promise<string> {
  const response = await fetch(rpc, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "sendTransaction", params: [transaction, { encoding: "base64" }] }),
  });
  const body = (await response.json()) as { result?: string; error?: { message: string } };
  if (body.result === undefined) throw new Error(`the chain refused the transaction: ${body.error?.message}`);
  return body.result;
}

export function testWallet(name: string, features: WalletFeature[], rpc?: string): TestWallet {
  const seed = crypto.getRandomValues(new Uint8Array(32));
  const publicKey = ed25519.getPublicKey(seed);
  const address = base58.encode(publicKey);
  const jwk = { kty: "OKP", crv: "Ed25519", d: base64urlnopad.encode(seed), x: base64urlnopad.encode(publicKey) };
  const script = `(() => {
  const jwk = ${JSON.stringify(jwk)};
  const publicKey = new Uint8Array(${JSON.stringify([...publicKey])});
  const features = ${JSON.stringify(features)};
  const keyPromise = crypto.subtle.importKey("jwk", jwk, { name: "Ed25519" }, false, ["sign"]);
  const sign = async (bytes) => new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, await keyPromise, bytes));
  const account = Object.freeze({ address: ${JSON.stringify(address)}, publicKey, chains: ["solana:localnet"], features });
  const siwsText = (i) => {
    let text = i.domain + " wants you to sign in with your Solana account:\\n" + i.address;
    if (i.statement) text += "\\n\\n" + i.statement;
    const fields = [];
    if (i.uri) fields.push("URI: " + i.uri);
    if (i.version) fields.push("Version: " + i.version);
    if (i.chainId) fields.push("Chain ID: " + i.chainId);
    if (i.nonce) fields.push("Nonce: " + i.nonce);
    if (i.issuedAt) fields.push("Issued At: " + i.issuedAt);
    if (i.expirationTime) fields.push("Expiration Time: " + i.expirationTime);
    if (i.notBefore) fields.push("Not Before: " + i.notBefore);
    if (fields.length) text += "\\n\\n" + fields.join("\\n");
    return text;
  };
  // A wire transaction: compact-u16 signature count, the signatures, then the message, whose
  // account keys (after a 3-byte header and a compact-u16 count) start with the signers.
  const compact = (bytes, at) => {
    let value = 0, shift = 0, i = at;
    for (;;) { const b = bytes[i++]; value |= (b & 0x7f) << shift; if ((b & 0x80) === 0) return [value, i]; shift += 7; }
  };
  const signWire = async (wire) => {
    const bytes = new Uint8Array(wire);
    const [count, sigStart] = compact(bytes, 0);
    const messageStart = sigStart + 64 * count;
    const message = bytes.subarray(messageStart);
    const [, keysStart] = compact(message, 3);
    for (let i = 0; i < count; i++) {
      const key = message.subarray(keysStart + 32 * i, keysStart + 32 * (i + 1));
      if (key.every((b, j) => b === publicKey[j])) {
        bytes.set(await sign(message), sigStart + 64 * i);
        return bytes;
      }
    }
    throw new Error("the transaction does not ask this wallet to sign");
  };
  const toBase64 = (bytes) => btoa(String.fromCharCode(...bytes));
  const walletFeatures = {
    "standard:connect": { version: "1.0.0", connect: async () => ({ accounts: [account] }) },
    "standard:events": { version: "1.0.0", on: () => () => {} },
  };
  if (features.includes("solana:signMessage")) {
    walletFeatures["solana:signMessage"] = {
      version: "1.0.0",
      signMessage: async (...inputs) =>
        Promise.all(inputs.map(async ({ message }) => ({ signedMessage: message, signature: await sign(message) }))),
    };
  }
  if (features.includes("solana:signIn")) {
    walletFeatures["solana:signIn"] = {
      version: "1.0.0",
      signIn: async (...inputs) =>
        Promise.all(inputs.map(async (input) => {
          const signedMessage = new TextEncoder().encode(siwsText({ ...input, address: account.address }));
          return { account, signedMessage, signature: await sign(signedMessage), signatureType: "ed25519" };
        })),
    };
  }
  if (features.includes("solana:signTransaction")) {
    walletFeatures["solana:signTransaction"] = {
      version: "1.0.0",
      supportedTransactionVersions: ["legacy", 0],
      signTransaction: async (...inputs) =>
        Promise.all(inputs.map(async ({ transaction }) => ({ signedTransaction: await signWire(transaction) }))),
    };
  }
  if (features.includes("solana:signAndSendTransaction")) {
    walletFeatures["solana:signAndSendTransaction"] = {
      version: "1.0.0",
      supportedTransactionVersions: ["legacy", 0],
      signAndSendTransaction: async (...inputs) =>
        Promise.all(inputs.map(async ({ transaction }) => {
          const signed = await signWire(transaction);
          await window.${SEND_BINDING}(toBase64(signed));
          const [, sigStart] = compact(signed, 0);
          return { signature: signed.slice(sigStart, sigStart + 64) };
        })),
    };
  }
  const wallet = {
    version: "1.0.0",
    name: ${JSON.stringify(name)},
    icon: "data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4=",
    chains: ["solana:localnet"],
    accounts: [account],
    features: walletFeatures,
  };
  const callback = ({ register }) => register(wallet);
  window.dispatchEvent(new CustomEvent("wallet-standard:register-wallet", { detail: callback }));
  window.addEventListener("wallet-standard:app-ready", ({ detail: api }) => callback(api));
})();`;
  return {
    address,
    signWire(wire) {
      const bytes = new Uint8Array(wire);
      const [count, sigStart] = compactU16(bytes, 0);
      const message = bytes.subarray(sigStart + 64 * count);
      const [, keysStart] = compactU16(message, 3);
      for (let i = 0; i < count; i++) {
        const key = message.subarray(keysStart + 32 * i, keysStart + 32 * (i + 1));
        if (key.every((b, j) => b === publicKey[j])) {
          bytes.set(ed25519.sign(message, seed), sigStart + 64 * i);
          return bytes;
        }
      }
      throw new Error("the transaction does not ask this wallet to sign");
    },
    async install(context) {
      if (features.includes("solana:signAndSendTransaction")) {
        if (rpc === undefined) throw new Error("a wallet that sends transactions needs the localnet's RPC URL");
        await context.exposeFunction(SEND_BINDING, (transaction: string) => sendThroughRpc(rpc, transaction));
      }
      await context.addInitScript({ content: script });
    },
  };
}
