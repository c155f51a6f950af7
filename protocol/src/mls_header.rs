//! The cleartext header of an MLS message (RFC 9420 §6), read without any key: what the
//! gateway, as the Delivery Service, needs to order a room's messages and nothing more.
//!
//! ```text
//! MLSMessage     = version (u16, 1 = mls10) ‖ wire_format (u16) ‖ body
//! PrivateMessage = group_id<V> ‖ epoch (u64) ‖ content_type (u8) ‖ authenticated_data<V>
//!                  ‖ encrypted_sender_data<V> ‖ ciphertext<V>
//! ```
//!
//! `<V>` is a vector with a QUIC-style variable-length size (RFC 9000 §16): the top two bits
//! of the first byte give the size of the length field (1, 2 or 4 bytes; 8 is not allowed in
//! MLS), and the length is written in the fewest bytes that hold it (RFC 9420 §2.1.2), as
//! every MLS implementation checks. Integers are big-endian. Everything after
//! `content_type` stays unread: the sender, the generation and the content are encrypted,
//! and the gateway never needs them.
//!
//! The reader refuses what clients' MLS libraries refuse in the part it reads, so that the
//! gateway never orders a commit its members cannot parse: a header with a longer length
//! form than needed would otherwise take the room's epoch while every client drops it.

/// `version` of MLS 1.0.
pub const MLS_10: u16 = 1;

/// The message kinds an `MLSMessage` can carry (`wire_format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WireFormat {
    /// A signed but unencrypted handshake message.
    PublicMessage,
    /// An encrypted message: the only kind rooms relay.
    PrivateMessage,
    /// The secrets that let a new member join.
    Welcome,
    /// A group's public state.
    GroupInfo,
    /// A prospective member's public keys.
    KeyPackage,
}

/// What a PrivateMessage carries (`content_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContentType {
    /// Application data.
    Application,
    /// A proposal (add, remove, update, …) for the next commit.
    Proposal,
    /// A commit: moves the group to its next epoch.
    Commit,
}

/// The header of a PrivateMessage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrivateMessageHeader<'a> {
    /// The group the message belongs to.
    pub group_id: &'a [u8],
    /// The epoch it was sent in.
    pub epoch: u64,
    /// Application data, proposal or commit.
    pub content_type: ContentType,
}

/// Why bytes are not the MLS message expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MlsHeaderError {
    /// Raised if the bytes end inside the header.
    #[error("the MLS message ends inside its header")]
    Truncated,
    /// Raised if the version is not MLS 1.0.
    #[error("MLS protocol version {0} is not MLS 1.0")]
    Version(u16),
    /// Raised if the wire format is not one RFC 9420 defines.
    #[error("unknown MLS wire format {0}")]
    WireFormat(u16),
    /// Raised if a PrivateMessage's content type is not application, proposal or commit.
    #[error("unknown MLS content type {0}")]
    ContentType(u8),
    /// Raised if a vector length uses the 8-byte form, which MLS forbids.
    #[error("an MLS vector length uses the 8-byte form")]
    VectorLength,
    /// Raised if a vector length is written in more bytes than it needs, which RFC 9420
    /// §2.1.2 forbids (so that every header has one encoding).
    #[error("an MLS vector length is not written in its shortest form")]
    LongLengthForm,
    /// Raised if the message is of another kind than the one expected.
    #[error("expected an MLS {expected:?}, got {got:?}")]
    Unexpected {
        /// What was expected.
        expected: WireFormat,
        /// What arrived.
        got: WireFormat,
    },
}

struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, count: usize) -> Result<&'a [u8], MlsHeaderError> {
        if self.bytes.len() < count {
            return Err(MlsHeaderError::Truncated);
        }
        let (head, rest) = self.bytes.split_at(count);
        self.bytes = rest;
        Ok(head)
    }

    fn u8(&mut self) -> Result<u8, MlsHeaderError> {
        Ok(self.take(1)?[0])
    }

    fn u16(&mut self) -> Result<u16, MlsHeaderError> {
        let bytes = self.take(2)?;
        Ok(u16::from_be_bytes([bytes[0], bytes[1]]))
    }

    fn u64(&mut self) -> Result<u64, MlsHeaderError> {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(self.take(8)?);
        Ok(u64::from_be_bytes(bytes))
    }

    /// A vector with a variable-length size prefix (RFC 9420 §2.1.2), in its shortest form.
    fn vector(&mut self) -> Result<&'a [u8], MlsHeaderError> {
        let first = self.u8()?;
        let (length, shortest) = match first >> 6 {
            0 => (usize::from(first & 0x3f), true),
            1 => {
                let length = usize::from(first & 0x3f) << 8 | usize::from(self.u8()?);
                (length, length > 0x3f)
            }
            2 => {
                let rest = self.take(3)?;
                let length = (usize::from(first & 0x3f) << 24)
                    | (usize::from(rest[0]) << 16)
                    | (usize::from(rest[1]) << 8)
                    | usize::from(rest[2]);
                (length, length > 0x3fff)
            }
            _ => return Err(MlsHeaderError::VectorLength),
        };
        if !shortest {
            return Err(MlsHeaderError::LongLengthForm);
        }
        self.take(length)
    }
}

/// Reads the version and wire format of an `MLSMessage`.
pub fn wire_format(message: &[u8]) -> Result<WireFormat, MlsHeaderError> {
    let mut reader = Reader { bytes: message };
    read_wire_format(&mut reader)
}

fn read_wire_format(reader: &mut Reader<'_>) -> Result<WireFormat, MlsHeaderError> {
    let version = reader.u16()?;
    if version != MLS_10 {
        return Err(MlsHeaderError::Version(version));
    }
    Ok(match reader.u16()? {
        1 => WireFormat::PublicMessage,
        2 => WireFormat::PrivateMessage,
        3 => WireFormat::Welcome,
        4 => WireFormat::GroupInfo,
        5 => WireFormat::KeyPackage,
        other => return Err(MlsHeaderError::WireFormat(other)),
    })
}

/// Reads the cleartext header of an `MLSMessage` that must be a PrivateMessage.
pub fn private_message_header(message: &[u8]) -> Result<PrivateMessageHeader<'_>, MlsHeaderError> {
    let mut reader = Reader { bytes: message };
    let format = read_wire_format(&mut reader)?;
    if format != WireFormat::PrivateMessage {
        return Err(MlsHeaderError::Unexpected {
            expected: WireFormat::PrivateMessage,
            got: format,
        });
    }
    let group_id = reader.vector()?;
    let epoch = reader.u64()?;
    let content_type = match reader.u8()? {
        1 => ContentType::Application,
        2 => ContentType::Proposal,
        3 => ContentType::Commit,
        other => return Err(MlsHeaderError::ContentType(other)),
    };
    Ok(PrivateMessageHeader {
        group_id,
        epoch,
        content_type,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn private_message(group_id: &[u8], epoch: u64, content_type: u8) -> Vec<u8> {
        let mut bytes = vec![0, 1, 0, 2, group_id.len() as u8];
        bytes.extend_from_slice(group_id);
        bytes.extend_from_slice(&epoch.to_be_bytes());
        bytes.push(content_type);
        bytes.extend_from_slice(&[0, 0, 0]);
        bytes
    }

    #[test]
    fn a_private_message_header_reads_group_epoch_and_content_type() {
        let bytes = private_message(b"sixteen byte id!", 7, 3);
        assert_eq!(
            private_message_header(&bytes),
            Ok(PrivateMessageHeader {
                group_id: b"sixteen byte id!",
                epoch: 7,
                content_type: ContentType::Commit
            })
        );
    }

    #[test]
    fn two_and_four_byte_vector_lengths_are_read() {
        let id = [9u8; 70];
        let mut bytes = vec![0, 1, 0, 2, 0x40, 70];
        bytes.extend_from_slice(&id);
        bytes.extend_from_slice(&1u64.to_be_bytes());
        bytes.push(1);
        let header = private_message_header(&bytes).map(|h| (h.group_id.len(), h.epoch));
        assert_eq!(header, Ok((70, 1)));
        let mut four = vec![0, 1, 0, 2, 0x80, 0, 0x40, 0];
        four.extend_from_slice(&[0xaa; 0x4000]);
        four.extend_from_slice(&5u64.to_be_bytes());
        four.push(2);
        assert_eq!(
            private_message_header(&four).map(|h| (h.group_id.len(), h.content_type)),
            Ok((0x4000, ContentType::Proposal))
        );
    }

    #[test]
    fn a_vector_length_in_a_longer_form_than_it_needs_is_refused() {
        // Found by the `mls_header` fuzz target: the gateway read `40 01` (a 2-byte length
        // of 1) where OpenMLS, like every client, refuses anything but `01`.
        let mut two = vec![0, 1, 0, 2, 0x40, 1, 0xca];
        two.extend_from_slice(&3u64.to_be_bytes());
        two.push(3);
        assert_eq!(
            private_message_header(&two),
            Err(MlsHeaderError::LongLengthForm)
        );
        let mut four = vec![0, 1, 0, 2, 0x80, 0, 0x3f, 0xff];
        four.extend_from_slice(&[7; 0x3fff]);
        four.extend_from_slice(&3u64.to_be_bytes());
        four.push(3);
        assert_eq!(
            private_message_header(&four),
            Err(MlsHeaderError::LongLengthForm)
        );
        // The shortest forms of the same lengths still read.
        let mut one = vec![0, 1, 0, 2, 1, 0xca];
        one.extend_from_slice(&3u64.to_be_bytes());
        one.push(3);
        assert_eq!(private_message_header(&one).map(|h| h.epoch), Ok(3));
        let mut two = vec![0, 1, 0, 2, 0x7f, 0xff];
        two.extend_from_slice(&[7; 0x3fff]);
        two.extend_from_slice(&3u64.to_be_bytes());
        two.push(3);
        assert_eq!(
            private_message_header(&two).map(|h| h.group_id.len()),
            Ok(0x3fff)
        );
    }

    #[test]
    fn every_malformation_is_named() {
        let good = private_message(b"g", 1, 1);
        assert_eq!(
            private_message_header(&good[..9]),
            Err(MlsHeaderError::Truncated)
        );
        let mut version = good.clone();
        version[1] = 2;
        assert_eq!(
            private_message_header(&version),
            Err(MlsHeaderError::Version(2))
        );
        let mut public = good.clone();
        public[3] = 1;
        assert!(matches!(
            private_message_header(&public),
            Err(MlsHeaderError::Unexpected { .. })
        ));
        let mut format = good.clone();
        format[3] = 9;
        assert_eq!(
            private_message_header(&format),
            Err(MlsHeaderError::WireFormat(9))
        );
        let mut content = good.clone();
        content[14] = 4;
        assert_eq!(
            private_message_header(&content),
            Err(MlsHeaderError::ContentType(4))
        );
        let mut wide = good;
        wide[4] = 0xc0;
        assert_eq!(
            private_message_header(&wide),
            Err(MlsHeaderError::VectorLength)
        );
    }
}
