//! The group's member list, read from the MLS group itself: a member that the gateway
//! hides, invents or keeps shows up here for everyone. And the numbers people compare to
//! know nobody sits between them.

use openmls::prelude::MlsGroup;
use sha2::{Digest, Sha256};

use super::identity::MemberCredential;

/// One member of the group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterEntry {
    /// The member's leaf in the MLS tree.
    pub leaf: u32,
    /// The member number its credential names.
    pub member: u16,
    /// Its direct-message key.
    pub direct_key: [u8; 32],
    /// Its signature key's fingerprint, to compare out of band.
    pub fingerprint: String,
}

/// The group's members, in leaf order. A leaf whose credential is not a member number is
/// listed under number 0, so it is visible rather than hidden.
pub fn roster(group: &MlsGroup) -> Vec<RosterEntry> {
    group
        .members()
        .map(|member| {
            let credential = MemberCredential::from_credential(&member.credential);
            RosterEntry {
                leaf: member.index.u32(),
                member: credential.map_or(0, |c| c.member),
                direct_key: credential.map_or([0; 32], |c| c.direct_key),
                fingerprint: digits(b"anoghost/fingerprint/v1", &member.signature_key),
            }
        })
        .collect()
}

/// The room's safety code for the current epoch: every member computes the same digits
/// from the MLS epoch authenticator, so two members reading them to each other know they
/// are in the same group, with nobody in between.
pub fn safety_code(group: &MlsGroup) -> String {
    digits(
        b"anoghost/safety-code/v1",
        group.epoch_authenticator().as_slice(),
    )
}

/// Six groups of five digits from `SHA-256(label ‖ input)`.
pub(crate) fn digits(label: &[u8], input: &[u8]) -> String {
    let hash = Sha256::new()
        .chain_update(label)
        .chain_update(input)
        .finalize();
    hash.chunks(5)
        .take(6)
        .map(|chunk| {
            let value = chunk.iter().fold(0u64, |acc, b| acc << 8 | u64::from(*b));
            format!("{:05}", value % 100_000)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_six_groups_of_five() {
        let shown = digits(b"label", b"input");
        assert_eq!(shown.len(), 6 * 5 + 5);
        assert!(shown
            .split(' ')
            .all(|g| g.len() == 5 && g.bytes().all(|b| b.is_ascii_digit())));
        assert_ne!(shown, digits(b"label", b"other"));
    }
}
