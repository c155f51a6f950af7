// What each refusal the protocol defines means to a person (docs/protocol.md §2.8, the
// WebSocket upgrade refusals and the HTTP endpoints of §1), so the page never shows a bare
// code. A unit test checks that every code of the protocol crate has a sentence here.

const MESSAGES: Record<string, string> = {
  bad_json: "The gateway could not read a request from this page. Reload and try again.",
  unknown_type: "This gateway does not understand a request from this page; it may be another version.",
  unsupported_version: "This gateway speaks another protocol version than this page.",
  hello_required: "The connection was not set up properly. Reload and try again.",
  already_hello: "The connection was set up twice. Reload and try again.",
  rate_limited: "Too many messages at once: one was dropped. Slow down a little.",
  join_rate_limited: "Too many join attempts from here. Wait a minute and try again.",
  bad_message: "The sign-in message is malformed.",
  nonce_unknown: "The sign-in expired or was never issued. Sign in again.",
  nonce_reused: "That sign-in was already used. Sign in again.",
  sign_in_busy: "The gateway is handling too many sign-ins right now. Try again in a minute.",
  domain_mismatch: "The sign-in message names another site.",
  message_expired: "The sign-in message expired. Sign in again.",
  message_not_yet_valid: "The sign-in message is not valid yet: check this computer's clock.",
  bad_signature: "The wallet's signature does not verify.",
  already_authenticated: "Already signed in.",
  not_authenticated: "Sign in with a wallet first.",
  too_many_ghost_ids: "Too many ghostIds in one request.",
  room_not_found:
    "No room answers this invite: the room is gone (its last member left), or the invite is wrong or incomplete.",
  bad_verifier: "The gateway refused the new room's verifier.",
  room_full: "The room is full.",
  too_many_rooms: "The gateway has as many rooms as it allows. Try again later.",
  too_many_rooms_per_connection: "This connection is in as many rooms as it may be.",
  already_in_room: "You are already in this room.",
  escrow_not_found: "No escrow of this wallet under that nonce.",
  escrow_too_small: "The escrow paid for fewer keys than there are invitees.",
  escrow_used: "That escrow was already used for a room: pay a new one.",
  bad_room_tag: "The gateway could not read the paid room's tag. Reload and try again.",
  bad_invite: "An invite sealed for an invitee is malformed. Reload and try again.",
  key_refused:
    "The gateway refused this key: it does not open this room (it is missing, burned, held elsewhere or bound to another room).",
  chain_unavailable: "The chain could not be read. Try again shortly.",
  paid_rooms_unavailable: "This gateway runs without a chain: paid rooms are off.",
  not_in_room: "You are not in that room any more.",
  binary_before_join: "A message was sent before joining a room.",
  bad_frame: "The gateway refused a malformed message from this page.",
  no_such_member: "That member is no longer in the room.",
  cluster_unavailable: "The gateway cannot reach the other gateways of its cluster right now. Try again shortly.",
  bad_transaction: "The gateway could not read the transaction this page sent.",
  not_a_key_burn: "The gateway refused the burn: it is not one key burn signed by its holder.",
  no_key: "There is no key to burn at that holder: it was burned already.",
  bad_query: "The payment link is malformed.",
  bad_account: "The wallet address is malformed.",
  wrong_account: "This payment link is for another wallet: the escrow's address depends on the paying wallet.",
  origin_not_allowed: "This gateway does not accept connections from this page's address.",
  too_many_connections: "The gateway is at its connection limit. Try again later.",
};

/** A sentence for a protocol error code; the gateway's own text for one this page lacks. */
export function describeRefusal(code: string, fallback?: string): string {
  return MESSAGES[code] ?? fallback ?? `The gateway refused: ${code}`;
}

/** A refusal by the gateway, as an error the page can show. */
export class GatewayRefusal extends Error {
  constructor(
    readonly code: string,
    gatewayText?: string,
  ) {
    super(describeRefusal(code, gatewayText));
    this.name = "GatewayRefusal";
  }
}
