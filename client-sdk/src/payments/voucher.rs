//! A claimable payment as it travels to its recipient, inside a direct message:
//!
//! ```text
//! voucher = claim secret (32) ‖ lamports (8) ‖ expiry (8, unix seconds, signed)
//!           ‖ cluster length (1) ‖ cluster (UTF-8)
//! ```

use std::fmt;

use zeroize::Zeroizing;

/// A claimable payment sent inside the chat: whoever holds `claim_secret` can claim
/// `lamports` on `cluster` until `expiry`.
#[derive(Clone, PartialEq, Eq)]
pub struct PaymentVoucher {
    /// Secret key of the one-time claim keypair.
    pub claim_secret: Zeroizing<[u8; 32]>,
    /// Amount in lamports.
    pub lamports: u64,
    /// Unix time after which the sender may reclaim.
    pub expiry: i64,
    /// The cluster the payment lives on, e.g. `devnet`.
    pub cluster: String,
}

impl fmt::Debug for PaymentVoucher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PaymentVoucher")
            .field("claim_secret", &"***")
            .field("lamports", &self.lamports)
            .field("expiry", &self.expiry)
            .field("cluster", &self.cluster)
            .finish()
    }
}

const FIXED_LEN: usize = 49;

impl PaymentVoucher {
    /// The voucher's bytes. A cluster name is at most 255 bytes; a longer one is cut there.
    pub fn encode(&self) -> Zeroizing<Vec<u8>> {
        let cluster = &self.cluster.as_bytes()[..self.cluster.len().min(255)];
        let mut bytes = Zeroizing::new(Vec::with_capacity(FIXED_LEN + cluster.len()));
        bytes.extend_from_slice(self.claim_secret.as_ref());
        bytes.extend_from_slice(&self.lamports.to_be_bytes());
        bytes.extend_from_slice(&self.expiry.to_be_bytes());
        bytes.push(cluster.len() as u8);
        bytes.extend_from_slice(cluster);
        bytes
    }

    /// Parses a voucher's bytes; `None` unless they have exactly this layout.
    pub fn decode(bytes: &[u8]) -> Option<Self> {
        if bytes.len() < FIXED_LEN || bytes.len() != FIXED_LEN + usize::from(bytes[48]) {
            return None;
        }
        let mut claim_secret = Zeroizing::new([0u8; 32]);
        claim_secret.copy_from_slice(&bytes[..32]);
        Some(Self {
            claim_secret,
            lamports: u64::from_be_bytes(bytes[32..40].try_into().ok()?),
            expiry: i64::from_be_bytes(bytes[40..48].try_into().ok()?),
            cluster: std::str::from_utf8(&bytes[FIXED_LEN..]).ok()?.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn voucher() -> PaymentVoucher {
        PaymentVoucher {
            claim_secret: Zeroizing::new([0xAB; 32]),
            lamports: 1_500_000,
            expiry: 1_900_000_000,
            cluster: "devnet".into(),
        }
    }

    #[test]
    fn a_voucher_round_trips_and_wrong_lengths_are_refused() {
        let bytes = voucher().encode();
        assert_eq!(PaymentVoucher::decode(&bytes), Some(voucher()));
        assert_eq!(PaymentVoucher::decode(&bytes[..bytes.len() - 1]), None);
        let mut longer = bytes.to_vec();
        longer.push(0);
        assert_eq!(PaymentVoucher::decode(&longer), None);
    }

    #[test]
    fn the_claim_secret_is_redacted_in_debug() {
        let shown = format!("{:?}", voucher());
        assert!(!shown.contains("171"));
        assert!(shown.contains("***"));
    }
}
