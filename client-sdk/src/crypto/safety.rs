//! Safety numbers: what two members compare (out of band) to be sure no relay swapped their
//! keys, in rooms without a secret.
//!
//! ```text
//! fingerprint(member) = SHA3-256("anoghost/safety/v1" | ed25519 | x25519)
//! digits(fingerprint) = for each of the first six 5-byte chunks: (chunk as u40, BE) mod 100000, as 5 digits
//! safety number       = digits of the smaller fingerprint, then of the larger: 12 groups of 5
//! ```

use sha3::{Digest, Sha3_256};

use super::identity::MemberPublic;

/// Domain-separation label of safety fingerprints.
pub const LABEL_SAFETY: &[u8] = b"anoghost/safety/v1";

fn fingerprint(public: &MemberPublic) -> [u8; 32] {
    let mut hasher = Sha3_256::new();
    hasher.update(LABEL_SAFETY);
    hasher.update(public.ed25519);
    hasher.update(public.x25519);
    hasher.finalize().into()
}

fn groups(fingerprint: &[u8; 32]) -> Vec<String> {
    fingerprint[..30]
        .chunks_exact(5)
        .map(|chunk| {
            let value = chunk.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
            format!("{:05}", value % 100_000)
        })
        .collect()
}

/// The safety number of two members: the same text on both sides.
pub fn safety_number(a: &MemberPublic, b: &MemberPublic) -> String {
    let (fa, fb) = (fingerprint(a), fingerprint(b));
    let (first, second) = if fa <= fb { (fa, fb) } else { (fb, fa) };
    let mut all = groups(&first);
    all.extend(groups(&second));
    all.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_sides_see_the_same_sixty_digits() {
        let a = MemberPublic {
            x25519: [1; 32],
            ed25519: [2; 32],
        };
        let b = MemberPublic {
            x25519: [3; 32],
            ed25519: [4; 32],
        };
        let number = safety_number(&a, &b);
        assert_eq!(number, safety_number(&b, &a));
        assert_eq!(number.split(' ').count(), 12);
        assert_eq!(number.chars().filter(char::is_ascii_digit).count(), 60);
        let c = MemberPublic {
            x25519: [3; 32],
            ed25519: [5; 32],
        };
        assert_ne!(number, safety_number(&a, &c));
    }
}
