//! The raw-TCP framing of the box-limit relay (`relay-raw`) and its clients: the gateway's
//! protocol v2 messages with no WebSocket layer. Each record is a 4-byte big-endian length
//! followed by that many bytes; a record whose first byte is `{` is a JSON control message
//! (a text frame on the WebSocket), any other is a binary frame (version byte 2).

use bytes::{Buf, BufMut, BytesMut};

/// Bytes of the length prefix.
pub const PREFIX_LEN: usize = 4;

/// Largest record either side accepts; a longer prefix is a broken peer.
pub const MAX_RECORD: usize = 1 << 20;

/// A record that is not a well-formed length prefix.
#[derive(Debug)]
pub struct RecordTooLong(pub usize);

impl std::fmt::Display for RecordTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "record of {} bytes exceeds {MAX_RECORD}", self.0)
    }
}

impl std::error::Error for RecordTooLong {}

/// Takes one whole record off the front of `buffer`, if one is there. The record's bytes
/// share `buffer`'s allocation.
pub fn take_record(buffer: &mut BytesMut) -> Result<Option<BytesMut>, RecordTooLong> {
    let Some(prefix) = buffer.get(..PREFIX_LEN) else {
        return Ok(None);
    };
    let len = u32::from_be_bytes([prefix[0], prefix[1], prefix[2], prefix[3]]) as usize;
    if len > MAX_RECORD {
        return Err(RecordTooLong(len));
    }
    if buffer.len() < PREFIX_LEN + len {
        buffer.reserve(PREFIX_LEN + len - buffer.len());
        return Ok(None);
    }
    buffer.advance(PREFIX_LEN);
    Ok(Some(buffer.split_to(len)))
}

/// Appends `payload` as one record.
pub fn put_record(out: &mut impl BufMut, payload: &[u8]) {
    out.put_u32(payload.len() as u32);
    out.put_slice(payload);
}

/// Whether a record is a JSON control message rather than a binary frame.
pub fn is_control(record: &[u8]) -> bool {
    record.first() == Some(&b'{')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_come_out_whole_and_in_order_whatever_the_split() {
        let mut wire = BytesMut::new();
        put_record(&mut wire, b"{\"type\":\"hello\"}");
        put_record(&mut wire, &[2, 0, 0, 0, 1, 0, 9]);
        let wire = wire.freeze();
        for split in 0..wire.len() {
            let mut buffer = BytesMut::from(&wire[..split]);
            let mut records = Vec::new();
            while let Some(record) = take_record(&mut buffer).unwrap() {
                records.push(record.to_vec());
            }
            buffer.extend_from_slice(&wire[split..]);
            while let Some(record) = take_record(&mut buffer).unwrap() {
                records.push(record.to_vec());
            }
            assert_eq!(
                records,
                vec![b"{\"type\":\"hello\"}".to_vec(), vec![2, 0, 0, 0, 1, 0, 9]]
            );
            assert!(buffer.is_empty());
        }
    }

    #[test]
    fn an_oversized_prefix_is_refused() {
        let mut buffer = BytesMut::from(&u32::MAX.to_be_bytes()[..]);
        assert!(take_record(&mut buffer).is_err());
    }
}
