//! A join request: what a prospective member sends every member of the room.
//!
//! ```text
//! join request = nonce (16) ‖ mac (32) ‖ KeyPackage (an MLSMessage)
//! mac          = HMAC(member MAC key, "anoghost/join-request/v1" ‖ group base ‖ member (2)
//!                     ‖ nonce (16) ‖ SHA-256(KeyPackage))
//! ```
//!
//! `nonce` is the one in the challenge this request answers, and `member` the number the
//! gateway stamped on the frame. The member who sent the challenge adds the KeyPackage only
//! if the MAC verifies (the sender holds the room's secret), the nonce is one it issued to
//! that member and has not seen answered (a replayed request is refused), and the
//! KeyPackage's credential names that same member number.

use super::error::MlsError;
use super::secrets::{macs_match, RoomKeys};

/// Bytes in a challenge's nonce.
pub const NONCE_LEN: usize = 16;
const MAC_LEN: usize = 32;

/// A decoded join request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinRequest {
    /// The nonce of the challenge it answers.
    pub nonce: [u8; NONCE_LEN],
    /// The proof of the room's secret.
    pub mac: [u8; MAC_LEN],
    /// The KeyPackage, as an `MLSMessage`.
    pub key_package: Vec<u8>,
}

impl JoinRequest {
    /// A request by member `member` answering `nonce`, proven with the room's keys.
    pub fn new(keys: &RoomKeys, member: u16, nonce: [u8; NONCE_LEN], key_package: Vec<u8>) -> Self {
        Self {
            nonce,
            mac: keys.join_request_mac(member, &nonce, &key_package),
            key_package,
        }
    }

    /// The request's bytes.
    pub fn encode(&self) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(NONCE_LEN + MAC_LEN + self.key_package.len());
        bytes.extend_from_slice(&self.nonce);
        bytes.extend_from_slice(&self.mac);
        bytes.extend_from_slice(&self.key_package);
        bytes
    }

    /// Reads a request.
    pub fn decode(bytes: &[u8]) -> Result<Self, MlsError> {
        if bytes.len() <= NONCE_LEN + MAC_LEN {
            return Err(MlsError::Malformed("join request"));
        }
        let (nonce, rest) = bytes.split_at(NONCE_LEN);
        let (mac, key_package) = rest.split_at(MAC_LEN);
        Ok(Self {
            nonce: nonce.try_into().map_err(|_| MlsError::Malformed("nonce"))?,
            mac: mac.try_into().map_err(|_| MlsError::Malformed("mac"))?,
            key_package: key_package.to_vec(),
        })
    }

    /// Whether the MAC proves the room's secret for this sender and nonce.
    pub fn proves(&self, keys: &RoomKeys, sender: u16) -> bool {
        let expected = keys.join_request_mac(sender, &self.nonce, &self.key_package);
        macs_match(&self.mac, &expected)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mls::secrets::RoomSecret;

    #[test]
    fn a_request_round_trips_and_proves_only_for_its_sender_and_secret() {
        let keys = RoomKeys::derive(&RoomSecret::new([5; 16]));
        let request = JoinRequest::new(&keys, 4821, [2; 16], b"key package".to_vec());
        let decoded = JoinRequest::decode(&request.encode()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(decoded, request);
        assert!(decoded.proves(&keys, 4821));
        assert!(!decoded.proves(&keys, 4822), "another member's number");
        let stranger = RoomKeys::derive(&RoomSecret::new([6; 16]));
        assert!(!decoded.proves(&stranger, 4821), "another room's secret");
        let mut moved = decoded;
        moved.nonce = [3; 16];
        assert!(!moved.proves(&keys, 4821), "another challenge");
        assert!(JoinRequest::decode(&[0; 40]).is_err());
    }
}
