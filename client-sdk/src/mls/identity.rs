//! A member's MLS identity: fresh for every room and every session, so nothing links two
//! rooms or two sessions of one person.
//!
//! The credential is an MLS BasicCredential whose identity is
//! `member number (2, big-endian) ‖ direct-message public key (32)`: the display name the
//! gateway gave this session, and the key other members seal direct messages to. It names
//! no wallet and nothing that outlives the session.

use openmls::prelude::tls_codec::Serialize as _;
use openmls::prelude::{
    BasicCredential, Credential, CredentialWithKey, HpkePrivateKey, KeyPackage, Lifetime,
    MlsMessageOut, OpenMlsProvider,
};
use openmls_basic_credential::SignatureKeyPair;
use openmls_rust_crypto::OpenMlsRustCrypto;
use openmls_traits::crypto::OpenMlsCrypto as _;
use rand::RngCore;
use zeroize::Zeroizing;

use super::config::CIPHERSUITE;
use super::direct::HPKE;
use super::error::{operation, MlsError};
use super::settings::capabilities;

/// Bytes of a credential identity.
pub const IDENTITY_LEN: usize = 34;
/// How long a KeyPackage this member makes stays valid: long enough to be added, short
/// enough that a replayed one is refused soon after.
pub const KEY_PACKAGE_LIFETIME_SECS: u64 = 10 * 60;
/// How far back a KeyPackage's lifetime may start, for clocks that disagree.
pub const CLOCK_SKEW_SECS: u64 = 5 * 60;

/// What a credential says: a member number and a direct-message key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemberCredential {
    /// The member number.
    pub member: u16,
    /// The member's HPKE public key for direct messages.
    pub direct_key: [u8; 32],
}

impl MemberCredential {
    /// The credential identity's bytes.
    pub fn to_identity(&self) -> [u8; IDENTITY_LEN] {
        let mut bytes = [0u8; IDENTITY_LEN];
        bytes[..2].copy_from_slice(&self.member.to_be_bytes());
        bytes[2..].copy_from_slice(&self.direct_key);
        bytes
    }

    /// Reads a credential; `None` unless it is a BasicCredential of exactly this layout.
    pub fn from_credential(credential: &Credential) -> Option<Self> {
        let basic = BasicCredential::try_from(credential.clone()).ok()?;
        let identity: &[u8; IDENTITY_LEN] = basic.identity().try_into().ok()?;
        let mut direct_key = [0u8; 32];
        direct_key.copy_from_slice(&identity[2..]);
        Some(Self {
            member: u16::from_be_bytes([identity[0], identity[1]]),
            direct_key,
        })
    }
}

/// One member's keys in one room: the OpenMLS provider (its in-memory key store), the
/// signature key, the credential, and the direct-message key pair.
pub struct MlsIdentity {
    pub(super) provider: OpenMlsRustCrypto,
    pub(super) signer: SignatureKeyPair,
    pub(super) credential: CredentialWithKey,
    pub(super) member: u16,
    pub(super) direct_secret: HpkePrivateKey,
}

impl std::fmt::Debug for MlsIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MlsIdentity")
            .field("member", &self.member)
            .finish_non_exhaustive()
    }
}

impl MlsIdentity {
    /// Fresh keys for member `member` of one room.
    pub fn generate(member: u16) -> Result<Self, MlsError> {
        let provider = OpenMlsRustCrypto::default();
        let signer = SignatureKeyPair::new(CIPHERSUITE.signature_algorithm()).map_err(operation)?;
        signer.store(provider.storage()).map_err(operation)?;
        let mut seed = Zeroizing::new([0u8; 32]);
        rand::rngs::OsRng.fill_bytes(seed.as_mut());
        let direct = provider
            .crypto()
            .derive_hpke_keypair(HPKE, seed.as_ref())
            .map_err(operation)?;
        let direct_public: [u8; 32] = direct
            .public
            .as_slice()
            .try_into()
            .map_err(|_| MlsError::Operation("an X25519 key of another size".into()))?;
        let identity = MemberCredential {
            member,
            direct_key: direct_public,
        };
        let credential = CredentialWithKey {
            credential: BasicCredential::new(identity.to_identity().to_vec()).into(),
            signature_key: signer.public().into(),
        };
        Ok(Self {
            provider,
            signer,
            credential,
            member,
            direct_secret: direct.private,
        })
    }

    /// The member number this identity speaks for.
    pub fn member(&self) -> u16 {
        self.member
    }

    /// A fresh KeyPackage, as the bytes of an `MLSMessage`; valid from a little before now
    /// (clock skew) for [`KEY_PACKAGE_LIFETIME_SECS`].
    pub fn key_package(&self, now: u64) -> Result<Vec<u8>, MlsError> {
        let lifetime = Lifetime::init(
            now.saturating_sub(CLOCK_SKEW_SECS),
            now + KEY_PACKAGE_LIFETIME_SECS,
        );
        let bundle = KeyPackage::builder()
            .key_package_lifetime(lifetime)
            .leaf_node_capabilities(capabilities())
            .build(
                CIPHERSUITE,
                &self.provider,
                &self.signer,
                self.credential.clone(),
            )
            .map_err(operation)?;
        MlsMessageOut::from(bundle.key_package().clone())
            .tls_serialize_detached()
            .map_err(operation)
    }
}

/// Whether a KeyPackage's lifetime is what a freshly made one looks like at `now`: it
/// started at most the skew plus the lifetime ago and lasts no longer than a lifetime plus
/// the skew. A KeyPackage replayed from earlier fails this.
pub fn is_fresh(key_package: &KeyPackage, now: u64) -> bool {
    let lifetime = key_package.life_time();
    let longest = KEY_PACKAGE_LIFETIME_SECS + CLOCK_SKEW_SECS;
    lifetime.not_before() + longest >= now
        && lifetime.not_after().saturating_sub(lifetime.not_before()) <= longest
        && lifetime.not_before() <= now + CLOCK_SKEW_SECS
        && now <= lifetime.not_after()
}
