//! What gateways say to each other, inside sealed NATS messages (bincode, size-limited).

use bincode::Options;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::rooms::{Event, Input, MemberNumber, NodeId, Snapshot};

/// Largest message encoded or decoded: a frame plus headers, or a snapshot of a full room.
const MAX_MESSAGE: u64 = 256 * 1024;

/// Largest `--max-frame-bytes` a cluster carries: a frame must fit in one message with the
/// headers around it (a few dozen bytes; a kibibyte is left for them).
pub const MAX_CLUSTER_FRAME_BYTES: usize = 255 * 1024;

/// To a room's orderer, on `ag.r.<id>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ToOrderer {
    /// Admit a member connected to gateway `node` (a request: the answer is a
    /// [`JoinAnswer`]).
    Join {
        /// The joiner's gateway.
        node: NodeId,
        /// Its last heartbeat's number when it sent this (see `nodes::Nodes::is_fresh`).
        beat: u64,
        /// That gateway's id for the join.
        join_id: u64,
        /// What the joiner brings.
        admission: WireAdmission,
    },
    /// A member's input, numbered per link so a lost one is noticed.
    Input {
        /// The member's gateway.
        node: NodeId,
        /// Its last heartbeat's number when it sent this.
        beat: u64,
        /// The gateway it is addressed to: the orderer its sender follows (0 before a
        /// snapshot has said which). Another orderer refuses it, so an input recorded on its
        /// way to one orderer cannot be replayed to the next.
        orderer: NodeId,
        /// The room incarnation the gateway follows.
        incarnation: u64,
        /// The gateway's link to the room (a new one each time it starts following it).
        link: u64,
        /// The input's number on that link, from 0.
        seq: u64,
        /// The input.
        input: Input,
    },
    /// Gateway `node` is about to order the room (a request: every gateway already
    /// ordering or claiming it answers with a [`ClaimAnswer`]).
    Claim {
        /// The claimant.
        node: NodeId,
        /// Its last heartbeat's number when it sent this.
        beat: u64,
        /// A random id for this claim, which its answers are bound to.
        claim: u64,
        /// The orderer it takes over from, when it already holds the room's state; `None`
        /// when it creates the room.
        takes_over: Option<Takeover>,
    },
}

/// What a claim takes over: the room's orderer, believed gone, and the room incarnation it
/// ordered. Only that orderer, still ordering that incarnation, steps down for it, so a
/// takeover claim recorded on NATS and replayed later closes no room.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Takeover {
    /// The orderer believed gone.
    pub from: NodeId,
    /// The incarnation it ordered.
    pub incarnation: u64,
}

/// What a joiner brings, as sent to the orderer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum WireAdmission {
    /// A free room's invite proof: a 64-byte signature over `message`.
    Proof {
        /// The signed message.
        message: Vec<u8>,
        /// The signature, if it parsed.
        signature: Option<Vec<u8>>,
    },
    /// Checked by the joiner's gateway (a paid room's key, on chain).
    Checked,
}

/// The orderer's answer to a join.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum JoinAnswer {
    /// Admitted.
    Admitted {
        /// The member's number.
        member: MemberNumber,
        /// The members already there.
        others: Vec<MemberNumber>,
        /// The room, to follow from.
        snapshot: Snapshot,
    },
    /// No such room, or the proof does not admit (deliberately one answer).
    NotFound,
    /// The room is full.
    Full,
    /// The room just ended on its orderer: ask again (a new room may take its place).
    Ended,
}

/// An answer to a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimAnswer {
    /// The answering gateway.
    pub node: NodeId,
    /// Whether it orders the room already (or takes it over).
    pub established: bool,
}

/// One event of a room, on `ag.r.<id>.e`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sequenced {
    /// The room incarnation.
    pub incarnation: u64,
    /// The orderer that numbered it.
    pub orderer: NodeId,
    /// Its number.
    pub seq: u64,
    /// The event.
    pub event: Event,
}

/// A gateway's heartbeat, on `ag.hb`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Heartbeat {
    /// The gateway.
    pub node: NodeId,
    /// Its number: each of a gateway's heartbeats is numbered above the one before, so a
    /// heartbeat replayed on NATS is told from a fresh one (see `nodes::Nodes::saw`).
    pub beat: u64,
    /// Rooms it orders.
    pub rooms: u32,
    /// Its ghostId key chain.
    pub chain: ChainMark,
}

/// Which ghostId key chain a gateway holds (see `cluster::shared`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainMark {
    /// The node that started the chain (0: not settled yet).
    pub origin: NodeId,
    /// The chain's newest epoch.
    pub epoch: u64,
    /// A hash mark of the newest key.
    pub mark: u64,
}

/// A gateway asks for the ghostId key chain, on `ag.ghost` (a request).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GhostAsk {
    /// The asking gateway.
    pub node: NodeId,
    /// The chain wanted, by origin (`None`: the cluster's).
    pub want: Option<NodeId>,
    /// A fresh X25519 public key to seal the answer to.
    pub reply_key: [u8; 32],
}

/// The answer: the chain's newest key, HPKE-sealed to the asker's key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GhostChain {
    /// The chain's origin.
    pub origin: NodeId,
    /// The epoch of the key.
    pub epoch: u64,
    /// HPKE's encapsulated key.
    pub enc: [u8; 32],
    /// The sealed key.
    pub sealed: Vec<u8>,
}

fn options() -> impl Options {
    bincode::DefaultOptions::new()
        .with_limit(MAX_MESSAGE)
        .reject_trailing_bytes()
}

/// A message could not be encoded for another gateway.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a message between gateways would exceed {MAX_MESSAGE} bytes")]
pub struct TooLarge;

/// The bytes of `message`; [`TooLarge`] if they would exceed what a gateway decodes (then
/// the message is not sent, as if lost: its receivers notice the gap).
pub fn encode<T: Serialize>(message: &T) -> Result<Vec<u8>, TooLarge> {
    // Every message type serializes; the only failure is the size limit.
    options().serialize(message).map_err(|_| TooLarge)
}

/// `bytes` as a `T`, if they are one (and not larger than a message can be).
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    options().deserialize(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_round_trip_and_junk_or_trailing_bytes_are_refused() {
        let input = ToOrderer::Input {
            node: 7,
            beat: 3,
            orderer: 8,
            incarnation: 9,
            link: 3,
            seq: 0,
            input: Input::Frame {
                sender: 1234,
                kind: 1,
                to: None,
                payload: bytes::Bytes::from_static(b"ciphertext"),
            },
        };
        assert_eq!(
            decode::<ToOrderer>(&encode(&input).unwrap()),
            Some(input.clone())
        );
        let mut trailing = encode(&input).unwrap();
        trailing.push(0);
        assert_eq!(decode::<ToOrderer>(&trailing), None);
        assert_eq!(decode::<ToOrderer>(&[200, 1, 2]), None);
        // A length prefix claiming a huge vector is refused, not allocated.
        // (Variant 0, `Proof`; then bincode's varint marker for a u64 length.)
        let mut huge = vec![0, 253];
        huge.extend_from_slice(&u64::MAX.to_le_bytes());
        assert_eq!(decode::<WireAdmission>(&huge), None);
    }

    fn input_with_payload(bytes: usize) -> ToOrderer {
        ToOrderer::Input {
            node: u64::MAX,
            beat: u64::MAX,
            orderer: u64::MAX,
            incarnation: u64::MAX,
            link: u64::MAX,
            seq: u64::MAX,
            input: Input::Frame {
                sender: u16::MAX,
                kind: u8::MAX,
                to: Some(u16::MAX),
                payload: bytes::Bytes::from(vec![7; bytes]),
            },
        }
    }

    #[test]
    fn an_oversize_message_is_refused_not_a_panic_and_the_largest_cluster_frame_fits() {
        let largest = input_with_payload(MAX_CLUSTER_FRAME_BYTES);
        let encoded = encode(&largest).expect("the largest frame a cluster allows fits");
        assert_eq!(decode::<ToOrderer>(&encoded), Some(largest));
        let oversize = input_with_payload(300 * 1024);
        assert_eq!(encode(&oversize), Err(TooLarge));
    }
}
