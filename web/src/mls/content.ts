// What travels inside an MLS application message (docs/crypto.md §7), padded so its length
// says little:
//
//   payload = kind (1) ‖ ttl seconds (4) ‖ length (4) ‖ body ‖ zero padding to the bucket
//   kind 0x01 text    body = UTF-8 text, at most 61,440 bytes
//   kind 0x02 direct  body = recipient member (2) ‖ sealed (direct.ts)
//   sealed opens to   kind (1) ‖ body: 0x01 text (UTF-8) | 0x02 payment voucher
//
// Buckets double from 256 bytes to 32 KiB, then one last bucket of 65,280 bytes (a 64 KiB
// frame less room for the frame header and the PrivateMessage around the payload).
import { concat, fromUtf8, u16be, u32be, utf8 } from "./bytes.js";

const KIND_TEXT = 0x01;
const KIND_DIRECT = 0x02;
const DIRECT_TEXT = 0x01;
const DIRECT_VOUCHER = 0x02;
const HEADER_LEN = 9;
export const MIN_BUCKET = 256;
export const LAST_DOUBLING_BUCKET = 32 * 1024;
export const MAX_PAYLOAD = 64 * 1024 - 256;
export const MAX_TEXT = 60 * 1024;

export type Content = { kind: "text"; text: string } | { kind: "direct"; to: number; sealed: Uint8Array };

export interface AppMessage {
  /** Seconds after receipt to delete it (0: keep). */
  ttlSecs: number;
  content: Content;
}

export interface PaymentVoucher {
  claimSecret: Uint8Array;
  lamports: bigint;
  expiry: bigint;
  cluster: string;
}

export type DirectContent = { kind: "text"; text: string } | { kind: "voucher"; voucher: PaymentVoucher };

export class MessageTooLarge extends Error {
  constructor(
    readonly len: number,
    readonly max: number,
  ) {
    super(`The message is ${len} bytes; the most one message can carry is ${max}.`);
  }
}

/** The padded size for a body of `len` bytes, or undefined past the largest bucket. */
export function bucketFor(len: number): number | undefined {
  const needed = len + HEADER_LEN;
  if (needed <= LAST_DOUBLING_BUCKET) {
    let bucket = MIN_BUCKET;
    while (bucket < needed) bucket *= 2;
    return bucket;
  }
  return needed <= MAX_PAYLOAD ? MAX_PAYLOAD : undefined;
}

export function encodeAppMessage(message: AppMessage): Uint8Array {
  let kind: number;
  let body: Uint8Array;
  if (message.content.kind === "text") {
    body = utf8(message.content.text);
    if (body.length > MAX_TEXT) throw new MessageTooLarge(body.length, MAX_TEXT);
    kind = KIND_TEXT;
  } else {
    body = concat(u16be(message.content.to), message.content.sealed);
    kind = KIND_DIRECT;
  }
  const bucket = bucketFor(body.length);
  if (bucket === undefined) throw new MessageTooLarge(body.length, MAX_PAYLOAD - HEADER_LEN);
  const payload = new Uint8Array(bucket);
  payload[0] = kind;
  payload.set(u32be(message.ttlSecs), 1);
  payload.set(u32be(body.length), 5);
  payload.set(body, HEADER_LEN);
  return payload;
}

/** Parses a padded payload; the padding must be zeros and fill exactly one bucket. */
export function decodeAppMessage(payload: Uint8Array): AppMessage {
  const bad = () => new Error("malformed application message");
  if (payload.length < HEADER_LEN) throw bad();
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const ttlSecs = view.getUint32(1);
  const len = view.getUint32(5);
  if (bucketFor(len) !== payload.length) throw bad();
  const body = payload.subarray(HEADER_LEN, HEADER_LEN + len);
  if (payload.subarray(HEADER_LEN + len).some((b) => b !== 0)) throw bad();
  if (payload[0] === KIND_TEXT && len <= MAX_TEXT) {
    return { ttlSecs, content: { kind: "text", text: fromUtf8(body) } };
  }
  if (payload[0] === KIND_DIRECT && len >= 2) {
    return { ttlSecs, content: { kind: "direct", to: (body[0]! << 8) | body[1]!, sealed: body.slice(2) } };
  }
  throw bad();
}

const VOUCHER_FIXED_LEN = 49;

export function encodeDirectContent(content: DirectContent): Uint8Array {
  if (content.kind === "text") return concat(new Uint8Array([DIRECT_TEXT]), utf8(content.text));
  const { claimSecret, lamports, expiry } = content.voucher;
  const cluster = utf8(content.voucher.cluster).slice(0, 255);
  const fixed = new Uint8Array(VOUCHER_FIXED_LEN);
  fixed.set(claimSecret, 0);
  const view = new DataView(fixed.buffer);
  view.setBigUint64(32, lamports);
  view.setBigInt64(40, expiry);
  fixed[48] = cluster.length;
  return concat(new Uint8Array([DIRECT_VOUCHER]), fixed, cluster);
}

export function decodeDirectContent(bytes: Uint8Array): DirectContent {
  const bad = () => new Error("malformed direct message");
  const body = bytes.subarray(1);
  if (bytes[0] === DIRECT_TEXT) return { kind: "text", text: fromUtf8(body) };
  if (bytes[0] !== DIRECT_VOUCHER) throw bad();
  if (body.length < VOUCHER_FIXED_LEN || body.length !== VOUCHER_FIXED_LEN + body[48]!) throw bad();
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  return {
    kind: "voucher",
    voucher: {
      claimSecret: body.slice(0, 32),
      lamports: view.getBigUint64(32),
      expiry: view.getBigInt64(40),
      cluster: fromUtf8(body.subarray(VOUCHER_FIXED_LEN)),
    },
  };
}
