//! Free-room invites: the six-digit room code and a 128-bit room secret, as one copyable
//! string `CODE-SECRET` (the secret in base58), e.g. `042817-7Hc2b9QmVx1kR4tZpN3aLs`.
//!
//! The code finds the room at the gateway; the secret never leaves the clients and
//! authenticates everyone's keys (see `docs/crypto.md`).

use std::fmt;
use std::str::FromStr;

use rand_core::{CryptoRng, RngCore};

use crate::crypto::secret::RoomSecret;

/// A free-room invite.
#[derive(Clone, PartialEq, Eq)]
pub struct Invite {
    /// The six-digit room code.
    pub code: String,
    /// The room secret.
    pub secret: RoomSecret,
}

/// Why an invite string did not parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum InviteError {
    /// Raised if the text is not `CODE-SECRET`.
    #[error("an invite looks like 042817-7Hc2b9QmVx1kR4tZpN3aLs (code, dash, secret)")]
    Shape,
    /// Raised if the code is not six digits.
    #[error("the room code must be six digits")]
    Code,
    /// Raised if the secret is not base58 of 16 bytes.
    #[error("the room secret is damaged: copy the whole invite again")]
    Secret,
}

impl Invite {
    /// An invite for `code` with a fresh random secret.
    pub fn generate(code: &str, rng: &mut (impl RngCore + CryptoRng)) -> Self {
        let mut secret = [0u8; 16];
        rng.fill_bytes(&mut secret);
        let invite = Self {
            code: code.to_owned(),
            secret: RoomSecret::new(secret),
        };
        zeroize::Zeroize::zeroize(&mut secret);
        invite
    }
}

impl fmt::Display for Invite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}-{}",
            self.code,
            bs58::encode(self.secret.expose()).into_string()
        )
    }
}

impl fmt::Debug for Invite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Invite")
            .field("code", &"***")
            .field("secret", &self.secret)
            .finish()
    }
}

impl FromStr for Invite {
    type Err = InviteError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (code, secret) = text.trim().split_once('-').ok_or(InviteError::Shape)?;
        if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(InviteError::Code);
        }
        let mut bytes = [0u8; 16];
        match bs58::decode(secret).onto(&mut bytes) {
            Ok(16) => {}
            _ => return Err(InviteError::Secret),
        }
        let invite = Self {
            code: code.to_owned(),
            secret: RoomSecret::new(bytes),
        };
        zeroize::Zeroize::zeroize(&mut bytes);
        Ok(invite)
    }
}

#[cfg(test)]
mod tests {
    use rand::rngs::OsRng;

    use super::*;

    #[test]
    fn invite_round_trips_through_its_text() {
        let invite = Invite::generate("042817", &mut OsRng);
        let text = invite.to_string();
        assert!(text.starts_with("042817-"));
        assert_eq!(text.parse::<Invite>(), Ok(invite));
    }

    #[test]
    fn damaged_invites_are_refused_with_a_reason() {
        assert_eq!("042817".parse::<Invite>(), Err(InviteError::Shape));
        assert_eq!("42817-abc".parse::<Invite>(), Err(InviteError::Code));
        assert_eq!("042817-abc".parse::<Invite>(), Err(InviteError::Secret));
        assert_eq!("042817-0OIl".parse::<Invite>(), Err(InviteError::Secret));
    }

    #[test]
    fn debug_hides_code_and_secret() {
        let invite = Invite::generate("042817", &mut OsRng);
        let debug = format!("{invite:?}");
        assert!(!debug.contains("042817"));
        assert!(!debug.contains(&invite.to_string()[7..]));
    }
}
