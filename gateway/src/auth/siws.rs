//! The SIWS message format (the Solana variant of EIP-4361):
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

use ed25519_dalek::{Signature, VerifyingKey};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::secret::WalletAddress;

const HEADER_SUFFIX: &str = " wants you to sign in with your Solana account:";
/// The statement every challenge carries.
pub const STATEMENT: &str =
    "Sign in to AnoGhost. This proves you hold this wallet; it moves no funds.";
/// Clock skew tolerated on `Issued At`.
const MAX_CLOCK_SKEW_SECS: i64 = 60;

/// Why a sign-in was refused. Each maps to one protocol error code (`error_codes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignInError {
    /// Raised if the text is not a SIWS message of the expected shape.
    #[error("malformed sign-in message")]
    Malformed,
    /// Raised if the message's domain is not this gateway's.
    #[error("wrong domain")]
    WrongDomain,
    /// Raised if the message's expiration time has passed.
    #[error("expired")]
    Expired,
    /// Raised if `Not Before` (or `Issued At`, beyond the skew) is in the future.
    #[error("not yet valid")]
    NotYetValid,
    /// Raised if the signature is not valid for the message's address.
    #[error("bad signature")]
    BadSignature,
    /// Raised if the nonce was never issued, belongs to another address or has expired.
    #[error("unknown nonce")]
    UnknownNonce,
    /// Raised if the nonce was already used.
    #[error("nonce reused")]
    ReusedNonce,
    /// Raised if the gateway remembers as many spent nonces as `--max-used-nonces` allows;
    /// they are forgotten as they expire.
    #[error("too many recent sign-ins")]
    Busy,
}

/// A SIWS message's fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiwsMessage {
    /// The domain asking for the sign-in.
    pub domain: String,
    /// The wallet signing in.
    pub address: WalletAddress,
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
    // unwrap: formatting a valid OffsetDateTime as RFC 3339 cannot fail for years 0..=9999.
    #[allow(clippy::unwrap_used)]
    at.format(&Rfc3339).unwrap()
}

impl SiwsMessage {
    /// The exact text the wallet signs.
    pub fn to_text(&self) -> String {
        let mut text = format!(
            "{}{HEADER_SUFFIX}\n{}\n\n{}\n\nURI: {}\nVersion: 1\nChain ID: {}\nNonce: {}\nIssued At: {}\nExpiration Time: {}",
            self.domain,
            self.address.to_base58(),
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
    pub fn parse(text: &str) -> Result<Self, SignInError> {
        let mut lines = text.split('\n');
        let mut next = || lines.next().ok_or(SignInError::Malformed);
        let domain = next()?
            .strip_suffix(HEADER_SUFFIX)
            .ok_or(SignInError::Malformed)?
            .to_owned();
        let address = WalletAddress::from_base58(next()?).ok_or(SignInError::Malformed)?;
        expect_empty(next()?)?;
        let statement = next()?.to_owned();
        expect_empty(next()?)?;
        let uri = field(next()?, "URI")?.to_owned();
        if field(next()?, "Version")? != "1" {
            return Err(SignInError::Malformed);
        }
        let chain_id = field(next()?, "Chain ID")?.to_owned();
        let nonce = field(next()?, "Nonce")?.to_owned();
        let issued_at = timestamp(field(next()?, "Issued At")?)?;
        let expiration_time = timestamp(field(next()?, "Expiration Time")?)?;
        let not_before = match lines.next() {
            None => None,
            Some(line) => Some(timestamp(field(line, "Not Before")?)?),
        };
        if lines.next().is_some() {
            return Err(SignInError::Malformed);
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

    /// Checks the domain and the validity window against `now`.
    pub fn check(&self, domain: &str, now: OffsetDateTime) -> Result<(), SignInError> {
        if self.domain != domain {
            return Err(SignInError::WrongDomain);
        }
        if now >= self.expiration_time {
            return Err(SignInError::Expired);
        }
        let skew = time::Duration::seconds(MAX_CLOCK_SKEW_SECS);
        let too_early = self.issued_at > now + skew
            || self.not_before.is_some_and(|not_before| not_before > now);
        if too_early {
            return Err(SignInError::NotYetValid);
        }
        Ok(())
    }
}

/// Verifies a base58 ed25519 `signature` over `text` by `address`.
pub fn verify_signature(
    address: &WalletAddress,
    text: &str,
    signature: &str,
) -> Result<(), SignInError> {
    let mut bytes = [0u8; 64];
    match bs58::decode(signature).onto(&mut bytes) {
        Ok(64) => {}
        _ => return Err(SignInError::BadSignature),
    }
    let key =
        VerifyingKey::from_bytes(address.as_bytes()).map_err(|_| SignInError::BadSignature)?;
    key.verify_strict(text.as_bytes(), &Signature::from_bytes(&bytes))
        .map_err(|_| SignInError::BadSignature)
}

fn expect_empty(line: &str) -> Result<(), SignInError> {
    if line.is_empty() {
        Ok(())
    } else {
        Err(SignInError::Malformed)
    }
}

fn field<'a>(line: &'a str, name: &str) -> Result<&'a str, SignInError> {
    line.strip_prefix(name)
        .and_then(|rest| rest.strip_prefix(": "))
        .ok_or(SignInError::Malformed)
}

fn timestamp(text: &str) -> Result<OffsetDateTime, SignInError> {
    OffsetDateTime::parse(text, &Rfc3339).map_err(|_| SignInError::Malformed)
}

#[cfg(test)]
mod tests {
    use ed25519_dalek::{Signer, SigningKey};
    use time::macros::datetime;

    use super::*;

    fn sample(address: WalletAddress) -> SiwsMessage {
        SiwsMessage {
            domain: "chat.example".into(),
            address,
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
    fn text_round_trips() {
        let message = sample(WalletAddress::from_bytes([3; 32]));
        assert_eq!(SiwsMessage::parse(&message.to_text()), Ok(message.clone()));
        let with_not_before = SiwsMessage {
            not_before: Some(datetime!(2026-01-01 00:01:00 UTC)),
            ..message
        };
        assert_eq!(
            SiwsMessage::parse(&with_not_before.to_text()),
            Ok(with_not_before)
        );
    }

    #[test]
    fn text_matches_the_siws_layout() {
        let text = sample(WalletAddress::from_bytes([3; 32])).to_text();
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
        let text = sample(WalletAddress::from_bytes([3; 32])).to_text();
        for broken in [
            String::new(),
            text.replace("wants you", "would like you"),
            text.replace("Version: 1", "Version: 2"),
            text.replace("Issued At: 2026-01-01T00:00:00Z", "Issued At: yesterday"),
            format!("{text}\nExtra: field"),
        ] {
            assert_eq!(SiwsMessage::parse(&broken), Err(SignInError::Malformed));
        }
    }

    #[test]
    fn domain_and_time_window_are_checked() {
        let message = sample(WalletAddress::from_bytes([3; 32]));
        let inside = datetime!(2026-01-01 00:02:00 UTC);
        assert_eq!(message.check("chat.example", inside), Ok(()));
        assert_eq!(
            message.check("evil.example", inside),
            Err(SignInError::WrongDomain)
        );
        assert_eq!(
            message.check("chat.example", datetime!(2026-01-01 00:05:00 UTC)),
            Err(SignInError::Expired)
        );
        assert_eq!(
            message.check("chat.example", datetime!(2025-12-31 23:58:00 UTC)),
            Err(SignInError::NotYetValid)
        );
    }

    #[test]
    fn signature_must_match_the_address() {
        let signer = SigningKey::from_bytes(&[5; 32]);
        let address = WalletAddress::from_bytes(signer.verifying_key().to_bytes());
        let text = sample(address.clone()).to_text();
        let signature = bs58::encode(signer.sign(text.as_bytes()).to_bytes()).into_string();
        assert_eq!(verify_signature(&address, &text, &signature), Ok(()));
        let other =
            WalletAddress::from_bytes(SigningKey::from_bytes(&[6; 32]).verifying_key().to_bytes());
        assert_eq!(
            verify_signature(&other, &text, &signature),
            Err(SignInError::BadSignature)
        );
        assert_eq!(
            verify_signature(&address, &format!("{text} "), &signature),
            Err(SignInError::BadSignature)
        );
        assert_eq!(
            verify_signature(&address, &text, "xyz"),
            Err(SignInError::BadSignature)
        );
    }
}
