// Direct messages (docs/crypto.md §8): a body for one member only, inside an application
// message the whole group receives, sealed with HPKE (RFC 9180, base mode) to the
// recipient's direct-message key from its credential.
//
//   sealed = kem output (32) ‖ AES-128-GCM ciphertext
//   suite  = DHKEM(X25519, HKDF-SHA256) / HKDF-SHA256 / AES-128-GCM
//   info   = "anoghost/direct/v1"
//   aad    = group id ‖ sender member (2) ‖ recipient member (2)
import { Aes128Gcm, CipherSuite, DhkemX25519HkdfSha256, HkdfSha256 } from "@hpke/core";

import { concat, u16be, utf8 } from "./bytes.js";

const INFO = utf8("anoghost/direct/v1");
const KEM_OUTPUT_LEN = 32;

const suite = new CipherSuite({
  kem: new DhkemX25519HkdfSha256(),
  kdf: new HkdfSha256(),
  aead: new Aes128Gcm(),
});

/** This member's direct-message key pair for one room and one session. */
export interface DirectKeys {
  publicKey: Uint8Array;
  privateKey: CryptoKey;
}

export async function generateDirectKeys(): Promise<DirectKeys> {
  const pair = await suite.kem.generateKeyPair();
  const publicKey = new Uint8Array(await suite.kem.serializePublicKey(pair.publicKey));
  return { publicKey, privateKey: pair.privateKey };
}

export function directAad(groupId: Uint8Array, from: number, to: number): Uint8Array {
  return concat(groupId, u16be(from), u16be(to));
}

export async function sealDirect(recipientKey: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Promise<Uint8Array> {
  const recipientPublicKey = await suite.kem.deserializePublicKey(recipientKey);
  const { enc, ct } = await suite.seal({ recipientPublicKey, info: INFO }, plaintext, aad);
  return concat(new Uint8Array(enc), new Uint8Array(ct));
}

export async function openDirect(keys: DirectKeys, aad: Uint8Array, sealed: Uint8Array): Promise<Uint8Array> {
  if (sealed.length < KEM_OUTPUT_LEN) throw new Error("malformed direct message");
  const opened = await suite.open(
    { recipientKey: keys.privateKey, enc: sealed.slice(0, KEM_OUTPUT_LEN), info: INFO },
    sealed.slice(KEM_OUTPUT_LEN),
    aad,
  );
  return new Uint8Array(opened);
}
