//! What a client checks in a sign-in message before its wallet signs it. A gateway (or
//! anyone between) could otherwise hand the client a message for another site, or one that
//! stays valid for a year, and the wallet would sign it.

use anoghost_protocol::siws::{SiwsMessage, STATEMENT};
use time::OffsetDateTime;

/// The longest validity window accepted: the gateway's default is five minutes.
const MAX_VALIDITY: time::Duration = time::Duration::minutes(15);
/// Clock skew tolerated on `Issued At`.
const MAX_SKEW: time::Duration = time::Duration::minutes(5);

/// What the sign-in message must say, for the gateway this client dialled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected {
    /// The gateway's authority: host, and port if not the default (`127.0.0.1:8787`).
    pub domain: String,
    /// The gateway's origin (`http://127.0.0.1:8787`, `https://chat.example`).
    pub uri: String,
    /// The wallet signing in, base58.
    pub address: String,
    /// The cluster, e.g. `solana:devnet`.
    pub chain_id: String,
    /// The nonce the challenge endpoint returned beside the message.
    pub nonce: String,
}

/// Why a sign-in message was refused before signing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignInRefusal {
    /// Raised if the text is not a SIWS message.
    #[error("the gateway's sign-in message is not a SIWS message")]
    Malformed,
    /// Raised if a field differs from what this client expects.
    #[error("the sign-in message names {field} {got:?}, but this client expects {expected:?}")]
    Mismatch {
        /// Which field.
        field: &'static str,
        /// What this client expects.
        expected: String,
        /// What the message says.
        got: String,
    },
    /// Raised if the validity window is not a short one around now.
    #[error("the sign-in message is valid at the wrong time or for too long")]
    Times,
}

/// Checks `text` against `expected` at `now`.
pub fn check(text: &str, expected: &Expected, now: OffsetDateTime) -> Result<(), SignInRefusal> {
    let message = SiwsMessage::parse(text).map_err(|_| SignInRefusal::Malformed)?;
    let fields = [
        ("domain", &expected.domain, &message.domain),
        ("URI", &expected.uri, &message.uri),
        ("address", &expected.address, &message.address),
        ("chain id", &expected.chain_id, &message.chain_id),
        ("nonce", &expected.nonce, &message.nonce),
        ("statement", &STATEMENT.to_owned(), &message.statement),
    ];
    for (field, expected, got) in fields {
        if expected != got {
            return Err(SignInRefusal::Mismatch {
                field,
                expected: expected.clone(),
                got: got.clone(),
            });
        }
    }
    let window = message.expiration_time - message.issued_at;
    let fresh = message.issued_at <= now + MAX_SKEW
        && message.issued_at >= now - MAX_VALIDITY
        && message.expiration_time > now
        && window <= MAX_VALIDITY
        && message.not_before.is_none_or(|at| at <= now + MAX_SKEW);
    if !fresh {
        return Err(SignInRefusal::Times);
    }
    Ok(())
}

/// The authority (host and port) of a `ws://` or `wss://` URL.
pub fn authority(ws_url: &str) -> Option<&str> {
    let rest = ws_url
        .strip_prefix("wss://")
        .or_else(|| ws_url.strip_prefix("ws://"))?;
    rest.split('/').next()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expected() -> Expected {
        Expected {
            domain: "127.0.0.1:8787".into(),
            uri: "http://127.0.0.1:8787".into(),
            address: "7cVfgArCheMR6Cs4t6vz5rfnqd56vZq4ndaBrY5xkxXy".into(),
            chain_id: "solana:localnet".into(),
            nonce: "n0nce".into(),
        }
    }

    fn message(now: OffsetDateTime) -> SiwsMessage {
        let expected = expected();
        SiwsMessage {
            domain: expected.domain,
            address: expected.address,
            statement: STATEMENT.into(),
            uri: expected.uri,
            chain_id: expected.chain_id,
            nonce: expected.nonce,
            issued_at: now,
            expiration_time: now + time::Duration::minutes(5),
            not_before: None,
        }
    }

    #[test]
    fn the_expected_message_passes_and_each_wrong_field_is_named() {
        let now = OffsetDateTime::now_utc();
        assert_eq!(check(&message(now).to_text(), &expected(), now), Ok(()));
        type Edit = fn(&mut SiwsMessage);
        let edits: [(&str, Edit); 6] = [
            ("domain", |m| m.domain = "evil.example".into()),
            ("URI", |m| m.uri = "https://evil.example".into()),
            ("address", |m| {
                m.address = "11111111111111111111111111111111".into()
            }),
            ("chain id", |m| m.chain_id = "solana:mainnet".into()),
            ("nonce", |m| m.nonce = "other".into()),
            ("statement", |m| m.statement = "Pay 100 SOL".into()),
        ];
        for (field, edit) in edits {
            let mut forged = message(now);
            edit(&mut forged);
            assert!(
                matches!(
                    check(&forged.to_text(), &expected(), now),
                    Err(SignInRefusal::Mismatch { field: f, .. }) if f == field
                ),
                "{field}"
            );
        }
    }

    #[test]
    fn a_long_lived_or_stale_message_is_refused() {
        let now = OffsetDateTime::now_utc();
        let mut long = message(now);
        long.expiration_time = now + time::Duration::days(365);
        assert_eq!(
            check(&long.to_text(), &expected(), now),
            Err(SignInRefusal::Times)
        );
        let stale = message(now - time::Duration::hours(1));
        assert_eq!(
            check(&stale.to_text(), &expected(), now),
            Err(SignInRefusal::Times)
        );
        assert_eq!(
            check("hello", &expected(), now),
            Err(SignInRefusal::Malformed)
        );
    }
}
