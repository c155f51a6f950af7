//! Typed message bodies, padded to size buckets so ciphertext length reveals little.
//!
//! ```text
//! plaintext = type (1) | length (4, BE) | body | zero padding up to the bucket size
//! type 0x01 text:            UTF-8 text
//! type 0x02 payment voucher: claim secret (32) | lamports (8, BE) | expiry (8, BE, unix s)
//!                            | cluster length (1) | cluster (UTF-8)
//! ```
//!
//! Buckets: 64, 128, 256, … doubling up to 32 KiB, then multiples of 32 KiB.

use std::fmt;

use zeroize::Zeroizing;

use super::CryptoError;

const TYPE_TEXT: u8 = 0x01;
const TYPE_PAYMENT_VOUCHER: u8 = 0x02;
const PREFIX_LEN: usize = 5;
/// Smallest padded size.
pub const MIN_BUCKET: usize = 64;
/// Largest doubling bucket; above it sizes grow in steps of this.
pub const BUCKET_STEP: usize = 32 * 1024;
/// Largest body accepted (keeps a message inside a 64 KiB frame).
pub const MAX_BODY_LEN: usize = 60 * 1024;

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

/// What a message says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// A text message.
    Text(String),
    /// An in-chat payment.
    PaymentVoucher(PaymentVoucher),
}

/// The padded size for a body of `len` bytes (prefix included).
pub fn bucket_for(len: usize) -> usize {
    let needed = len + PREFIX_LEN;
    if needed <= BUCKET_STEP {
        needed.next_power_of_two().max(MIN_BUCKET)
    } else {
        needed.div_ceil(BUCKET_STEP) * BUCKET_STEP
    }
}

impl Body {
    fn encode_content(&self) -> Result<(u8, Zeroizing<Vec<u8>>), CryptoError> {
        match self {
            Body::Text(text) => Ok((TYPE_TEXT, Zeroizing::new(text.as_bytes().to_vec()))),
            Body::PaymentVoucher(voucher) => {
                let cluster_len =
                    u8::try_from(voucher.cluster.len()).map_err(|_| CryptoError::TooLarge)?;
                let mut bytes = Zeroizing::new(Vec::with_capacity(49 + voucher.cluster.len()));
                bytes.extend_from_slice(voucher.claim_secret.as_ref());
                bytes.extend_from_slice(&voucher.lamports.to_be_bytes());
                bytes.extend_from_slice(&voucher.expiry.to_be_bytes());
                bytes.push(cluster_len);
                bytes.extend_from_slice(voucher.cluster.as_bytes());
                Ok((TYPE_PAYMENT_VOUCHER, bytes))
            }
        }
    }

    /// The padded plaintext.
    pub fn to_padded(&self) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
        let (kind, content) = self.encode_content()?;
        if content.len() > MAX_BODY_LEN {
            return Err(CryptoError::TooLarge);
        }
        let mut padded = Zeroizing::new(Vec::with_capacity(bucket_for(content.len())));
        padded.push(kind);
        padded.extend_from_slice(&(content.len() as u32).to_be_bytes());
        padded.extend_from_slice(&content);
        padded.resize(bucket_for(content.len()), 0);
        Ok(padded)
    }

    /// Parses a padded plaintext; the padding must be zeros and exactly fill the bucket.
    pub fn from_padded(padded: &[u8]) -> Result<Self, CryptoError> {
        if padded.len() < PREFIX_LEN {
            return Err(CryptoError::BadBody);
        }
        let len = u32::from_be_bytes([padded[1], padded[2], padded[3], padded[4]]) as usize;
        if len > MAX_BODY_LEN || padded.len() != bucket_for(len) {
            return Err(CryptoError::BadBody);
        }
        let content = &padded[PREFIX_LEN..PREFIX_LEN + len];
        if padded[PREFIX_LEN + len..].iter().any(|b| *b != 0) {
            return Err(CryptoError::BadBody);
        }
        match padded[0] {
            TYPE_TEXT => std::str::from_utf8(content)
                .map(|text| Body::Text(text.to_owned()))
                .map_err(|_| CryptoError::BadBody),
            TYPE_PAYMENT_VOUCHER => decode_voucher(content).map(Body::PaymentVoucher),
            _ => Err(CryptoError::BadBody),
        }
    }
}

fn decode_voucher(content: &[u8]) -> Result<PaymentVoucher, CryptoError> {
    if content.len() < 49 {
        return Err(CryptoError::BadBody);
    }
    let mut claim_secret = Zeroizing::new([0u8; 32]);
    claim_secret.copy_from_slice(&content[..32]);
    let mut lamports = [0u8; 8];
    lamports.copy_from_slice(&content[32..40]);
    let mut expiry = [0u8; 8];
    expiry.copy_from_slice(&content[40..48]);
    let cluster_len = content[48] as usize;
    if content.len() != 49 + cluster_len {
        return Err(CryptoError::BadBody);
    }
    let cluster = std::str::from_utf8(&content[49..])
        .map_err(|_| CryptoError::BadBody)?
        .to_owned();
    Ok(PaymentVoucher {
        claim_secret,
        lamports: u64::from_be_bytes(lamports),
        expiry: i64::from_be_bytes(expiry),
        cluster,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_double_then_step() {
        assert_eq!(bucket_for(0), 64);
        assert_eq!(bucket_for(59), 64);
        assert_eq!(bucket_for(60), 128);
        assert_eq!(bucket_for(1024), 2048);
        assert_eq!(bucket_for(BUCKET_STEP - 5), BUCKET_STEP);
        assert_eq!(bucket_for(BUCKET_STEP), 2 * BUCKET_STEP);
    }

    #[test]
    fn bodies_round_trip() {
        let voucher = Body::PaymentVoucher(PaymentVoucher {
            claim_secret: Zeroizing::new([3; 32]),
            lamports: 1_500_000,
            expiry: 1_900_000_000,
            cluster: "devnet".into(),
        });
        for body in [
            Body::Text("hello".into()),
            Body::Text(String::new()),
            voucher,
        ] {
            let padded = body.to_padded().unwrap();
            assert_eq!(Body::from_padded(&padded).unwrap(), body);
        }
    }

    #[test]
    fn non_zero_padding_and_wrong_lengths_are_refused() {
        let mut padded = Body::Text("hi".into()).to_padded().unwrap();
        padded[40] = 1;
        assert_eq!(Body::from_padded(&padded), Err(CryptoError::BadBody));
        let padded = Body::Text("hi".into()).to_padded().unwrap();
        assert_eq!(Body::from_padded(&padded[..63]), Err(CryptoError::BadBody));
    }

    #[test]
    fn voucher_secret_is_redacted_in_debug() {
        let voucher = PaymentVoucher {
            claim_secret: Zeroizing::new([0xAB; 32]),
            lamports: 1,
            expiry: 2,
            cluster: "devnet".into(),
        };
        assert!(!format!("{voucher:?}").contains("171"));
        assert!(format!("{voucher:?}").contains("***"));
    }
}
