#!/usr/bin/env python3
"""Generates client-sdk/tests/vectors/*.json: known-answer vectors for the AnoGhost group
protocol (docs/crypto.md), computed by this independent Python implementation.

The Rust tests (client-sdk/tests/vectors.rs) check them in both directions: the Rust code
must produce exactly these bytes from these inputs, and must open and verify them.

Requires: pip install cryptography
Usage:    python3 scripts/gen-crypto-vectors.py
"""
import hashlib
import hmac
import json
import pathlib
import struct

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives import serialization

OUT = pathlib.Path(__file__).resolve().parent.parent / "client-sdk" / "tests" / "vectors"

RAW = serialization.Encoding.Raw
RAW_PUB = serialization.PublicFormat.Raw


def sha3(*parts):
    h = hashlib.sha3_256()
    for part in parts:
        h.update(part)
    return h.digest()


def be16(v):
    return struct.pack(">H", v)


def be32(v):
    return struct.pack(">I", v)


def chain_step(ck):
    return sha3(b"anoghost/chain-step/v1", ck)


def message_key(ck):
    return sha3(b"anoghost/message-key/v1", ck), sha3(b"anoghost/message-nonce/v1", ck)[:12]


def x25519_public(secret):
    return X25519PrivateKey.from_private_bytes(secret).public_key().public_bytes(RAW, RAW_PUB)


def ed25519_public(seed):
    return Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes(RAW, RAW_PUB)


def ed25519_sign(seed, message):
    return Ed25519PrivateKey.from_private_bytes(seed).sign(message)


def pairwise_key(shared, room, a, b):
    (low, low_pub), (high, high_pub) = sorted([a, b], key=lambda m: m[0])
    return sha3(b"anoghost/pairwise/v1", shared, be32(room), be16(low), be16(high), low_pub, high_pub)


def room_mac_key(secret):
    return sha3(b"anoghost/room-mac/v1", secret)


def pad_text(text):
    content = text.encode()
    needed = len(content) + 5
    bucket = 64
    while bucket < needed:
        bucket *= 2
    return bytes([0x01]) + be32(len(content)) + content + bytes(bucket - needed)


def kdf_vectors():
    ck0 = bytes(range(32))
    steps = []
    ck = ck0
    for index in range(3):
        mk, nonce = message_key(ck)
        steps.append({"index": index, "chain_key": ck.hex(), "message_key": mk.hex(), "nonce": nonce.hex()})
        ck = chain_step(ck)
    a_secret, b_secret = bytes([0x11] * 32), bytes([0x22] * 32)
    a_pub, b_pub = x25519_public(a_secret), x25519_public(b_secret)
    shared = X25519PrivateKey.from_private_bytes(a_secret).exchange(
        X25519PublicKey.from_public_bytes(b_pub))
    room = 0xA2F75864
    room_secret = bytes(range(16))
    return {
        "description": "chain steps, message keys, pairwise key and room MAC key (docs/crypto.md §2)",
        "chain": steps,
        "pairwise": {
            "room": room,
            "member_a": 4821, "x25519_secret_a": a_secret.hex(), "x25519_public_a": a_pub.hex(),
            "member_b": 1377, "x25519_secret_b": b_secret.hex(), "x25519_public_b": b_pub.hex(),
            "shared_secret": shared.hex(),
            "pairwise_key": pairwise_key(shared, room, (4821, a_pub), (1377, b_pub)).hex(),
        },
        "room_mac": {"room_secret": room_secret.hex(), "mac_key": room_mac_key(room_secret).hex()},
    }


def announce_vector():
    room, member = 0xA2F75864, 4821
    x_secret, ed_seed = bytes([0x33] * 32), bytes([0x44] * 32)
    x_pub, ed_pub = x25519_public(x_secret), ed25519_public(ed_seed)
    room_secret = bytes(range(16))
    mac_input = b"anoghost/announce/v1" + be32(room) + be16(member) + x_pub + ed_pub
    tag = hmac.new(room_mac_key(room_secret), mac_input, hashlib.sha3_256).digest()
    unsigned = bytes([0x01, 0x01]) + be16(member) + x_pub + ed_pub + tag
    signature = ed25519_sign(ed_seed, b"anoghost/announce/v1" + be32(room) + unsigned)
    return {
        "description": "an announcement with a room-secret MAC (docs/crypto.md §3)",
        "room": room, "member": member,
        "x25519_secret": x_secret.hex(), "ed25519_seed": ed_seed.hex(),
        "room_secret": room_secret.hex(),
        "payload": (unsigned + signature).hex(),
    }


def sender_key_vector():
    room, sender, recipient = 0xA2F75864, 4821, 1377
    sender_x, sender_ed = bytes([0x55] * 32), bytes([0x66] * 32)
    recipient_x = bytes([0x77] * 32)
    chain_id, index, chain_key = 0x01020304, 7, bytes([0x88] * 32)
    nonce = bytes(range(100, 112))
    s_pub, r_pub = x25519_public(sender_x), x25519_public(recipient_x)
    shared = X25519PrivateKey.from_private_bytes(sender_x).exchange(
        X25519PublicKey.from_public_bytes(r_pub))
    key = pairwise_key(shared, room, (sender, s_pub), (recipient, r_pub))
    aad = b"anoghost/sender-key/v1" + be32(room) + be16(sender) + be16(recipient) + be32(chain_id) + be32(index)
    sealed = AESGCM(key).encrypt(nonce, chain_key, aad)
    unsigned = bytes([0x02]) + be32(chain_id) + be32(index) + be16(1) + be16(recipient) + nonce + sealed
    signature = ed25519_sign(sender_ed, b"anoghost/sender-key/v1" + be32(room) + be16(sender) + unsigned)
    return {
        "description": "a sender-key bundle for one recipient (docs/crypto.md §4)",
        "room": room, "sender": sender, "recipient": recipient,
        "sender_x25519_secret": sender_x.hex(), "sender_ed25519_seed": sender_ed.hex(),
        "recipient_x25519_secret": recipient_x.hex(),
        "chain_id": chain_id, "index": index, "chain_key": chain_key.hex(), "nonce": nonce.hex(),
        "payload": (unsigned + signature).hex(),
    }


def message_vector():
    room, sender = 0xA2F75864, 4821
    ed_seed = bytes([0x99] * 32)
    chain_id, index, ttl = 0x0A0B0C0D, 0, 30
    ck = bytes([0xAA] * 32)
    mk, nonce = message_key(ck)
    text = "hello, ghost"
    padded = pad_text(text)
    header = bytes([0x03]) + be32(chain_id) + be32(index) + be32(ttl)
    aad = b"anoghost/message/v1" + be32(room) + be16(sender) + header
    ciphertext = AESGCM(mk).encrypt(nonce, padded, aad)
    signature = ed25519_sign(ed_seed, aad + ciphertext)
    return {
        "description": "a text message at index 0 of a chain (docs/crypto.md §5)",
        "room": room, "sender": sender, "ed25519_seed": ed_seed.hex(),
        "chain_id": chain_id, "index": index, "ttl_secs": ttl, "chain_key": ck.hex(),
        "text": text, "padded_plaintext": padded.hex(),
        "payload": (header + ciphertext + signature).hex(),
    }


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for name, vector in [("kdf", kdf_vectors()), ("announce", announce_vector()),
                         ("sender_key", sender_key_vector()), ("message", message_vector())]:
        (OUT / f"{name}.json").write_text(json.dumps(vector, indent=2) + "\n")
        print(f"wrote {OUT / (name + '.json')}")


if __name__ == "__main__":
    main()
