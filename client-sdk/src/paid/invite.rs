//! The invite an initiator seals for each invitee, and the room tag.
//!
//! ```text
//! plaintext = room secret (16) ‖ name length (1) ‖ name (32, UTF-8, zero padded)   (49 bytes)
//! sealed    = enc (32) ‖ ciphertext (49 + 16)                                       (97 bytes)
//!             HPKE base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM
//!             info = "anoghost/paid-invite/v1", aad = the invitee's invite public key
//! room tag  = HKDF-SHA256(ikm = room secret, salt = "anoghost/v2", info = "paid-room-tag")
//! ```
//!
//! Every sealed invite has the same size whatever the name. The gateway writes it into the
//! invitee's key as is and cannot open it; the name never reaches the gateway or the chain.
//!
//! The aad names the invite public key rather than the key's mint address: the initiator
//! never learns the mint (it would reveal the invitee's holder), so it could not bind it.
//! The invite key belongs to exactly one holder index, whose mint is the only one the
//! invitee's wallet tries it on.

use hkdf::Hkdf;
use hpke::aead::AesGcm128;
use hpke::kdf::HkdfSha256;
use hpke::kem::X25519HkdfSha256;
use hpke::{Deserializable, Kem, OpModeR, OpModeS, Serializable};
use rand_core::{CryptoRng, RngCore};
use sha2::Sha256;
use zeroize::Zeroizing;

use super::holder::{InviteKey, InvitePublicKey};
use super::SALT;
use crate::mls::RoomSecret;

/// HPKE `info` of a sealed invite.
pub const INVITE_INFO: &[u8] = b"anoghost/paid-invite/v1";
/// Bytes of a sealed invite.
pub const SEALED_INVITE_LEN: usize = 97;
/// Longest room name, in bytes.
pub const MAX_NAME_LEN: usize = 32;
const PLAINTEXT_LEN: usize = 16 + 1 + MAX_NAME_LEN;

/// A paid room's tag: what the gateway finds the room by, derived from its secret.
pub type RoomTag = [u8; 32];

/// Why an invite could not be sealed or opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum InviteError {
    /// Raised if a room name is empty or longer than 32 bytes.
    #[error("a room name must be 1 to 32 bytes of UTF-8")]
    Name,
    /// Raised if a sealed invite does not open with this invite key (it is for another key,
    /// or was altered).
    #[error("the invite does not open with this key")]
    DoesNotOpen,
    /// Raised if an opened invite does not hold a room secret and a valid name.
    #[error("the invite opened but is malformed")]
    Malformed,
}

/// What an initiator tells each invitee, end to end.
#[derive(Clone, PartialEq, Eq)]
pub struct PaidInvite {
    /// The room secret: the room tag derives from it, and members check each other with it.
    pub secret: RoomSecret,
    /// The room's name, 1 to 32 bytes.
    pub name: String,
}

impl std::fmt::Debug for PaidInvite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PaidInvite")
            .field("secret", &self.secret)
            .field("name", &"***")
            .finish()
    }
}

/// The room tag of `secret`.
pub fn room_tag(secret: &RoomSecret) -> RoomTag {
    let mut tag = [0u8; 32];
    // unwrap: 32 bytes is far below HKDF-SHA256's output limit (255 × 32).
    #[allow(clippy::unwrap_used)]
    Hkdf::<Sha256>::new(Some(SALT), secret.expose())
        .expand(b"paid-room-tag", &mut tag)
        .unwrap();
    tag
}

impl PaidInvite {
    /// An invite to a room with a fresh secret and `name`.
    pub fn generate(name: &str, rng: &mut (impl RngCore + CryptoRng)) -> Result<Self, InviteError> {
        check_name(name)?;
        let mut secret = Zeroizing::new([0u8; 16]);
        rng.fill_bytes(secret.as_mut());
        Ok(Self {
            secret: RoomSecret::new(*secret),
            name: name.to_owned(),
        })
    }

    /// This room's tag.
    pub fn room_tag(&self) -> RoomTag {
        room_tag(&self.secret)
    }

    /// Seals this invite for the holder of `recipient`'s private half.
    pub fn seal(
        &self,
        recipient: &InvitePublicKey,
        rng: &mut (impl RngCore + CryptoRng),
    ) -> Result<[u8; SEALED_INVITE_LEN], InviteError> {
        check_name(&self.name)?;
        let mut plaintext = Zeroizing::new([0u8; PLAINTEXT_LEN]);
        plaintext[..16].copy_from_slice(self.secret.expose());
        // The length fits: check_name bounds it by 32.
        plaintext[16] = self.name.len() as u8;
        plaintext[17..17 + self.name.len()].copy_from_slice(self.name.as_bytes());
        let public = <X25519HkdfSha256 as Kem>::PublicKey::from_bytes(&recipient.0)
            .map_err(|_| InviteError::DoesNotOpen)?;
        let (encapped, ciphertext) =
            hpke::single_shot_seal::<AesGcm128, HkdfSha256, X25519HkdfSha256, _>(
                &OpModeS::Base,
                &public,
                INVITE_INFO,
                plaintext.as_ref(),
                &recipient.0,
                rng,
            )
            .map_err(|_| InviteError::DoesNotOpen)?;
        let mut sealed = [0u8; SEALED_INVITE_LEN];
        sealed[..32].copy_from_slice(&encapped.to_bytes());
        sealed[32..].copy_from_slice(&ciphertext);
        Ok(sealed)
    }

    /// Opens an invite sealed for `key`.
    pub fn open(sealed: &[u8; SEALED_INVITE_LEN], key: &InviteKey) -> Result<Self, InviteError> {
        let encapped = <X25519HkdfSha256 as Kem>::EncappedKey::from_bytes(&sealed[..32])
            .map_err(|_| InviteError::DoesNotOpen)?;
        let plaintext = Zeroizing::new(
            hpke::single_shot_open::<AesGcm128, HkdfSha256, X25519HkdfSha256>(
                &OpModeR::Base,
                key.secret(),
                &encapped,
                INVITE_INFO,
                &sealed[32..],
                &key.public().0,
            )
            .map_err(|_| InviteError::DoesNotOpen)?,
        );
        if plaintext.len() != PLAINTEXT_LEN {
            return Err(InviteError::Malformed);
        }
        let name_len = usize::from(plaintext[16]);
        let name_bytes = plaintext
            .get(17..17 + name_len)
            .ok_or(InviteError::Malformed)?;
        let name = std::str::from_utf8(name_bytes)
            .map_err(|_| InviteError::Malformed)?
            .to_owned();
        check_name(&name).map_err(|_| InviteError::Malformed)?;
        if plaintext[17 + name_len..].iter().any(|b| *b != 0) {
            return Err(InviteError::Malformed);
        }
        let mut secret = [0u8; 16];
        secret.copy_from_slice(&plaintext[..16]);
        let invite = Self {
            secret: RoomSecret::new(secret),
            name,
        };
        zeroize::Zeroize::zeroize(&mut secret);
        Ok(invite)
    }
}

fn check_name(name: &str) -> Result<(), InviteError> {
    if (1..=MAX_NAME_LEN).contains(&name.len()) {
        Ok(())
    } else {
        Err(InviteError::Name)
    }
}

#[cfg(test)]
mod tests {
    use rand::rngs::OsRng;

    use super::*;
    use crate::paid::HolderRoot;

    fn unhex(text: &str) -> Vec<u8> {
        (0..text.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
            .collect()
    }

    /// RFC 9180, Appendix A.1.1 (DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM, base
    /// mode), sequence number 0: the suite this module uses opens the RFC's ciphertext.
    #[test]
    fn the_hpke_suite_opens_the_rfc_9180_vector() {
        let sk = <X25519HkdfSha256 as Kem>::PrivateKey::from_bytes(&unhex(
            "4612c550263fc8ad58375df3f557aac531d26850903e55a9f23f21d8534e8ac8",
        ))
        .unwrap();
        let enc = <X25519HkdfSha256 as Kem>::EncappedKey::from_bytes(&unhex(
            "37fda3567bdbd628e88668c3c8d7e97d1d1253b6d4ea6d44c150f741f1bf4431",
        ))
        .unwrap();
        let plaintext = hpke::single_shot_open::<AesGcm128, HkdfSha256, X25519HkdfSha256>(
            &OpModeR::Base,
            &sk,
            &enc,
            &unhex("4f6465206f6e2061204772656369616e2055726e"),
            &unhex("f938558b5d72f1a23810b4be2ab4f84331acc02fc97babc53a52ae8218a355a96d8770ac83d07bea87e13c512a"),
            &unhex("436f756e742d30"),
        )
        .unwrap();
        assert_eq!(plaintext, b"Beauty is truth, truth beauty");
    }

    #[test]
    fn a_sealed_invite_is_97_bytes_and_opens_only_with_its_key() {
        let root = HolderRoot::from_signature(&[1; 64]);
        let key = root.invite_key(3);
        let invite = PaidInvite::generate("DAO council", &mut OsRng).unwrap();
        let sealed = invite.seal(&key.public(), &mut OsRng).unwrap();
        assert_eq!(sealed.len(), SEALED_INVITE_LEN);
        assert_eq!(PaidInvite::open(&sealed, &key), Ok(invite.clone()));
        let other = root.invite_key(4);
        assert_eq!(
            PaidInvite::open(&sealed, &other),
            Err(InviteError::DoesNotOpen)
        );
        for byte in [0, 31, 32, 80, 96] {
            let mut tampered = sealed;
            tampered[byte] ^= 1;
            assert_eq!(
                PaidInvite::open(&tampered, &key),
                Err(InviteError::DoesNotOpen),
                "byte {byte}"
            );
        }
        let long = PaidInvite::generate(&"n".repeat(32), &mut OsRng).unwrap();
        assert_eq!(long.seal(&key.public(), &mut OsRng).unwrap().len(), 97);
    }

    #[test]
    fn names_must_be_1_to_32_bytes() {
        assert_eq!(PaidInvite::generate("", &mut OsRng), Err(InviteError::Name));
        assert_eq!(
            PaidInvite::generate(&"é".repeat(17), &mut OsRng),
            Err(InviteError::Name),
            "34 bytes"
        );
    }

    #[test]
    fn room_tag_matches_an_independent_hkdf() {
        let secret = RoomSecret::new(std::array::from_fn(|i| i as u8));
        let tag: String = room_tag(&secret)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        // Computed with Python's hmac and hashlib.
        assert_eq!(
            tag,
            "7b6f3aa3a4a33fc11c1a048d1b59e3cb173e27a4a0c0bf8bdeaf691480988984"
        );
    }
}
