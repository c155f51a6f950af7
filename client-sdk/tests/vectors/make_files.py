#!/usr/bin/env python3
"""Writes files.json: known-answer vectors for files in rooms (docs/crypto.md §7, §7.1,
§7.2), computed from the document alone, independently of the Rust SDK, which checks
them in client-sdk/tests/file_vectors.rs. Run: python3 make_files.py > files.json"""
import hashlib
import json
import struct

MAX_PAYLOAD = 65_280  # the last bucket: a 64 KiB frame less 256 bytes


def bucket(needed):
    """The smallest bucket that holds `needed` bytes (header included)."""
    if needed <= 32 * 1024:
        size = 256
        while size < needed:
            size *= 2
        return size
    assert needed <= MAX_PAYLOAD
    return MAX_PAYLOAD


def payload(kind, body, ttl=0):
    """kind (1) ‖ ttl (4) ‖ length (4) ‖ body ‖ zeros; a chunk always fills the last bucket."""
    header = bytes([kind]) + struct.pack(">II", ttl, len(body))
    size = MAX_PAYLOAD if kind == 0x04 else bucket(len(header) + len(body))
    return (header + body).ljust(size, b"\0")


content = b"AnoGhost files travel end to end.\n"
transfer = bytes(range(16))
chunk_size = 16
count = -(-len(content) // chunk_size)
name, mime = "note.txt", "text/plain"
sha256 = hashlib.sha256(content).digest()

manifest_body = (
    transfer
    + struct.pack(">QII", len(content), chunk_size, count)
    + sha256
    + bytes([len(name.encode())]) + name.encode()
    + bytes([len(mime.encode())]) + mime.encode()
)
chunks = []
for index in range(count):
    piece = content[index * chunk_size:(index + 1) * chunk_size]
    body = transfer + struct.pack(">I", index) + piece
    full = payload(0x04, body)
    chunks.append({
        "index": index,
        "bytes": piece.hex(),
        "payload_len": len(full),
        "payload_head": full[: 9 + len(body)].hex(),
        "payload_sha256": hashlib.sha256(full).hexdigest(),
    })

vectors = {
    "about": "Files in rooms, docs/crypto.md §7.1-§7.2. Made by make_files.py from the "
    "document alone; checked by client-sdk/tests/file_vectors.rs. Payloads are the bytes "
    "inside the MLS application message.",
    "room_settings": {
        "extension_type": 0xF0A1,
        "examples": [
            {"max_file_bytes": n, "extension_data": struct.pack(">Q", n).hex()}
            for n in (1024 * 1024, 100 * 1024 * 1024)
        ],
        "default_max_file_bytes": 25 * 1024 * 1024,
    },
    "file": {
        "content": content.hex(),
        "sha256": sha256.hex(),
        "transfer": transfer.hex(),
        "name": name,
        "mime": mime,
        "chunk_size": chunk_size,
        "chunk_count": count,
    },
    "manifest_payload": payload(0x03, manifest_body).hex(),
    "chunks": chunks,
    "cancel_payload": payload(0x05, transfer).hex(),
}
print(json.dumps(vectors, indent=2, ensure_ascii=False))
