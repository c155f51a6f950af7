//! The MLS header reader the gateway orders commits with (`protocol/src/mls_header.rs`),
//! against OpenMLS, the parser every client runs.
//!
//! Invariants: reading never panics; whenever OpenMLS reads the bytes as an MLS 1.0
//! PrivateMessage, the gateway reads the same group id, epoch and content type (so the
//! gateway orders exactly the commit clients will process); whenever the gateway accepts a
//! header, the bytes it read are the one canonical encoding of what it read (RFC 9420
//! §2.1.2 vectors use the shortest length), so no two encodings of one header exist for a
//! member to slip past the order with; a header built field by field reads back.

use crate::Damage;
use anoghost_protocol::mls_header::{private_message_header, wire_format, ContentType};
use arbitrary::Arbitrary;
use openmls::prelude::tls_codec::Deserialize as _;
use openmls::prelude::{ContentType as MlsContentType, MlsMessageIn};

#[derive(Debug, Arbitrary)]
enum Input<'a> {
    Raw(&'a [u8]),
    Built {
        wire_format: u16,
        group_id: &'a [u8],
        /// 0, 1 or 2: the 1, 2 or 4-byte length form, used even where it is not the shortest.
        length_form: u8,
        epoch: u64,
        content_type: u8,
        rest: &'a [u8],
        damage: Damage,
    },
}

/// The shortest RFC 9420 §2.1.2 length prefix for `len`, or `form` bytes if asked.
fn length_prefix(len: usize, form: Option<u8>) -> Vec<u8> {
    let shortest = match len {
        0..=0x3f => 0,
        0x40..=0x3fff => 1,
        _ => 2,
    };
    match form.map_or(shortest, |f| (f % 3).max(shortest)) {
        0 => vec![len as u8],
        1 => (0x4000 | len as u16).to_be_bytes().to_vec(),
        _ => (0x8000_0000 | len as u32).to_be_bytes().to_vec(),
    }
}

fn content_type_byte(content_type: ContentType) -> u8 {
    match content_type {
        ContentType::Application => 1,
        ContentType::Proposal => 2,
        ContentType::Commit => 3,
    }
}

fn check(bytes: &[u8]) {
    let _ = wire_format(bytes);
    let header = private_message_header(bytes);
    if let Ok(header) = &header {
        // The canonical encoding of the header just read.
        let mut canonical = vec![0, 1, 0, 2];
        canonical.extend(length_prefix(header.group_id.len(), None));
        canonical.extend_from_slice(header.group_id);
        canonical.extend_from_slice(&header.epoch.to_be_bytes());
        canonical.push(content_type_byte(header.content_type));
        assert!(
            bytes.starts_with(&canonical),
            "the gateway accepted a non-canonical header {bytes:02x?}"
        );
    }
    let Ok(message) = MlsMessageIn::tls_deserialize_exact(bytes) else {
        return;
    };
    if !bytes.starts_with(&[0, 1]) {
        return;
    }
    let Ok(message) = message.try_into_protocol_message() else {
        return;
    };
    if !matches!(
        message,
        openmls::prelude::ProtocolMessage::PrivateMessage(_)
    ) {
        return;
    }
    let header = header.expect("OpenMLS read a PrivateMessage the gateway refused");
    assert_eq!(header.group_id, message.group_id().as_slice());
    assert_eq!(header.epoch, message.epoch().as_u64());
    let same_type = matches!(
        (header.content_type, message.content_type()),
        (ContentType::Application, MlsContentType::Application)
            | (ContentType::Proposal, MlsContentType::Proposal)
            | (ContentType::Commit, MlsContentType::Commit)
    );
    assert!(same_type, "content types differ");
}

fn run(input: Input<'_>) {
    match input {
        Input::Raw(bytes) => check(bytes),
        Input::Built {
            wire_format,
            group_id,
            length_form,
            epoch,
            content_type,
            rest,
            damage,
        } => {
            let mut bytes = vec![0, 1];
            bytes.extend_from_slice(&(wire_format % 6).to_be_bytes());
            bytes.extend(length_prefix(group_id.len(), Some(length_form)));
            bytes.extend_from_slice(group_id);
            bytes.extend_from_slice(&epoch.to_be_bytes());
            bytes.push(content_type % 5);
            bytes.extend_from_slice(rest);
            let intact = damage.is_none();
            damage.apply(&mut bytes);
            check(&bytes);
            let canonical = length_prefix(group_id.len(), None).len()
                == length_prefix(group_id.len(), Some(length_form)).len();
            if intact && canonical && wire_format % 6 == 2 && (1..=3).contains(&(content_type % 5))
            {
                let header = private_message_header(&bytes).expect("a well-formed header reads");
                assert_eq!((header.group_id, header.epoch), (group_id, epoch));
            }
        }
    }
}

/// The target on the bytes libFuzzer gives it: `false` when they do not make an input.
pub fn fuzz(bytes: &[u8]) -> bool {
    crate::structured(bytes, run)
}
