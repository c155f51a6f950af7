//! The sign-in (SIWS) message parser (`protocol/src/siws.rs`), which the gateway runs on
//! every `auth` and the SDK on every challenge before its wallet signs.
//!
//! Invariants: parsing never panics; what parses re-renders to text that parses to the same
//! message; a message built field by field, whose fields fit on their lines, reads back
//! exactly (so the text a wallet signs says what the gateway checks).

use anoghost_protocol::siws::{rfc3339, SiwsMessage};
use arbitrary::Arbitrary;
use time::{OffsetDateTime, UtcOffset};

#[derive(Debug, Arbitrary)]
enum Input<'a> {
    Text(&'a str),
    Fields {
        domain: String,
        address: String,
        statement: String,
        uri: String,
        chain_id: String,
        nonce: String,
        issued_at: Moment,
        expiration_time: Moment,
        not_before: Option<Moment>,
    },
}

#[derive(Debug, Arbitrary)]
struct Moment {
    unix_seconds: i64,
    nanoseconds: u32,
    offset_seconds: i32,
}

impl Moment {
    fn at(&self) -> Option<OffsetDateTime> {
        // ±9999 years: the range `time` holds without its large-dates feature.
        let seconds = self.unix_seconds % 253_402_300_799;
        let offset = UtcOffset::from_whole_seconds(self.offset_seconds % 86_400).ok()?;
        OffsetDateTime::from_unix_timestamp(seconds)
            .ok()?
            .replace_nanosecond(self.nanoseconds % 1_000_000_000)
            .ok()?
            .checked_to_offset(offset)
    }
}

fn fits_on_its_line(field: &str) -> bool {
    !field.contains('\n')
}

fn run(input: Input<'_>) {
    match input {
        Input::Text(text) => {
            if let Ok(message) = SiwsMessage::parse(text) {
                assert_eq!(SiwsMessage::parse(&message.to_text()), Ok(message));
            }
        }
        Input::Fields {
            domain,
            address,
            statement,
            uri,
            chain_id,
            nonce,
            issued_at,
            expiration_time,
            not_before,
        } => {
            let (Some(issued_at), Some(expiration_time)) = (issued_at.at(), expiration_time.at())
            else {
                return;
            };
            let not_before = match not_before.map(|m| m.at()) {
                Some(None) => return,
                Some(Some(at)) => Some(at),
                None => None,
            };
            let message = SiwsMessage {
                domain,
                address,
                statement,
                uri,
                chain_id,
                nonce,
                issued_at,
                expiration_time,
                not_before,
            };
            let parsed = SiwsMessage::parse(&message.to_text());
            let lines = [
                &message.domain,
                &message.address,
                &message.statement,
                &message.uri,
                &message.chain_id,
                &message.nonce,
            ];
            let times_render = [Some(issued_at), Some(expiration_time), not_before]
                .into_iter()
                .flatten()
                .all(|at| !rfc3339(at).is_empty());
            if lines.iter().all(|l| fits_on_its_line(l))
                && !message.domain.is_empty()
                && !message.address.is_empty()
                && times_render
            {
                assert_eq!(parsed, Ok(message));
            }
        }
    }
}

/// The target on the bytes libFuzzer gives it: `false` when they do not make an input.
pub fn fuzz(bytes: &[u8]) -> bool {
    crate::structured(bytes, run)
}
