//! Who may enter a room (its creator, a joiner proving the invite's secret, or a joiner
//! this gateway already checked: a paid room's key, on chain), and admitting them.

use ed25519_dalek::{Signature, VerifyingKey};
use rand::Rng;

use super::event::{Event, Snapshot};
use super::registry::JoinError;
use super::room::{Role, RoomState};
use super::{MemberHandle, MemberNumber, NodeId, Room, MEMBER_MAX, MEMBER_MIN};

/// What a joiner brings.
#[derive(Debug, Clone)]
pub enum Admission {
    /// Creates the room.
    Creator,
    /// A free room's invite proof: `signature` over `message` (the connection's challenge
    /// and the code, `proofs::room_join`) by the key the room's verifier names.
    Proof {
        /// The signed message.
        message: Vec<u8>,
        /// The signature, if it parsed.
        signature: Option<Signature>,
    },
    /// Checked by the gateway the joiner is connected to.
    Checked,
}

impl Admission {
    /// Whether this admits the joiner to a room with `verifier` (`None`: the room does not
    /// exist, or is a paid room). A proof is verified against a stand-in key when there is
    /// no verifier, so a missing room costs the same work as a wrong proof.
    pub fn admits(&self, verifier: Option<&VerifyingKey>) -> bool {
        match self {
            Self::Creator | Self::Checked => true,
            Self::Proof { message, signature } => {
                let (key, real) = match verifier {
                    Some(key) => (key, true),
                    None => (&*STAND_IN, false),
                };
                let verified = signature
                    .as_ref()
                    .is_some_and(|s| key.verify_strict(message, s).is_ok());
                verified && real
            }
        }
    }
}

/// Any valid key will do: it only makes the work for a missing room match a real one.
static STAND_IN: std::sync::LazyLock<VerifyingKey> =
    std::sync::LazyLock::new(|| ed25519_dalek::SigningKey::from_bytes(&[1; 32]).verifying_key());

/// A member admitted by [`Room::admit`].
#[derive(Debug, Clone)]
pub struct Admitted {
    /// Its number.
    pub member: MemberNumber,
    /// The members already there.
    pub others: Vec<MemberNumber>,
}

impl Room {
    /// Admits a member connected to gateway `node` (`handle` is its queue when that is this
    /// gateway) if `admission` admits it and the room holds fewer than `capacity`. Only the
    /// ordering gateway admits. A refused admission is [`JoinError::NotFound`], the answer
    /// for a room that does not exist.
    pub fn admit(
        &self,
        node: NodeId,
        join_id: u64,
        handle: Option<MemberHandle>,
        admission: &Admission,
        capacity: usize,
    ) -> Result<Admitted, JoinError> {
        self.admit_locked(
            &mut self.state(),
            node,
            join_id,
            handle,
            admission,
            capacity,
        )
    }

    /// As [`Self::admit`], for a member connected to another gateway: with the room's
    /// snapshot just after the admission, taken under the same lock, so the joiner's
    /// gateway receives every event after it.
    pub fn admit_with_snapshot(
        &self,
        node: NodeId,
        join_id: u64,
        admission: &Admission,
        capacity: usize,
    ) -> Result<(Admitted, Snapshot), JoinError> {
        let mut state = self.state();
        let admitted = self.admit_locked(&mut state, node, join_id, None, admission, capacity)?;
        Ok((admitted, self.snapshot_of(&state)))
    }

    fn admit_locked(
        &self,
        state: &mut RoomState,
        node: NodeId,
        join_id: u64,
        handle: Option<MemberHandle>,
        admission: &Admission,
        capacity: usize,
    ) -> Result<Admitted, JoinError> {
        if state.closed || !matches!(state.role, Role::Orderer) {
            return Err(JoinError::NotFound);
        }
        if !admission.admits(state.verifier.as_ref()) {
            return Err(JoinError::NotFound);
        }
        if state.members.len() >= capacity {
            return Err(JoinError::Full);
        }
        let mut rng = rand::rngs::OsRng;
        let member = loop {
            let candidate = rng.gen_range(MEMBER_MIN..=MEMBER_MAX);
            if state.members.iter().all(|m| m.number != candidate) {
                break candidate;
            }
        };
        let others = state.members.iter().map(|m| m.number).collect();
        let joined = Event::Joined {
            member,
            node,
            join_id,
        };
        self.order(state, joined, handle);
        Ok(Admitted { member, others })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::{Signer, SigningKey};

    #[test]
    fn a_proof_admits_only_under_the_rooms_own_verifier() {
        let invite = SigningKey::from_bytes(&[9; 32]);
        let proof = Admission::Proof {
            message: b"challenge and code".to_vec(),
            signature: Some(invite.sign(b"challenge and code")),
        };
        assert!(proof.admits(Some(&invite.verifying_key())));
        let other = SigningKey::from_bytes(&[8; 32]).verifying_key();
        assert!(!proof.admits(Some(&other)));
        assert!(!proof.admits(None), "no room: refused after the same work");
        let forged = Admission::Proof {
            message: b"challenge and code".to_vec(),
            signature: Some(STAND_IN_SIGNER.sign(b"challenge and code")),
        };
        assert!(
            !forged.admits(None),
            "a signature by the stand-in key opens nothing"
        );
        let missing = Admission::Proof {
            message: b"challenge and code".to_vec(),
            signature: None,
        };
        assert!(!missing.admits(Some(&invite.verifying_key())));
    }

    static STAND_IN_SIGNER: std::sync::LazyLock<SigningKey> =
        std::sync::LazyLock::new(|| SigningKey::from_bytes(&[1; 32]));
}
