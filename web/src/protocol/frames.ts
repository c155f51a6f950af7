// Binary relay frames (docs/protocol.md §3): a routing header the gateway reads, then a
// payload it passes on unread (for group frames it reads only the MLS cleartext header).
//
//   client → gateway:  version (1) | room (4) | kind (1) | [to (2), directed kinds] | payload
//   gateway → client:  version (1) | room (4) | sender (2) | kind (1) | payload
//
// All integers are big-endian; `sender` is stamped by the gateway.

export const PROTOCOL_VERSION = 2;

export enum FrameKind {
  Group = 1,
  JoinRequest = 2,
  Welcome = 3,
  Denied = 4,
  Challenge = 5,
}

export interface RelayedFrame {
  room: number;
  sender: number;
  kind: FrameKind;
  payload: Uint8Array;
}

const RELAYED_HEADER_LEN = 8;

/** Whether frames of this kind go to one member, named by `to`. */
export function isDirected(kind: FrameKind): boolean {
  return kind !== FrameKind.Group;
}

/** The bytes of a frame this client sends. `to` is required for directed kinds. */
export function encodeClientFrame(
  room: number,
  kind: FrameKind,
  to: number | undefined,
  payload: Uint8Array,
): Uint8Array {
  const directed = isDirected(kind);
  if (directed !== (to !== undefined)) {
    throw new Error(`frame kind ${kind} ${directed ? "needs" : "takes no"} recipient`);
  }
  const header = directed ? 8 : 6;
  const frame = new Uint8Array(header + payload.length);
  const view = new DataView(frame.buffer);
  view.setUint8(0, PROTOCOL_VERSION);
  view.setUint32(1, room >>> 0);
  view.setUint8(5, kind);
  if (to !== undefined) view.setUint16(6, to);
  frame.set(payload, header);
  return frame;
}

/** Reads a frame the gateway relayed; throws on a malformed one. */
export function decodeRelayedFrame(frame: Uint8Array): RelayedFrame {
  if (frame.length < RELAYED_HEADER_LEN) throw new Error("relayed frame shorter than its header");
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  if (view.getUint8(0) !== PROTOCOL_VERSION) {
    throw new Error(`relayed frame of protocol version ${view.getUint8(0)}`);
  }
  const kind = view.getUint8(7);
  if (!(kind in FrameKind)) throw new Error(`unknown frame kind ${kind}`);
  return {
    room: view.getUint32(1),
    sender: view.getUint16(5),
    kind: kind as FrameKind,
    payload: frame.subarray(RELAYED_HEADER_LEN),
  };
}
