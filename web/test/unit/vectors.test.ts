// Known-answer vectors shared with the Rust SDK: `test/vectors/room.json` holds, for fixed
// inputs, every derivation, MAC, signature, encoding and digit string of docs/crypto.md §2–§9,
// and HPKE direct messages sealed by each side. This test checks the TypeScript side against
// the file; `client-sdk/src/mls/web_vectors.rs` checks the Rust side against the same file.
// `ANOGHOST_WRITE_VECTORS=1 npx vitest run test/unit/vectors.test.ts` rewrites the
// TypeScript-made parts (keeping the Rust-sealed message).
import { existsSync, readFileSync, writeFileSync } from "node:fs";

import { x25519 } from "@noble/curves/ed25519.js";
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";
import { Aes128Gcm, CipherSuite, DhkemX25519HkdfSha256, HkdfSha256 } from "@hpke/core";
import { describe, expect, it } from "vitest";

import { concat, u16be, utf8 } from "../../src/mls/bytes.js";
import { encodeAppMessage, encodeDirectContent, decodeDirectContent, type DirectContent } from "../../src/mls/content.js";
import { directAad, openDirect, sealDirect } from "../../src/mls/direct.js";
import { digits } from "../../src/mls/roster.js";
import { RoomKeys } from "../../src/mls/secrets.js";

const FILE = new URL("../vectors/room.json", import.meta.url);
const fill = (length: number, byte: number) => new Uint8Array(length).fill(byte);

const secret = Uint8Array.from({ length: 16 }, (_, i) => i + 1);
const keys = new RoomKeys(secret);
const recipientSecret = fill(32, 0x0c);
const groupId = concat(keys.groupBase, fill(8, 0x01));
const directText: DirectContent = { kind: "text", text: "psst" };
const voucher: DirectContent = {
  kind: "voucher",
  voucher: { claimSecret: fill(32, 0xab), lamports: 1_500_000n, expiry: 1_900_000_000n, cluster: "devnet" },
};

function computed() {
  return {
    secret: bytesToHex(secret),
    verifier: bytesToHex(keys.verifier()),
    group_base: bytesToHex(keys.groupBase),
    join_proof: { challenge: bytesToHex(fill(32, 7)), code: "042817", proof: bytesToHex(keys.joinProof(fill(32, 7), "042817")) },
    join_request_mac: {
      member: 4821,
      nonce: bytesToHex(fill(16, 2)),
      key_package: bytesToHex(utf8("key package")),
      mac: bytesToHex(keys.joinRequestMac(4821, fill(16, 2), utf8("key package"))),
    },
    group_proof: { exporter: bytesToHex(fill(32, 9)), proof: bytesToHex(keys.groupProof(fill(32, 9))) },
    fingerprint: { key: bytesToHex(fill(32, 5)), digits: digits("anoghost/fingerprint/v1", fill(32, 5)) },
    safety_code: { authenticator: bytesToHex(fill(32, 6)), digits: digits("anoghost/safety-code/v1", fill(32, 6)) },
    app_messages: [
      { ttl: 30, text: "hi", payload: bytesToHex(encodeAppMessage({ ttlSecs: 30, content: { kind: "text", text: "hi" } })) },
      { ttl: 0, text: "x".repeat(300), payload: bytesToHex(encodeAppMessage({ ttlSecs: 0, content: { kind: "text", text: "x".repeat(300) } })) },
    ],
    direct_contents: {
      text: bytesToHex(encodeDirectContent(directText)),
      voucher: bytesToHex(encodeDirectContent(voucher)),
    },
    direct: {
      recipient_secret: bytesToHex(recipientSecret),
      recipient_public: bytesToHex(x25519.getPublicKey(recipientSecret)),
      aad: bytesToHex(directAad(groupId, 1234, 4821)),
    },
  };
}

type Vectors = ReturnType<typeof computed> & { direct: { sealed_by_ts: string; sealed_by_rust?: string } };

async function recipientKeys() {
  const suite = new CipherSuite({ kem: new DhkemX25519HkdfSha256(), kdf: new HkdfSha256(), aead: new Aes128Gcm() });
  return { publicKey: x25519.getPublicKey(recipientSecret), privateKey: await suite.kem.importKey("raw", recipientSecret.buffer as ArrayBuffer, false) };
}

describe("known-answer vectors shared with the Rust SDK", () => {
  it("match what this client computes, and both sides' sealed direct messages open here", async () => {
    const fresh = computed();
    const aad = hexToBytes(fresh.direct.aad);
    if (process.env.ANOGHOST_WRITE_VECTORS === "1") {
      const old = existsSync(FILE) ? (JSON.parse(readFileSync(FILE, "utf8")) as Vectors) : undefined;
      const sealed = await sealDirect(x25519.getPublicKey(recipientSecret), aad, encodeDirectContent(directText));
      const vectors: Vectors = {
        ...fresh,
        direct: { ...fresh.direct, sealed_by_ts: bytesToHex(sealed), sealed_by_rust: old?.direct.sealed_by_rust },
      };
      writeFileSync(FILE, `${JSON.stringify(vectors, null, 2)}\n`);
    }
    const vectors = JSON.parse(readFileSync(FILE, "utf8")) as Vectors;
    const { sealed_by_ts, sealed_by_rust, ...direct } = vectors.direct;
    expect({ ...vectors, direct }).toEqual(fresh);
    expect(sealed_by_rust, "the file holds a message sealed by the Rust SDK").toBeDefined();
    const recipient = await recipientKeys();
    for (const sealed of [sealed_by_ts, sealed_by_rust!]) {
      const opened = decodeDirectContent(await openDirect(recipient, aad, hexToBytes(sealed)));
      expect(opened).toEqual(directText);
      // Bound to its group, sender and recipient: another aad does not open it.
      await expect(openDirect(recipient, directAad(groupId, 1234, 4822), hexToBytes(sealed))).rejects.toThrow();
    }
    expect(decodeDirectContent(hexToBytes(vectors.direct_contents.voucher))).toEqual(voucher);
    expect(u16be(4821)).toEqual(hexToBytes(direct.aad).subarray(-2));
  });
});
