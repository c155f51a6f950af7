//! Known-answer vectors for files in rooms (`tests/vectors/files.json`, made from
//! docs/crypto.md alone by `tests/vectors/make_files.py`): the SDK must produce and read
//! exactly those bytes, so a client written from the document (the browser's) agrees with
//! it byte for byte.

// A test panics on anything unexpected: in a test, a panic is the failure report.
#![allow(clippy::unwrap_used)]

use anoghost_sdk::mls::content::{AppMessage, Content};
use anoghost_sdk::mls::file_content::{chunk_count, FileChunk, FileManifest, FilePart, TransferId};
use anoghost_sdk::mls::settings::{DEFAULT_MAX_FILE_BYTES, ROOM_SETTINGS_EXTENSION};
use anoghost_sdk::mls::RoomSettings;
use serde_json::Value;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

fn vectors() -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/files.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn bytes(value: &Value) -> Vec<u8> {
    hex::decode(value.as_str().unwrap()).unwrap()
}

fn number(value: &Value) -> u64 {
    value.as_u64().unwrap()
}

fn message(part: FilePart) -> AppMessage {
    AppMessage {
        ttl_secs: 0,
        content: Content::File(part),
    }
}

#[test]
fn the_room_settings_extension_is_the_documented_eight_bytes() {
    let v = vectors();
    let settings = &v["room_settings"];
    assert_eq!(
        number(&settings["extension_type"]),
        u64::from(ROOM_SETTINGS_EXTENSION)
    );
    assert_eq!(
        number(&settings["default_max_file_bytes"]),
        DEFAULT_MAX_FILE_BYTES
    );
    for example in settings["examples"].as_array().unwrap() {
        let limit = RoomSettings::with_max_file_bytes(number(&example["max_file_bytes"])).unwrap();
        assert_eq!(limit.encode().to_vec(), bytes(&example["extension_data"]));
        assert_eq!(
            RoomSettings::decode(&bytes(&example["extension_data"])),
            Ok(limit)
        );
    }
}

#[test]
fn manifest_chunks_and_cancel_are_the_documented_bytes_both_ways() {
    let v = vectors();
    let file = &v["file"];
    let content = bytes(&file["content"]);
    let transfer = TransferId(bytes(&file["transfer"]).try_into().unwrap());
    let chunk_size = u32::try_from(number(&file["chunk_size"])).unwrap();
    assert_eq!(bytes(&file["sha256"]), Sha256::digest(&content).to_vec());
    assert_eq!(
        chunk_count(content.len() as u64, chunk_size),
        Some(u32::try_from(number(&file["chunk_count"])).unwrap())
    );

    let manifest = FilePart::Manifest(FileManifest {
        transfer,
        name: file["name"].as_str().unwrap().to_owned(),
        size: content.len() as u64,
        mime: file["mime"].as_str().unwrap().to_owned(),
        sha256: Sha256::digest(&content).into(),
        chunk_size,
        chunk_count: chunk_count(content.len() as u64, chunk_size).unwrap(),
    });
    let expected = bytes(&v["manifest_payload"]);
    assert_eq!(
        message(manifest.clone()).encode().unwrap().to_vec(),
        expected
    );
    assert_eq!(AppMessage::decode(&expected), Ok(message(manifest)));

    let chunks = v["chunks"].as_array().unwrap();
    let mut reassembled = Vec::new();
    for (index, vector) in chunks.iter().enumerate() {
        let chunk = FilePart::Chunk(FileChunk {
            transfer,
            index: u32::try_from(index).unwrap(),
            bytes: Zeroizing::new(bytes(&vector["bytes"])),
        });
        let payload = message(chunk.clone()).encode().unwrap();
        let head = bytes(&vector["payload_head"]);
        assert_eq!(payload.len() as u64, number(&vector["payload_len"]));
        assert_eq!(&payload[..head.len()], head.as_slice());
        assert_eq!(
            Sha256::digest(&*payload).to_vec(),
            bytes(&vector["payload_sha256"])
        );
        assert_eq!(AppMessage::decode(&payload), Ok(message(chunk)));
        reassembled.extend(bytes(&vector["bytes"]));
    }
    assert_eq!(reassembled, content);

    let cancel = FilePart::Cancel(transfer);
    let expected = bytes(&v["cancel_payload"]);
    assert_eq!(message(cancel.clone()).encode().unwrap().to_vec(), expected);
    assert_eq!(AppMessage::decode(&expected), Ok(message(cancel)));
}
