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

const gatewayUrl = `${window.location.protocol === "https:" ? "wss" : "ws"}://${window.location.host}/v1/ws`;

// The cluster sign-in messages must name: the gateway writes its --chain-id into the page.
const chainId = document.querySelector<HTMLMetaElement>('meta[name="anoghost-chain-id"]')?.content ?? "solana:localnet";

render(<App gatewayUrl={gatewayUrl} chainId={chainId} invite={takeInviteFromFragment()} />, document.getElementById("app")!);
