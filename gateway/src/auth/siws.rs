//! Checking a sign-in. The message layout (SIWS, the Solana variant of EIP-4361) is the
//! protocol crate's; this adds what only the gateway checks:
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
use time::OffsetDateTime;

pub use anoghost_protocol::siws::{rfc3339, SiwsMessage, STATEMENT};

use crate::secret::WalletAddress;

/// Clock skew tolerated on `Issued At`.
const MAX_CLOCK_SKEW_SECS: i64 = 60;

/// Why a sign-in was refused. Each maps to one protocol error code (`error_codes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignInError {
    /// Raised if the text is not a SIWS message of the expected shape, or its address is not
    /// a wallet.
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

/// Parses a sign-in text and the wallet it names.
pub fn parse(text: &str) -> Result<(SiwsMessage, WalletAddress), SignInError> {
    let message = SiwsMessage::parse(text).map_err(|_| SignInError::Malformed)?;
    let wallet = WalletAddress::from_base58(&message.address).ok_or(SignInError::Malformed)?;
    Ok((message, wallet))
}

/// Checks the domain and the validity window against `now`.
pub fn check(message: &SiwsMessage, domain: &str, now: OffsetDateTime) -> Result<(), SignInError> {
    if message.domain != domain {
        return Err(SignInError::WrongDomain);
    }
    if now >= message.expiration_time {
        return Err(SignInError::Expired);
    }
    let skew = time::Duration::seconds(MAX_CLOCK_SKEW_SECS);
    let too_early = message.issued_at > now + skew
        || message
            .not_before
            .is_some_and(|not_before| not_before > now);
    if too_early {
        return Err(SignInError::NotYetValid);
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    use ed25519_dalek::{Signer, SigningKey};
    use time::macros::datetime;

    use super::*;

    fn sample(address: &WalletAddress) -> SiwsMessage {
        SiwsMessage {
            domain: "chat.example".into(),
            address: address.to_base58(),
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
    fn an_address_that_is_not_a_wallet_is_malformed() {
        let mut message = sample(&WalletAddress::from_bytes([3; 32]));
        assert!(parse(&message.to_text()).is_ok());
        message.address = "not-a-wallet".into();
        assert_eq!(
            parse(&message.to_text()).err(),
            Some(SignInError::Malformed)
        );
    }

    #[test]
    fn domain_and_time_window_are_checked() {
        let message = sample(&WalletAddress::from_bytes([3; 32]));
        let inside = datetime!(2026-01-01 00:02:00 UTC);
        assert_eq!(check(&message, "chat.example", inside), Ok(()));
        assert_eq!(
            check(&message, "evil.example", inside),
            Err(SignInError::WrongDomain)
        );
        assert_eq!(
            check(&message, "chat.example", datetime!(2026-01-01 00:05:00 UTC)),
            Err(SignInError::Expired)
        );
        assert_eq!(
            check(&message, "chat.example", datetime!(2025-12-31 23:58:00 UTC)),
            Err(SignInError::NotYetValid)
        );
    }

    #[test]
    fn signature_must_match_the_address() {
        let signer = SigningKey::from_bytes(&[5; 32]);
        let address = WalletAddress::from_bytes(signer.verifying_key().to_bytes());
        let text = sample(&address).to_text();
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
