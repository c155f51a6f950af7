// The cleartext header of an MLS PrivateMessage (RFC 9420 §6.3.2), as the gateway reads it
// to order commits: a member reads it too, to tell another member's commit from an
// application message before decrypting (a commit ordered first makes its own one moot).
//
//   version (u16) = 1 ‖ wire_format (u16) = 2 ‖ group_id<V> ‖ epoch (u64) ‖ content_type (u8)

export type ContentType = "application" | "proposal" | "commit";

export interface PrivateMessageHeader {
  groupId: Uint8Array;
  epoch: bigint;
  contentType: ContentType;
}

const CONTENT_TYPES: Record<number, ContentType> = { 1: "application", 2: "proposal", 3: "commit" };

/** RFC 9420 §2.1.2 variable-length size: the top two bits give a 1, 2 or 4-byte length. */
function readVarint(bytes: Uint8Array, offset: number): [number, number] {
  const first = bytes[offset];
  if (first === undefined) throw new Error("truncated length");
  const prefix = first >> 6;
  const width = [1, 2, 4][prefix];
  if (width === undefined) throw new Error("invalid length prefix");
  if (offset + width > bytes.length) throw new Error("truncated length");
  let value = first & 0x3f;
  for (let i = 1; i < width; i++) value = value * 256 + bytes[offset + i]!;
  return [value, offset + width];
}

/** The header of a PrivateMessage; throws for anything else. */
export function privateMessageHeader(message: Uint8Array): PrivateMessageHeader {
  const view = new DataView(message.buffer, message.byteOffset, message.byteLength);
  if (message.length < 4 || view.getUint16(0) !== 1 || view.getUint16(2) !== 2) {
    throw new Error("not an MLS PrivateMessage");
  }
  const [length, start] = readVarint(message, 4);
  const end = start + length;
  if (end + 9 > message.length) throw new Error("truncated PrivateMessage header");
  const contentType = CONTENT_TYPES[message[end + 8]!];
  if (contentType === undefined) throw new Error("unknown content type");
  return { groupId: message.slice(start, end), epoch: view.getBigUint64(end), contentType };
}
