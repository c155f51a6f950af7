// Wallets found through wallet-standard (Phantom, Solflare, Backpack, or any other that
// registers itself): the page asks for features by name and never reaches for a wallet's
// own global object.
import { getWallets } from "@wallet-standard/app";
import type { Wallet } from "@wallet-standard/base";
import { SolanaSignIn, SolanaSignMessage } from "@solana/wallet-standard-features";
import { StandardConnect } from "@wallet-standard/features";

/** Whether a wallet can connect and sign a sign-in message one way or the other. */
export function canSignIn(wallet: Wallet): boolean {
  return StandardConnect in wallet.features && (SolanaSignIn in wallet.features || SolanaSignMessage in wallet.features);
}

/** The wallets registered now, and a way to hear of later ones (returns an unsubscribe). */
export function watchWallets(onChange: (wallets: Wallet[]) => void): () => void {
  const registry = getWallets();
  const update = () => onChange(registry.get().filter(canSignIn));
  update();
  const offRegister = registry.on("register", update);
  const offUnregister = registry.on("unregister", update);
  return () => {
    offRegister();
    offUnregister();
  };
}
