//! Direct messages: a body for one member only, inside an application message the whole
//! group receives (so the gateway cannot tell a direct message from any other, nor see its
//! recipient). The body is sealed with HPKE (RFC 9180, base mode) to the recipient's
//! direct-message key from its credential:
//!
//! ```text
//! sealed = kem output (32) ‖ AES-128-GCM ciphertext
//! info   = "anoghost/direct/v1"
//! aad    = group id (of the incarnation) ‖ sender member (2) ‖ recipient member (2)
//! ```
//!
//! Other members see that a direct message went to a member, not what it says. MLS already
//! refuses a replayed application message, so a direct message cannot be replayed either.

use openmls::prelude::HpkePrivateKey;
use openmls_traits::crypto::OpenMlsCrypto;
use openmls_traits::types::{HpkeAeadType, HpkeCiphertext, HpkeConfig, HpkeKdfType, HpkeKemType};

use super::error::MlsError;

/// The HPKE suite of direct messages: the ciphersuite's own (DHKEM X25519, HKDF-SHA256,
/// AES-128-GCM).
pub const HPKE: HpkeConfig = HpkeConfig(
    HpkeKemType::DhKem25519,
    HpkeKdfType::HkdfSha256,
    HpkeAeadType::AesGcm128,
);

const INFO: &[u8] = b"anoghost/direct/v1";
const KEM_OUTPUT_LEN: usize = 32;

/// The additional data that binds a direct message to its group, sender and recipient.
pub fn aad(group_id: &[u8], from: u16, to: u16) -> Vec<u8> {
    let mut aad = group_id.to_vec();
    aad.extend_from_slice(&from.to_be_bytes());
    aad.extend_from_slice(&to.to_be_bytes());
    aad
}

/// Seals `plaintext` to the recipient's direct-message key.
pub fn seal(
    crypto: &impl OpenMlsCrypto,
    recipient_key: &[u8; 32],
    aad: &[u8],
    plaintext: &[u8],
) -> Result<Vec<u8>, MlsError> {
    let sealed = crypto
        .hpke_seal(HPKE, recipient_key, INFO, aad, plaintext)
        .map_err(|e| MlsError::Operation(format!("{e:?}")))?;
    let mut bytes = sealed.kem_output.as_slice().to_vec();
    bytes.extend_from_slice(sealed.ciphertext.as_slice());
    Ok(bytes)
}

/// Opens a direct message sealed to this member's key.
pub fn open(
    crypto: &impl OpenMlsCrypto,
    secret: &HpkePrivateKey,
    aad: &[u8],
    sealed: &[u8],
) -> Result<Vec<u8>, MlsError> {
    if sealed.len() < KEM_OUTPUT_LEN {
        return Err(MlsError::Malformed("direct message"));
    }
    let (kem_output, ciphertext) = sealed.split_at(KEM_OUTPUT_LEN);
    let input = HpkeCiphertext {
        kem_output: kem_output.to_vec().into(),
        ciphertext: ciphertext.to_vec().into(),
    };
    crypto
        .hpke_open(HPKE, &input, secret.as_ref(), INFO, aad)
        .map_err(|_| MlsError::Refused("a direct message that does not open".into()))
}
