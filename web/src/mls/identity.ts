// A member's MLS identity (docs/crypto.md §3): fresh for every room and every session.
// The credential is a BasicCredential whose identity is
//   member number (2, big-endian) ‖ direct-message public key (32)
// and nothing in it names a wallet or outlives the session.
import {
  decodeMlsMessage,
  defaultCapabilities,
  encodeMlsMessage,
  generateKeyPackageWithKey,
  type CiphersuiteImpl,
  type Credential,
  type KeyPackage,
  type PrivateKeyPackage,
} from "ts-mls";

import { concat, u16be } from "./bytes.js";
import type { DirectKeys } from "./direct.js";

export const IDENTITY_LEN = 34;
/** How long a KeyPackage stays valid: long enough to be added, short enough to go stale. */
export const KEY_PACKAGE_LIFETIME_SECS = 600;
/** How far back a KeyPackage's lifetime starts, for clocks that disagree. */
export const CLOCK_SKEW_SECS = 300;

export interface MemberCredential {
  member: number;
  directKey: Uint8Array;
}

export function credentialFor(member: number, directKey: Uint8Array): Credential {
  return { credentialType: "basic", identity: concat(u16be(member), directKey) };
}

/** Reads a credential; undefined unless it is a BasicCredential of exactly this layout. */
export function readCredential(credential: Credential): MemberCredential | undefined {
  if (credential.credentialType !== "basic" || credential.identity.length !== IDENTITY_LEN) return undefined;
  const id = credential.identity;
  return { member: (id[0]! << 8) | id[1]!, directKey: id.slice(2) };
}

export interface SignatureKeys {
  signKey: Uint8Array;
  publicKey: Uint8Array;
}

export interface OwnKeyPackage {
  publicPackage: KeyPackage;
  privatePackage: PrivateKeyPackage;
  /** The KeyPackage as an MLSMessage, as it travels in a join request. */
  bytes: Uint8Array;
}

export const unixNow = (): number => Math.floor(Date.now() / 1000);

/** A fresh KeyPackage, valid from a little before now (clock skew) for the lifetime. */
export async function makeKeyPackage(
  member: number,
  direct: DirectKeys,
  signature: SignatureKeys,
  cs: CiphersuiteImpl,
  now = unixNow(),
): Promise<OwnKeyPackage> {
  const lifetime = {
    notBefore: BigInt(Math.max(0, now - CLOCK_SKEW_SECS)),
    notAfter: BigInt(now + KEY_PACKAGE_LIFETIME_SECS),
  };
  const kp = await generateKeyPackageWithKey(
    credentialFor(member, direct.publicKey),
    defaultCapabilities(),
    lifetime,
    [],
    signature,
    cs,
  );
  const bytes = encodeMlsMessage({ version: "mls10", wireformat: "mls_key_package", keyPackage: kp.publicPackage });
  return { ...kp, bytes };
}

/** Decodes an MLSMessage holding a KeyPackage. */
export function decodeKeyPackage(bytes: Uint8Array): KeyPackage {
  const decoded = decodeMlsMessage(bytes, 0);
  if (decoded === undefined || decoded[1] !== bytes.length || decoded[0].wireformat !== "mls_key_package") {
    throw new Error("malformed key package");
  }
  return decoded[0].keyPackage;
}

/**
 * Whether a KeyPackage looks freshly made at `now`: it started at most the skew plus the
 * lifetime ago and lasts no longer than a lifetime plus the skew. A replayed one fails.
 */
export function isFresh(keyPackage: KeyPackage, now = unixNow()): boolean {
  const { notBefore, notAfter } = keyPackage.leafNode.lifetime;
  const longest = BigInt(KEY_PACKAGE_LIFETIME_SECS + CLOCK_SKEW_SECS);
  const t = BigInt(now);
  return (
    notBefore + longest >= t &&
    notAfter - notBefore <= longest &&
    notBefore <= t + BigInt(CLOCK_SKEW_SECS) &&
    t <= notAfter
  );
}
