//! One member's end-to-end state in one room: its keys and sending chain, the peers it knows
//! and their receiving chains. Pure state machine: payloads and membership changes in,
//! events and payloads to send out.
//!
//! Rules (see `docs/crypto.md`):
//! - On joining, a member announces its keys.
//! - A member that sees a newcomer's announcement replies with its own announcement, then
//!   rotates its sending chain and sends the new chain to every peer, newcomer included: the
//!   newcomer cannot read anything sent before it arrived.
//! - A newcomer that sees a reply from a member who was already in the room sends that member
//!   its current chain.
//! - When a member leaves, everyone rotates and sends the new chain to the remaining peers:
//!   the leaver cannot read anything sent after it left.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use rand_core::{CryptoRng, RngCore};

mod direct_messages;

use super::announce::{self, Verification};
use super::body::Body;
use super::chain::{ReceivingChain, SendingChain};

use super::identity::{MemberKeys, MemberPublic};
use super::kdf::{pairwise_key, room_mac_key};
use super::message::{self, MessageHeader};
use super::safety::safety_number;
use super::secret::{MacKey, PairwiseKey, RoomSecret};
use super::sender_key;
use super::{CryptoError, KIND_ANNOUNCE, KIND_DIRECT, KIND_MESSAGE, KIND_SENDER_KEY};

/// Receiving chains kept per peer: the current one and the one before, for messages still
/// in flight when the peer rotated.
const CHAINS_PER_PEER: usize = 2;

/// Something the application should know about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionEvent {
    /// A message decrypted and verified.
    Message {
        /// The sender's member number.
        from: u16,
        /// What it says.
        body: Body,
        /// Seconds after which to delete it (0: keep).
        ttl_secs: u32,
    },
    /// A member's keys were accepted.
    PeerKeys {
        /// The member.
        member: u16,
        /// How far they could be checked.
        verification: Verification,
    },
    /// A member's announcement was refused: show them as untrusted.
    PeerRejected {
        /// The member.
        member: u16,
        /// Why.
        reason: CryptoError,
    },
    /// A message for this member only, from `from`.
    DirectMessage {
        /// The sender's member number.
        from: u16,
        /// What it says.
        body: Body,
    },
    /// A peer's sending chain arrived: its messages can now be read.
    SenderKey {
        /// The peer.
        from: u16,
    },
}

/// Events for the application and payloads to send to the room.
#[derive(Debug, Default)]
pub struct Outcome {
    /// What happened.
    pub events: Vec<SessionEvent>,
    /// Payloads to send, in order.
    pub outgoing: Vec<Vec<u8>>,
}

struct Peer {
    public: MemberPublic,
    pairwise: PairwiseKey,
    chains: VecDeque<ReceivingChain>,
    /// Nonces of direct messages already received, so a replay is refused.
    direct_seen: VecDeque<[u8; 12]>,
}

/// One member's state in one room.
pub struct RoomSession {
    room: u32,
    me: u16,
    keys: MemberKeys,
    mac_key: Option<MacKey>,
    sending: SendingChain,
    peers: BTreeMap<u16, Peer>,
    present_at_join: BTreeSet<u16>,
    rejected: BTreeSet<u16>,
}

impl std::fmt::Debug for RoomSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RoomSession")
            .field("room", &self.room)
            .field("me", &self.me)
            .field("peers", &self.peers.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl RoomSession {
    /// Starts a session as member `me` of `room`, with `present` the members already there.
    /// Returns the session and the announcement to send.
    pub fn join(
        room: u32,
        me: u16,
        present: &[u16],
        secret: Option<&RoomSecret>,
        rng: &mut (impl RngCore + CryptoRng),
    ) -> (Self, Vec<u8>) {
        let keys = MemberKeys::generate(rng);
        let mac_key = secret.map(room_mac_key);
        let announcement = announce::encode(room, me, &keys, mac_key.as_ref());
        let session = Self {
            room,
            me,
            keys,
            mac_key,
            sending: SendingChain::generate(rng),
            peers: BTreeMap::new(),
            present_at_join: present.iter().copied().collect(),
            rejected: BTreeSet::new(),
        };
        (session, announcement)
    }

    /// This member's number.
    pub fn me(&self) -> u16 {
        self.me
    }

    /// This member's public keys.
    pub fn public(&self) -> MemberPublic {
        self.keys.public()
    }

    /// Members whose keys are accepted.
    pub fn peers(&self) -> impl Iterator<Item = u16> + '_ {
        self.peers.keys().copied()
    }

    /// Members whose announcement was refused.
    pub fn rejected(&self) -> impl Iterator<Item = u16> + '_ {
        self.rejected.iter().copied()
    }

    /// Whether `member`'s chain has arrived, so its messages can be read.
    pub fn can_read(&self, member: u16) -> bool {
        self.peers
            .get(&member)
            .is_some_and(|p| !p.chains.is_empty())
    }

    /// The safety number shared with `member`, if its keys are known.
    pub fn safety_number(&self, member: u16) -> Option<String> {
        self.peers
            .get(&member)
            .map(|peer| safety_number(&self.keys.public(), &peer.public))
    }

    /// Encrypts a message to every peer holding this member's current chain.
    pub fn encrypt(&mut self, body: &Body, ttl_secs: u32) -> Result<Vec<u8>, CryptoError> {
        let padded = body.to_padded()?;
        let (index, secret) = self.sending.advance()?;
        let header = MessageHeader {
            chain_id: self.sending.id(),
            index,
            ttl_secs,
        };
        Ok(message::seal(
            self.room, self.me, &self.keys, header, &secret, &padded,
        ))
    }

    /// Handles a payload relayed from `sender`.
    pub fn receive(
        &mut self,
        sender: u16,
        payload: &[u8],
        rng: &mut (impl RngCore + CryptoRng),
    ) -> Result<Outcome, CryptoError> {
        if sender == self.me {
            return Err(CryptoError::WrongMember);
        }
        match payload.first() {
            Some(&KIND_ANNOUNCE) => self.on_announce(sender, payload, rng),
            Some(&KIND_SENDER_KEY) => self.on_sender_key(sender, payload),
            Some(&KIND_MESSAGE) => self.on_message(sender, payload),
            Some(&KIND_DIRECT) => self.on_direct(sender, payload),
            _ => Err(CryptoError::Malformed),
        }
    }

    /// Handles a member leaving: forgets it and rotates.
    pub fn member_left(&mut self, member: u16, rng: &mut (impl RngCore + CryptoRng)) -> Outcome {
        self.present_at_join.remove(&member);
        self.rejected.remove(&member);
        if self.peers.remove(&member).is_none() {
            return Outcome::default();
        }
        Outcome {
            events: Vec::new(),
            outgoing: vec![self.rotate(rng)],
        }
    }

    fn on_announce(
        &mut self,
        sender: u16,
        payload: &[u8],
        rng: &mut (impl RngCore + CryptoRng),
    ) -> Result<Outcome, CryptoError> {
        let (public, verification) =
            match announce::decode(self.room, sender, payload, self.mac_key.as_ref()) {
                Ok(accepted) => accepted,
                // A member already accepted stays accepted: a relay that mangles or forges an
                // announcement in its name must not be able to get it distrusted.
                Err(reason) if self.peers.contains_key(&sender) => return Err(reason),
                Err(reason) => return Ok(self.reject(sender, reason)),
            };
        if let Some(known) = self.peers.get(&sender) {
            if known.public == public {
                return Ok(Outcome::default());
            }
            return Ok(self.reject(sender, CryptoError::KeysChanged));
        }
        let shared = self.keys.agree(&public.x25519)?;
        let pairwise = pairwise_key(
            &shared,
            self.room,
            (self.me, &self.keys.public().x25519),
            (sender, &public.x25519),
        );
        // A verified announcement outweighs an earlier refused one (which a relay could
        // have mangled on purpose).
        self.rejected.remove(&sender);
        self.peers.insert(
            sender,
            Peer {
                public,
                pairwise,
                chains: VecDeque::new(),
                direct_seen: VecDeque::new(),
            },
        );
        let mut outcome = Outcome {
            events: vec![SessionEvent::PeerKeys {
                member: sender,
                verification,
            }],
            outgoing: Vec::new(),
        };
        if self.present_at_join.contains(&sender) {
            // An older member answering our announcement: it may read our current chain.
            outcome.outgoing.push(self.distribute(&[sender], rng));
        } else {
            // A newcomer: introduce ourselves, then rotate so it cannot read our past.
            outcome.outgoing.push(announce::encode(
                self.room,
                self.me,
                &self.keys,
                self.mac_key.as_ref(),
            ));
            outcome.outgoing.push(self.rotate(rng));
        }
        Ok(outcome)
    }

    fn reject(&mut self, member: u16, reason: CryptoError) -> Outcome {
        self.rejected.insert(member);
        Outcome {
            events: vec![SessionEvent::PeerRejected { member, reason }],
            outgoing: Vec::new(),
        }
    }

    fn on_sender_key(&mut self, sender: u16, payload: &[u8]) -> Result<Outcome, CryptoError> {
        let peer = self
            .peers
            .get_mut(&sender)
            .ok_or(CryptoError::UnknownSender)?;
        let Some(chain) = sender_key::decode(
            self.room,
            sender,
            &peer.public.ed25519,
            self.me,
            &peer.pairwise,
            payload,
        )?
        else {
            return Ok(Outcome::default());
        };
        peer.chains.retain(|existing| existing.id() != chain.id);
        peer.chains
            .push_back(ReceivingChain::new(chain.id, chain.index, chain.key));
        while peer.chains.len() > CHAINS_PER_PEER {
            peer.chains.pop_front();
        }
        Ok(Outcome {
            events: vec![SessionEvent::SenderKey { from: sender }],
            outgoing: Vec::new(),
        })
    }

    fn on_message(&mut self, sender: u16, payload: &[u8]) -> Result<Outcome, CryptoError> {
        let peer = self
            .peers
            .get_mut(&sender)
            .ok_or(CryptoError::UnknownSender)?;
        let header = message::verify_message(self.room, sender, &peer.public.ed25519, payload)?;
        let chain = peer
            .chains
            .iter_mut()
            .find(|chain| chain.id() == header.chain_id)
            .ok_or(CryptoError::UnknownChain)?;
        let lookup = chain.lookup(header.index)?;
        let padded = message::open(self.room, sender, lookup.secret(), payload)?;
        let body = Body::from_padded(&padded)?;
        chain.commit(lookup);
        Ok(Outcome {
            events: vec![SessionEvent::Message {
                from: sender,
                body,
                ttl_secs: header.ttl_secs,
            }],
            outgoing: Vec::new(),
        })
    }

    /// A new sending chain, sent to every peer.
    fn rotate(&mut self, rng: &mut (impl RngCore + CryptoRng)) -> Vec<u8> {
        self.sending = SendingChain::generate(rng);
        let everyone: Vec<u16> = self.peers.keys().copied().collect();
        self.distribute(&everyone, rng)
    }

    /// The current sending chain, sealed for `recipients`.
    fn distribute(&self, recipients: &[u16], rng: &mut (impl RngCore + CryptoRng)) -> Vec<u8> {
        let sealed_for: Vec<(u16, &PairwiseKey)> = recipients
            .iter()
            .filter_map(|member| self.peers.get(member).map(|peer| (*member, &peer.pairwise)))
            .collect();
        sender_key::encode(
            self.room,
            self.me,
            &self.keys,
            self.sending.state(),
            sealed_for.into_iter(),
            rng,
        )
    }
}
