//! The sign-in checks on both sides: the gateway's (`gateway/src/auth/siws.rs`: parse, the
//! domain and time window, the wallet's signature) and the SDK's before its wallet signs
//! (`client-sdk/src/gateway/sign_in.rs`).
//!
//! Inputs are challenges built as the gateway builds them, then edited field by field,
//! damaged byte by byte, and signed (or not) by the wallet they name.
//!
//! Invariants: no check panics; the gateway accepts a text only if it names this domain, is
//! inside its window at `now`, and carries the named wallet's signature over exactly those
//! bytes (damage after signing is always refused); the SDK accepts only a message that
//! names exactly what it expects, with a window no longer than 15 minutes around `now`.

use crate::Damage;
use anoghost_gateway::auth::siws::{check, parse, verify_signature, STATEMENT};
use anoghost_protocol::siws::SiwsMessage;
use anoghost_sdk::gateway::sign_in::{self, Expected};
use arbitrary::Arbitrary;
use ed25519_dalek::{Signer, SigningKey};
use time::{Duration, OffsetDateTime};

const DOMAIN: &str = "chat.example";
const URI: &str = "https://chat.example";
const CHAIN: &str = "solana:devnet";
const NONCE: &str = "4vJ9JU1bJJE96FWSJKvHsmmFADCg";

#[derive(Debug, Arbitrary)]
struct Input {
    /// Seconds after 2026-01-01 at which the check runs.
    now: u32,
    /// Seconds from `now` to `Issued At`, to `Expiration Time` and to `Not Before`.
    issued: i32,
    expires: i32,
    not_before: Option<i32>,
    /// Replacements for the fields the gateway fills in.
    domain: Option<String>,
    address: Option<String>,
    statement: Option<String>,
    nonce: Option<String>,
    signature: Signature,
    /// Damage to the text after signing.
    damage: Damage,
}

#[derive(Debug, Arbitrary)]
enum Signature {
    /// The named wallet's signature over the text as sent.
    Valid,
    /// Another wallet's signature over the same text.
    OtherWallet,
    /// Any text at all.
    Text(String),
}

fn run(input: Input) {
    let wallet = SigningKey::from_bytes(&[7; 32]);
    let address = bs58::encode(wallet.verifying_key().to_bytes()).into_string();
    let start = OffsetDateTime::from_unix_timestamp(1_767_225_600).expect("2026-01-01");
    let now = start + Duration::seconds(i64::from(input.now));
    let at = |seconds: i32| now + Duration::seconds(i64::from(seconds));
    let message = SiwsMessage {
        domain: input.domain.unwrap_or_else(|| DOMAIN.to_owned()),
        address: input.address.unwrap_or_else(|| address.clone()),
        statement: input.statement.unwrap_or_else(|| STATEMENT.to_owned()),
        uri: URI.to_owned(),
        chain_id: CHAIN.to_owned(),
        nonce: input.nonce.unwrap_or_else(|| NONCE.to_owned()),
        issued_at: at(input.issued),
        expiration_time: at(input.expires),
        not_before: input.not_before.map(at),
    };
    let signed = message.to_text();
    let signature = match &input.signature {
        Signature::Valid => bs58::encode(wallet.sign(signed.as_bytes()).to_bytes()).into_string(),
        Signature::OtherWallet => {
            let other = SigningKey::from_bytes(&[8; 32]);
            bs58::encode(other.sign(signed.as_bytes()).to_bytes()).into_string()
        }
        Signature::Text(text) => text.clone(),
    };
    let bytes = input.damage.applied(signed.as_bytes());
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return;
    };

    // The gateway, in the order `commands::auth` runs the checks.
    let accepted = parse(text).and_then(|(parsed, wallet_address)| {
        check(&parsed, DOMAIN, now)?;
        verify_signature(&wallet_address, text, &signature)?;
        Ok(parsed)
    });
    if let Ok(parsed) = accepted {
        assert_eq!(text, signed, "damage after signing was accepted");
        assert!(
            matches!(input.signature, Signature::Valid)
                || signature_is_valid(&signature, &wallet, text)
        );
        assert_eq!(parsed.domain, DOMAIN);
        assert!(now < parsed.expiration_time);
        assert!(parsed.not_before.is_none_or(|nb| nb <= now));
        assert!(parsed.issued_at <= now + Duration::seconds(60));
    }

    // The SDK, before its wallet signs.
    let expected = Expected {
        domain: DOMAIN.to_owned(),
        uri: URI.to_owned(),
        address,
        chain_id: CHAIN.to_owned(),
        nonce: NONCE.to_owned(),
    };
    if sign_in::check(text, &expected, now).is_ok() {
        let parsed = SiwsMessage::parse(text).expect("an accepted message parses");
        assert_eq!(
            (
                &parsed.domain,
                &parsed.uri,
                &parsed.address,
                &parsed.nonce,
                parsed.statement.as_str()
            ),
            (
                &expected.domain,
                &expected.uri,
                &expected.address,
                &expected.nonce,
                STATEMENT
            )
        );
        assert!(parsed.expiration_time - parsed.issued_at <= Duration::minutes(15));
        assert!(parsed.expiration_time > now);
    }
}

fn signature_is_valid(signature: &str, wallet: &SigningKey, text: &str) -> bool {
    bs58::decode(signature)
        .into_vec()
        .ok()
        .and_then(|bytes| ed25519_dalek::Signature::from_slice(&bytes).ok())
        .is_some_and(|s| {
            wallet
                .verifying_key()
                .verify_strict(text.as_bytes(), &s)
                .is_ok()
        })
}

/// The target on the bytes libFuzzer gives it: `false` when they do not make an input.
pub fn fuzz(bytes: &[u8]) -> bool {
    crate::structured(bytes, run)
}
