//! The holder root and what derives from it.
//!
//! ```text
//! message  = "AnoGhost key holder v1\n"
//!            "Signing this lets AnoGhost find and use your room keys on this program. It moves no funds and approves no transaction.\n"
//!            "Program: <program id base58>"
//! root     = SHA-256("anoghost/holder-root/v1" ‖ Ed25519(wallet, message))
//! holder i = Ed25519 key pair from seed HKDF-SHA256(ikm = root, salt = "anoghost/v2",
//!            info = "holder" ‖ u32be(i))
//! invite i = X25519 secret HKDF-SHA256(root, "anoghost/v2", "invite-key" ‖ u32be(i))
//! ```

use std::fmt;

use anoghost_program_client::PROGRAM_ID;
use hkdf::Hkdf;
use hpke::kem::X25519HkdfSha256;
use hpke::{Deserializable, Kem, Serializable};
use sha2::{Digest, Sha256};
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::{Keypair, Signer};
use zeroize::Zeroizing;

use super::SALT;
use crate::wallet::Wallet;

/// The text a wallet signs to get its holder root back (as Phantom's `signMessage` signs
/// it), for the program `program`.
pub fn holder_root_message(program: &Pubkey) -> String {
    format!(
        "AnoGhost key holder v1\n\
         Signing this lets AnoGhost find and use your room keys on this program. It moves no funds and approves no transaction.\n\
         Program: {program}"
    )
}

/// The secret every holder address and invite key of one wallet derives from.
pub struct HolderRoot(Zeroizing<[u8; 32]>);

impl fmt::Debug for HolderRoot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HolderRoot(***)")
    }
}

/// An invitee's X25519 key for sealed invites: the private half stays with the wallet.
#[derive(Clone)]
pub struct InviteKey {
    secret: <X25519HkdfSha256 as Kem>::PrivateKey,
    public: InvitePublicKey,
}

impl fmt::Debug for InviteKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InviteKey")
            .field("public", &self.public)
            .field("secret", &"***")
            .finish()
    }
}

/// The public half of an [`InviteKey`], shared in a ghost contact.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InvitePublicKey(pub [u8; 32]);

impl InviteKey {
    /// The public half.
    pub fn public(&self) -> InvitePublicKey {
        self.public
    }

    /// The HPKE private key.
    pub(super) fn secret(&self) -> &<X25519HkdfSha256 as Kem>::PrivateKey {
        &self.secret
    }
}

impl HolderRoot {
    /// The root of the wallet's signature over [`holder_root_message`] for this program.
    pub fn from_wallet(wallet: &Wallet) -> Self {
        let message = holder_root_message(&PROGRAM_ID);
        let signature = wallet.keypair().sign_message(message.as_bytes());
        let mut bytes = Zeroizing::new([0u8; 64]);
        bytes.copy_from_slice(signature.as_ref());
        Self::from_signature(&bytes)
    }

    /// The root of a 64-byte signature made elsewhere (a browser wallet's `signMessage`).
    pub fn from_signature(signature: &[u8; 64]) -> Self {
        let mut hasher = Sha256::new();
        hasher.update(b"anoghost/holder-root/v1");
        hasher.update(signature);
        Self(Zeroizing::new(hasher.finalize().into()))
    }

    fn derive(&self, label: &[u8], index: u32) -> Zeroizing<[u8; 32]> {
        let mut info = label.to_vec();
        info.extend_from_slice(&index.to_be_bytes());
        let mut out = Zeroizing::new([0u8; 32]);
        // unwrap: 32 bytes is far below HKDF-SHA256's output limit (255 × 32).
        #[allow(clippy::unwrap_used)]
        Hkdf::<Sha256>::new(Some(SALT), self.0.as_ref())
            .expand(&info, out.as_mut())
            .unwrap();
        out
    }

    /// The root's bytes, for the vectors shared with the browser client only.
    #[cfg(test)]
    pub(super) fn expose_for_vectors(&self) -> &[u8; 32] {
        &self.0
    }

    /// Holder `index`: the one-time address that key `index` is minted to.
    pub fn holder(&self, index: u32) -> Keypair {
        Keypair::new_from_array(*self.derive(b"holder", index))
    }

    /// Invite key `index`: opens the invite sealed into key `index`.
    pub fn invite_key(&self, index: u32) -> InviteKey {
        let bytes = self.derive(b"invite-key", index);
        // unwrap: any 32 bytes are an X25519 secret (they are clamped when used).
        #[allow(clippy::unwrap_used)]
        let secret = <X25519HkdfSha256 as Kem>::PrivateKey::from_bytes(bytes.as_ref()).unwrap();
        let public = <X25519HkdfSha256 as Kem>::sk_to_pk(&secret);
        let mut public_bytes = [0u8; 32];
        public_bytes.copy_from_slice(&public.to_bytes());
        InviteKey {
            secret,
            public: InvitePublicKey(public_bytes),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    // Expected values computed with Python's hashlib and hmac (RFC 5869 HKDF by hand).
    #[test]
    fn derivations_match_an_independent_implementation() {
        let root = HolderRoot::from_signature(&[7; 64]);
        assert_eq!(
            hex(root.0.as_ref()),
            "90256ac868c05905618aedbe238a755fd210423398223f1749d0081318e7695c"
        );
        let seed = |i| hex(&root.holder(i).to_bytes()[..32]);
        assert_eq!(
            seed(0),
            "93d0b559383c12f0fdf43f6e61790cca960ee41af931d0642e23eb61c36cd868"
        );
        assert_eq!(
            seed(7),
            "abf2ad1aa5e89ed086b8c0c386c4970aacb1d6f90569153517512bd9b71d03bf"
        );
        assert_eq!(
            hex(&root.invite_key(7).secret().to_bytes()),
            "b188b406b75eab3e0ba75bdf16bb1a6afac585c68773817c6274a8f7690e48a2"
        );
    }

    #[test]
    fn only_the_wallet_gets_its_root_back() {
        let wallet = Wallet::from_secret(&[3; 32]);
        let again = Wallet::from_secret(&[3; 32]);
        let other = Wallet::from_secret(&[4; 32]);
        let holder = |w: &Wallet| HolderRoot::from_wallet(w).holder(0).pubkey();
        assert_eq!(holder(&wallet), holder(&again), "deterministic");
        assert_ne!(holder(&wallet), holder(&other));
        assert_ne!(
            holder(&wallet),
            wallet.pubkey(),
            "the holder is not the wallet"
        );
        let root = HolderRoot::from_wallet(&wallet);
        assert_ne!(root.holder(0).pubkey(), root.holder(1).pubkey());
        assert_eq!(format!("{root:?}"), "HolderRoot(***)");
    }

    #[test]
    fn the_message_names_the_program_with_newline_line_ends() {
        let text = holder_root_message(&PROGRAM_ID);
        let lines: Vec<&str> = text.split('\n').collect();
        assert_eq!(lines[0], "AnoGhost key holder v1");
        assert_eq!(lines[2], format!("Program: {PROGRAM_ID}"));
        assert_eq!(lines.len(), 3);
    }
}
