// The page's entry. An invite arrives in the URL fragment (`/#042817-…`), which the browser
// never sends to a server; it is read once and wiped from the address bar and the history,
// so nothing of it stays in the browser after the tab closes.
import { render } from "preact";

import { App } from "./ui/App.js";
import "./ui/styles.css";

function takeInviteFromFragment(): string | undefined {
  const fragment = decodeURIComponent(window.location.hash.slice(1)).trim();
  if (fragment === "") return undefined;
  history.replaceState(null, "", window.location.pathname);
  return fragment;
}

const meta = (name: string) => document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content ?? "";

const gatewayUrl = `${window.location.protocol === "https:" ? "wss" : "ws"}://${window.location.host}/v1/ws`;
// The cluster sign-in messages must name, and the RPC URL the page may reach (the only other
// origin its Content-Security-Policy allows): the gateway writes both into the page.
const chainId = meta("anoghost-chain-id") || "solana:localnet";
const rpcUrl = meta("anoghost-rpc-url") || undefined;

render(<App config={{ gatewayUrl, chainId, rpcUrl }} invite={takeInviteFromFragment()} />, document.getElementById("app")!);
