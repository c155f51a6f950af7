// A test wallet that registers itself through wallet-standard in the page, as an extension
// would (the `wallet-standard:register-wallet` / `app-ready` events), and holds a real
// Ed25519 keypair in WebCrypto: it signs for real, and the gateway verifies it. It offers
// `solana:signIn` (writing the SIWS text from the fields, as wallets do) and/or
// `solana:signMessage`.
import { ed25519 } from "@noble/curves/ed25519.js";
import { base58, base64urlnopad } from "@scure/base";

export interface TestWallet {
  address: string;
  /** The script to inject before the page loads. */
  script: string;
}

export function testWallet(name: string, features: ("solana:signIn" | "solana:signMessage")[]): TestWallet {
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
  return { address, script };
}
