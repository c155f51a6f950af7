//! Free-room invites: the six-digit room code, the room's 128-bit secret and, for a room
//! whose creator approves each joiner, the word `knock`, as one copyable string:
//!
//! ```text
//! 042817-7Hc2b9QmVx1kR4tZpN3aLs           anyone with the invite is added
//! 042817-7Hc2b9QmVx1kR4tZpN3aLs-knock     the creator approves each joiner
//! ```
//!
//! The code finds the room at the gateway; the secret (base58) never leaves the clients. It
//! proves the invite to the gateway (which holds only a verifier) and to the members (who
//! add only a join request that proves it); see `docs/crypto.md`.

use std::fmt;
use std::str::FromStr;

use rand_core::{CryptoRng, RngCore};

use crate::mls::secrets::ROOM_SECRET_LEN;
use crate::mls::{Admission, RoomSecret};

const KNOCK: &str = "knock";

/// A free-room invite.
#[derive(Clone, PartialEq, Eq)]
pub struct Invite {
    /// The six-digit room code.
    pub code: String,
    /// The room secret.
    pub secret: RoomSecret,
    /// Whether the creator approves each joiner.
    pub admission: Admission,
}

/// Why an invite string did not parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum InviteError {
    /// Raised if the text is not `CODE-SECRET` or `CODE-SECRET-knock`.
    #[error("an invite looks like 042817-7Hc2b9QmVx1kR4tZpN3aLs (code, dash, secret; -knock after it when the creator approves joiners)")]
    Shape,
    /// Raised if the code is not six digits.
    #[error("the room code must be six digits")]
    Code,
    /// Raised if the secret is not base58 of 16 bytes.
    #[error("the room secret is damaged: copy the whole invite again")]
    Secret,
}

impl Invite {
    /// A fresh random secret for the room with `code`.
    pub fn generate(
        code: &str,
        admission: Admission,
        rng: &mut (impl RngCore + CryptoRng),
    ) -> Self {
        let mut secret = [0u8; ROOM_SECRET_LEN];
        rng.fill_bytes(&mut secret);
        let invite = Self {
            code: code.to_owned(),
            secret: RoomSecret::new(secret),
            admission,
        };
        zeroize::Zeroize::zeroize(&mut secret);
        invite
    }
}

impl fmt::Display for Invite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secret = bs58::encode(self.secret.expose()).into_string();
        write!(f, "{}-{secret}", self.code)?;
        if self.admission == Admission::Knock {
            write!(f, "-{KNOCK}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Invite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Invite")
            .field("code", &"***")
            .field("secret", &self.secret)
            .field("admission", &self.admission)
            .finish()
    }
}

impl FromStr for Invite {
    type Err = InviteError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let mut parts = text.trim().split('-');
        let (Some(code), Some(secret)) = (parts.next(), parts.next()) else {
            return Err(InviteError::Shape);
        };
        let admission = match parts.next() {
            None => Admission::Open,
            Some(KNOCK) => Admission::Knock,
            Some(_) => return Err(InviteError::Shape),
        };
        if parts.next().is_some() {
            return Err(InviteError::Shape);
        }
        if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(InviteError::Code);
        }
        let mut bytes = [0u8; ROOM_SECRET_LEN];
        match bs58::decode(secret).onto(&mut bytes) {
            Ok(ROOM_SECRET_LEN) => {}
            _ => return Err(InviteError::Secret),
        }
        let invite = Self {
            code: code.to_owned(),
            secret: RoomSecret::new(bytes),
            admission,
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
    fn invites_round_trip_through_their_text() {
        for admission in [Admission::Open, Admission::Knock] {
            let invite = Invite::generate("042817", admission, &mut OsRng);
            let text = invite.to_string();
            assert!(text.starts_with("042817-"));
            assert_eq!(text.ends_with("-knock"), admission == Admission::Knock);
            assert_eq!(text.parse::<Invite>(), Ok(invite));
        }
    }

    #[test]
    fn damaged_invites_are_refused_with_a_reason() {
        assert_eq!("042817".parse::<Invite>(), Err(InviteError::Shape));
        assert_eq!("42817-abc".parse::<Invite>(), Err(InviteError::Code));
        assert_eq!("042817-abc".parse::<Invite>(), Err(InviteError::Secret));
        assert_eq!("042817-0OIl".parse::<Invite>(), Err(InviteError::Secret));
        let good = Invite::generate("042817", Admission::Open, &mut OsRng).to_string();
        assert_eq!(
            format!("{good}-open").parse::<Invite>(),
            Err(InviteError::Shape)
        );
        assert_eq!(
            format!("{good}-knock-x").parse::<Invite>(),
            Err(InviteError::Shape)
        );
    }

    #[test]
    fn debug_hides_code_and_secret() {
        let invite = Invite::generate("042817", Admission::Open, &mut OsRng);
        let debug = format!("{invite:?}");
        assert!(!debug.contains("042817"));
        assert!(!debug.contains(&invite.to_string()[7..]));
    }
}
