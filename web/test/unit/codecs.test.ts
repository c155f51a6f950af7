// The byte layouts of docs/protocol.md and docs/crypto.md, checked against the documents'
// own examples and the Rust SDK's boundary cases.
import { describe, expect, it } from "vitest";

import { concat } from "../../src/mls/bytes.js";
import { bucketFor, decodeAppMessage, encodeAppMessage, MAX_PAYLOAD, MAX_TEXT, MessageTooLarge } from "../../src/mls/content.js";
import { formatInvite, parseInvite } from "../../src/mls/invite.js";
import { decodeJoinRequest, makeJoinRequest, provesSecret } from "../../src/mls/joinRequest.js";
import { RoomKeys } from "../../src/mls/secrets.js";
import { FrameKind, decodeRelayedFrame, encodeClientFrame } from "../../src/protocol/frames.js";
import { privateMessageHeader } from "../../src/protocol/mlsHeader.js";
import { STATEMENT, checkSiws } from "../../src/protocol/siws.js";

const hex = (text: string) => Uint8Array.from(text.split(" ").map((b) => parseInt(b, 16)));

describe("relay frames (docs/protocol.md §3)", () => {
  it("encode and decode the document's example bytes", () => {
    expect(encodeClientFrame(12345, FrameKind.Group, undefined, hex("de ad"))).toEqual(hex("02 00 00 30 39 01 de ad"));
    expect(encodeClientFrame(12345, FrameKind.Welcome, 5310, hex("07"))).toEqual(hex("02 00 00 30 39 03 14 be 07"));
    expect(decodeRelayedFrame(hex("02 00 00 30 39 12 d5 01 de ad"))).toEqual({
      room: 12345,
      sender: 4821,
      kind: FrameKind.Group,
      payload: hex("de ad"),
    });
    expect(() => decodeRelayedFrame(hex("03 00 00 30 39 12 d5 01"))).toThrow();
    expect(() => decodeRelayedFrame(hex("02 00 00 30 39 12 d5 09"))).toThrow();
    expect(() => encodeClientFrame(1, FrameKind.Challenge, undefined, new Uint8Array(16))).toThrow();
  });

  it("read a PrivateMessage header's group id, epoch and content type", () => {
    const header = concat(hex("00 01 00 02 03 aa bb cc"), hex("00 00 00 00 00 00 00 05 03"), new Uint8Array(10));
    expect(privateMessageHeader(header)).toEqual({ groupId: hex("aa bb cc"), epoch: 5n, contentType: "commit" });
    expect(() => privateMessageHeader(hex("00 01 00 01 00"))).toThrow();
  });
});

describe("application messages (docs/crypto.md §7)", () => {
  it("buckets double to 32 KiB, then end at the frame limit", () => {
    expect(bucketFor(0)).toBe(256);
    expect(bucketFor(247)).toBe(256);
    expect(bucketFor(248)).toBe(512);
    expect(bucketFor(32 * 1024 - 9)).toBe(32 * 1024);
    expect(bucketFor(32 * 1024 - 8)).toBe(MAX_PAYLOAD);
    expect(bucketFor(MAX_PAYLOAD - 9)).toBe(MAX_PAYLOAD);
    expect(bucketFor(MAX_PAYLOAD - 8)).toBeUndefined();
  });

  it("round-trip, carry the largest text, and refuse bad padding", () => {
    for (const message of [
      { ttlSecs: 0, content: { kind: "text" as const, text: "" } },
      { ttlSecs: 30, content: { kind: "text" as const, text: "x".repeat(MAX_TEXT) } },
      { ttlSecs: 0, content: { kind: "direct" as const, to: 4821, sealed: new Uint8Array(80).fill(7) } },
    ]) {
      expect(decodeAppMessage(encodeAppMessage(message))).toEqual(message);
    }
    expect(() => encodeAppMessage({ ttlSecs: 0, content: { kind: "text", text: "x".repeat(MAX_TEXT + 1) } })).toThrow(MessageTooLarge);
    const payload = encodeAppMessage({ ttlSecs: 0, content: { kind: "text", text: "hi" } });
    payload[100] = 1;
    expect(() => decodeAppMessage(payload)).toThrow();
    expect(() => decodeAppMessage(payload.subarray(0, 255))).toThrow();
  });
});

describe("invites and join requests (docs/crypto.md §2, §4)", () => {
  it("invites round-trip and damaged ones are refused with a reason", () => {
    const invite = parseInvite("042817-7Hc2b9QmVx1kR4tZpN3aLs-knock");
    expect(invite.admission).toBe("knock");
    expect(formatInvite(invite)).toBe("042817-7Hc2b9QmVx1kR4tZpN3aLs-knock");
    expect(() => parseInvite("042817")).toThrow(/looks like/);
    expect(() => parseInvite("42817-abc")).toThrow(/six digits/);
    expect(() => parseInvite("042817-abc")).toThrow(/damaged/);
    expect(() => parseInvite("042817-0OIl")).toThrow(/damaged/);
    expect(() => parseInvite("042817-7Hc2b9QmVx1kR4tZpN3aLs-open")).toThrow(/looks like/);
  });

  it("a join request proves the secret for its sender and nonce only", () => {
    const keys = new RoomKeys(new Uint8Array(16).fill(5));
    const request = decodeJoinRequest(makeJoinRequest(keys, 4821, new Uint8Array(16).fill(2), new Uint8Array([1, 2, 3])));
    expect(provesSecret(request, keys, 4821)).toBe(true);
    expect(provesSecret(request, keys, 4822)).toBe(false);
    expect(provesSecret(request, new RoomKeys(new Uint8Array(16).fill(6)), 4821)).toBe(false);
    expect(provesSecret({ ...request, nonce: new Uint8Array(16).fill(3) }, keys, 4821)).toBe(false);
    expect(() => decodeJoinRequest(new Uint8Array(40))).toThrow();
  });
});

describe("sign-in messages (docs/protocol.md §1)", () => {
  const expected = {
    domain: "127.0.0.1:8787",
    uri: "http://127.0.0.1:8787",
    address: "7cVfgArCheMR6Cs4t6vz5rfnqd56vZq4ndaBrY5xkxXy",
    chainId: "solana:localnet",
    nonce: "n0nce",
  };
  const text = (fields: Partial<typeof expected & { statement: string }>, issued: Date, expires: Date) => {
    const f = { ...expected, statement: STATEMENT, ...fields };
    return `${f.domain} wants you to sign in with your Solana account:\n${f.address}\n\n${f.statement}\n\nURI: ${f.uri}\nVersion: 1\nChain ID: ${f.chainId}\nNonce: ${f.nonce}\nIssued At: ${issued.toISOString()}\nExpiration Time: ${expires.toISOString()}`;
  };
  const now = new Date("2026-01-01T00:00:00Z");
  const soon = new Date("2026-01-01T00:05:00Z");

  it("the expected message passes and each wrong field is named", () => {
    expect(checkSiws(text({}, now, soon), expected, now).nonce).toBe("n0nce");
    for (const [field, edit] of [
      ["domain", { domain: "evil.example" }],
      ["URI", { uri: "https://evil.example" }],
      ["address", { address: "11111111111111111111111111111111" }],
      ["chain id", { chainId: "solana:mainnet" }],
      ["nonce", { nonce: "other" }],
      ["statement", { statement: "Pay 100 SOL" }],
    ] as const) {
      expect(() => checkSiws(text(edit, now, soon), expected, now)).toThrow(`names ${field}`);
    }
  });

  it("a long-lived or stale message is refused, and so is another layout", () => {
    expect(() => checkSiws(text({}, now, new Date("2027-01-01T00:00:00Z")), expected, now)).toThrow(/wrong time/);
    expect(() => checkSiws(text({}, now, soon), expected, new Date("2026-01-01T01:00:00Z"))).toThrow(/wrong time/);
    expect(() => checkSiws("hello", expected, now)).toThrow(/not a SIWS/);
  });
});
