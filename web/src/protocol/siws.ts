// The sign-in message (SIWS; docs/protocol.md §1), parsed and checked before a wallet signs
// it, as the Rust SDK does (client-sdk/src/gateway/sign_in.rs): a gateway could otherwise
// hand the page a sign-in for another site, or one valid for a year.

const HEADER_SUFFIX = " wants you to sign in with your Solana account:";
export const STATEMENT = "Sign in to AnoGhost. This proves you hold this wallet; it moves no funds.";
/** The longest validity window accepted (the gateway's default is five minutes). */
const MAX_VALIDITY_MS = 15 * 60_000;
/** Clock skew tolerated on `Issued At`. */
const MAX_SKEW_MS = 5 * 60_000;

export interface SiwsMessage {
  domain: string;
  address: string;
  statement: string;
  uri: string;
  chainId: string;
  nonce: string;
  issuedAt: Date;
  expirationTime: Date;
  notBefore?: Date;
}

export class SignInRefused extends Error {
  override name = "SignInRefused";
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function timestamp(text: string): Date {
  const at = new Date(text);
  if (!RFC3339.test(text) || Number.isNaN(at.getTime())) throw new SignInRefused("The sign-in message is not a SIWS message.");
  return at;
}

/** Parses the exact layout the gateway writes; throws for anything else. */
export function parseSiws(text: string): SiwsMessage {
  const malformed = () => new SignInRefused("The sign-in message is not a SIWS message.");
  const lines = text.split("\n");
  let index = 0;
  const next = (): string => {
    const line = lines[index++];
    if (line === undefined) throw malformed();
    return line;
  };
  const field = (name: string): string => {
    const line = next();
    if (!line.startsWith(`${name}: `)) throw malformed();
    return line.slice(name.length + 2);
  };
  const header = next();
  if (!header.endsWith(HEADER_SUFFIX)) throw malformed();
  const domain = header.slice(0, -HEADER_SUFFIX.length);
  const address = next();
  if (next() !== "") throw malformed();
  const statement = next();
  if (next() !== "") throw malformed();
  const uri = field("URI");
  if (field("Version") !== "1") throw malformed();
  const chainId = field("Chain ID");
  const nonce = field("Nonce");
  const issuedAt = timestamp(field("Issued At"));
  const expirationTime = timestamp(field("Expiration Time"));
  const notBefore = index < lines.length ? timestamp(field("Not Before")) : undefined;
  if (index !== lines.length || domain === "" || address === "") throw malformed();
  return { domain, address, statement, uri, chainId, nonce, issuedAt, expirationTime, notBefore };
}

export interface ExpectedSignIn {
  domain: string;
  uri: string;
  address: string;
  chainId: string;
  nonce: string;
}

/** Refuses a message whose fields are not the ones expected for the gateway this page came
 * from, or whose validity window is not a short one around now. */
export function checkSiws(text: string, expected: ExpectedSignIn, now = new Date()): SiwsMessage {
  const message = parseSiws(text);
  const fields: [string, string, string][] = [
    ["domain", expected.domain, message.domain],
    ["URI", expected.uri, message.uri],
    ["address", expected.address, message.address],
    ["chain id", expected.chainId, message.chainId],
    ["nonce", expected.nonce, message.nonce],
    ["statement", STATEMENT, message.statement],
  ];
  for (const [name, want, got] of fields) {
    if (want !== got) throw new SignInRefused(`The sign-in message names ${name} "${got}", but this page expects "${want}".`);
  }
  const t = now.getTime();
  const issued = message.issuedAt.getTime();
  const expires = message.expirationTime.getTime();
  const fresh =
    issued <= t + MAX_SKEW_MS &&
    issued >= t - MAX_VALIDITY_MS &&
    expires > t &&
    expires - issued <= MAX_VALIDITY_MS &&
    (message.notBefore === undefined || message.notBefore.getTime() <= t + MAX_SKEW_MS);
  if (!fresh) throw new SignInRefused("The sign-in message is valid at the wrong time or for too long.");
  return message;
}
