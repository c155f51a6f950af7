//! A ghost contact: what an invitee shares with an initiator, `<ghostId>.<invite key>`.
//!
//! The ghostId seals the invitee's holder address for the gateway (which mints the key to
//! it); the invite key, base58 of an X25519 public key, lets the initiator seal the room
//! secret and name for the invitee. Neither names the wallet, and the initiator can open
//! neither.

use std::fmt;
use std::str::FromStr;

use super::holder::InvitePublicKey;

/// Bytes of a decoded ghostId: version, epoch, nonce, sealed holder and tag.
const GHOST_ID_LEN: usize = 1 + 8 + 12 + 32 + 16;

/// A ghost contact.
#[derive(Clone, PartialEq, Eq)]
pub struct GhostContact {
    /// The ghostId the gateway issued for the invitee's holder.
    pub ghost_id: String,
    /// The invitee's invite public key.
    pub invite_key: InvitePublicKey,
}

impl fmt::Debug for GhostContact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("GhostContact(***)")
    }
}

/// Why a ghost contact did not parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ContactError {
    /// Raised if the text is not two parts separated by one dot.
    #[error("a ghost contact looks like <ghostId>.<invite key>: copy the whole contact")]
    Shape,
    /// Raised if the first part is not a ghostId (base58 of 69 bytes).
    #[error("the ghostId part of the contact is damaged: copy the whole contact again")]
    GhostId,
    /// Raised if the second part is not base58 of a 32-byte key.
    #[error("the invite key part of the contact is damaged: copy the whole contact again")]
    InviteKey,
}

impl fmt::Display for GhostContact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}.{}",
            self.ghost_id,
            bs58::encode(self.invite_key.0).into_string()
        )
    }
}

impl FromStr for GhostContact {
    type Err = ContactError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (ghost_id, key) = text.trim().split_once('.').ok_or(ContactError::Shape)?;
        if key.contains('.') {
            return Err(ContactError::Shape);
        }
        let mut ghost = [0u8; GHOST_ID_LEN];
        if !matches!(bs58::decode(ghost_id).onto(&mut ghost), Ok(GHOST_ID_LEN)) {
            return Err(ContactError::GhostId);
        }
        let mut invite_key = [0u8; 32];
        if !matches!(bs58::decode(key).onto(&mut invite_key), Ok(32)) {
            return Err(ContactError::InviteKey);
        }
        Ok(Self {
            ghost_id: ghost_id.to_owned(),
            invite_key: InvitePublicKey(invite_key),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact() -> GhostContact {
        GhostContact {
            ghost_id: bs58::encode([2u8; GHOST_ID_LEN]).into_string(),
            invite_key: InvitePublicKey([9; 32]),
        }
    }

    #[test]
    fn a_contact_round_trips_through_its_text() {
        let text = contact().to_string();
        assert_eq!(text.matches('.').count(), 1);
        assert_eq!(text.parse::<GhostContact>(), Ok(contact()));
    }

    #[test]
    fn damaged_contacts_are_refused_with_a_reason() {
        let text = contact().to_string();
        let (ghost, key) = text.split_once('.').unwrap();
        assert_eq!("".parse::<GhostContact>(), Err(ContactError::Shape));
        assert_eq!(ghost.parse::<GhostContact>(), Err(ContactError::Shape));
        assert_eq!(
            format!("{text}.x").parse::<GhostContact>(),
            Err(ContactError::Shape)
        );
        assert_eq!(
            format!("{}.{key}", &ghost[1..]).parse::<GhostContact>(),
            Err(ContactError::GhostId)
        );
        assert_eq!(
            format!("{ghost}.{}", &key[1..]).parse::<GhostContact>(),
            Err(ContactError::InviteKey)
        );
        assert_eq!(format!("{:?}", contact()), "GhostContact(***)");
    }
}
