//! The sign-in message (SIWS, the Solana variant of EIP-4361), built by the gateway, checked
//! by the client before its wallet signs it, and parsed again by the gateway:
//!
//! ```text
//! {domain} wants you to sign in with your Solana account:
//! {address}
//!
//! {statement}
//!
//! URI: {uri}
//! Version: 1
//! Chain ID: {chain_id}
//! Nonce: {nonce}
//! Issued At: {RFC 3339}
//! Expiration Time: {RFC 3339}
//! Not Before: {RFC 3339}            (optional)
//! ```

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

const HEADER_SUFFIX: &str = " wants you to sign in with your Solana account:";

/// The statement every AnoGhost sign-in carries.
pub const STATEMENT: &str =
    "Sign in to AnoGhost. This proves you hold this wallet; it moves no funds.";

/// A text that is not a SIWS message of this layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a sign-in message of the SIWS layout")]
pub struct MalformedSiws;

/// A SIWS message's fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiwsMessage {
    /// The domain asking for the sign-in (host, and port if not the default).
    pub domain: String,
    /// The wallet signing in, base58.
    pub address: String,
    /// The human-readable statement.
    pub statement: String,
    /// The URI of the gateway.
    pub uri: String,
    /// The cluster, e.g. `solana:devnet`.
    pub chain_id: String,
    /// The single-use nonce.
    pub nonce: String,
    /// When the challenge was issued.
    pub issued_at: OffsetDateTime,
    /// When the challenge stops being valid.
    pub expiration_time: OffsetDateTime,
    /// When the challenge starts being valid, if set.
    pub not_before: Option<OffsetDateTime>,
}

/// `at` in RFC 3339, as SIWS messages write timestamps.
pub fn rfc3339(at: OffsetDateTime) -> String {
    at.format(&Rfc3339).unwrap_or_default()
}

impl SiwsMessage {
    /// The exact text the wallet signs.
    pub fn to_text(&self) -> String {
        let mut text = format!(
            "{}{HEADER_SUFFIX}\n{}\n\n{}\n\nURI: {}\nVersion: 1\nChain ID: {}\nNonce: {}\nIssued At: {}\nExpiration Time: {}",
            self.domain,
            self.address,
            self.statement,
            self.uri,
            self.chain_id,
            self.nonce,
            rfc3339(self.issued_at),
            rfc3339(self.expiration_time),
        );
        if let Some(not_before) = self.not_before {
            text.push_str("\nNot Before: ");
            text.push_str(&rfc3339(not_before));
        }
        text
    }

    /// Parses the text of a SIWS message in the layout above.
    pub fn parse(text: &str) -> Result<Self, MalformedSiws> {
        let mut lines = text.split('\n');
        let mut next = || lines.next().ok_or(MalformedSiws);
        let domain = next()?
            .strip_suffix(HEADER_SUFFIX)
            .ok_or(MalformedSiws)?
            .to_owned();
        let address = next()?.to_owned();
        expect_empty(next()?)?;
        let statement = next()?.to_owned();
        expect_empty(next()?)?;
        let uri = field(next()?, "URI")?.to_owned();
        if field(next()?, "Version")? != "1" {
            return Err(MalformedSiws);
        }
        let chain_id = field(next()?, "Chain ID")?.to_owned();
        let nonce = field(next()?, "Nonce")?.to_owned();
        let issued_at = timestamp(field(next()?, "Issued At")?)?;
        let expiration_time = timestamp(field(next()?, "Expiration Time")?)?;
        let not_before = match lines.next() {
            None => None,
            Some(line) => Some(timestamp(field(line, "Not Before")?)?),
        };
        if lines.next().is_some() || domain.is_empty() || address.is_empty() {
            return Err(MalformedSiws);
        }
        Ok(Self {
            domain,
            address,
            statement,
            uri,
            chain_id,
            nonce,
            issued_at,
            expiration_time,
            not_before,
        })
    }
}

fn expect_empty(line: &str) -> Result<(), MalformedSiws> {
    line.is_empty().then_some(()).ok_or(MalformedSiws)
}

fn field<'a>(line: &'a str, name: &str) -> Result<&'a str, MalformedSiws> {
    line.strip_prefix(name)
        .and_then(|rest| rest.strip_prefix(": "))
        .ok_or(MalformedSiws)
}

fn timestamp(text: &str) -> Result<OffsetDateTime, MalformedSiws> {
    OffsetDateTime::parse(text, &Rfc3339).map_err(|_| MalformedSiws)
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    fn sample() -> SiwsMessage {
        SiwsMessage {
            domain: "chat.example".into(),
            address: "7cVfgArCheMR6Cs4t6vz5rfnqd56vZq4ndaBrY5xkxXy".into(),
            statement: STATEMENT.into(),
            uri: "https://chat.example".into(),
            chain_id: "solana:devnet".into(),
            nonce: "N0nce1234".into(),
            issued_at: datetime!(2026-01-01 00:00:00 UTC),
            expiration_time: datetime!(2026-01-01 00:05:00 UTC),
            not_before: None,
        }
    }

    #[test]
    fn text_round_trips_with_and_without_not_before() {
        let message = sample();
        assert_eq!(SiwsMessage::parse(&message.to_text()), Ok(message.clone()));
        let later = SiwsMessage {
            not_before: Some(datetime!(2026-01-01 00:01:00 UTC)),
            ..message
        };
        assert_eq!(SiwsMessage::parse(&later.to_text()), Ok(later));
    }

    #[test]
    fn text_matches_the_siws_layout() {
        let text = sample().to_text();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "chat.example wants you to sign in with your Solana account:"
        );
        assert_eq!(lines[4], "");
        assert_eq!(lines[5], "URI: https://chat.example");
        assert_eq!(lines[6], "Version: 1");
        assert_eq!(lines[9], "Issued At: 2026-01-01T00:00:00Z");
    }

    #[test]
    fn malformed_messages_are_refused() {
        let text = sample().to_text();
        for broken in [
            String::new(),
            text.replace("wants you", "would like you"),
            text.replace("Version: 1", "Version: 2"),
            text.replace("Issued At: 2026-01-01T00:00:00Z", "Issued At: yesterday"),
            format!("{text}\nExtra: field"),
        ] {
            assert_eq!(SiwsMessage::parse(&broken), Err(MalformedSiws), "{broken}");
        }
    }
}
