// The room's settings (docs/crypto.md §7.2, the twin of client-sdk/src/mls/settings.rs): its
// creator's file limit, carried in the group's GroupContext as an extension of a private-use
// type, so every member holds the same value, authenticated by the group.
//
//   extension type  0xF0A1 (room settings)
//   extension data  max file bytes (8, big-endian)
//
// A room with the default limit carries no extension. Every KeyPackage this page makes lists
// 0xF0A1 among its supported extensions (identity.ts), so it can join a room with another.
import type { Extension } from "ts-mls";

export const ROOM_SETTINGS_EXTENSION = 0xf0a1;
/** The file limit of a room whose creator did not choose one: 25 MiB. */
export const DEFAULT_MAX_FILE_BYTES = 25 * 1024 * 1024;
/** The largest limit a creator may choose: receivers hold a file in memory until it is whole. */
export const MAX_ROOM_FILE_LIMIT = 100 * 1024 * 1024;

/** The extension's data for a limit of `maxFileBytes` (1 byte to 100 MiB). */
export function encodeRoomSettings(maxFileBytes: number): Uint8Array {
  if (!Number.isInteger(maxFileBytes) || maxFileBytes < 1 || maxFileBytes > MAX_ROOM_FILE_LIMIT) {
    throw new Error(`A room's file limit is 1 byte to ${MAX_ROOM_FILE_LIMIT} bytes.`);
  }
  const data = new Uint8Array(8);
  new DataView(data.buffer).setBigUint64(0, BigInt(maxFileBytes));
  return data;
}

/** Parses the extension's data: exactly 8 bytes, a limit in range. */
export function decodeRoomSettings(data: Uint8Array): number {
  const bad = new Error("malformed room settings");
  if (data.length !== 8) throw bad;
  const limit = new DataView(data.buffer, data.byteOffset, 8).getBigUint64(0);
  if (limit < 1n || limit > BigInt(MAX_ROOM_FILE_LIMIT)) throw bad;
  return Number(limit);
}

/** The room's file limit, from its GroupContext's extensions. */
export function maxFileBytes(extensions: Extension[]): number {
  const found = extensions.find((e) => e.extensionType === ROOM_SETTINGS_EXTENSION);
  return found === undefined ? DEFAULT_MAX_FILE_BYTES : decodeRoomSettings(found.extensionData);
}
