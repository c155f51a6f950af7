//! Direct messages within a session: sealing a body for one peer, and opening (once) the
//! ones addressed to this member.

use rand_core::{CryptoRng, RngCore};

use super::{Outcome, RoomSession, SessionEvent};
use crate::crypto::body::Body;
use crate::crypto::direct;
use crate::crypto::CryptoError;

/// Direct-message nonces remembered per peer for duplicate detection.
const DIRECT_SEEN: usize = 2_000;

impl RoomSession {
    /// Encrypts `body` for `to` only (it must be a peer whose keys are accepted).
    pub fn encrypt_direct(
        &self,
        to: u16,
        body: &Body,
        rng: &mut (impl RngCore + CryptoRng),
    ) -> Result<Vec<u8>, CryptoError> {
        let peer = self.peers.get(&to).ok_or(CryptoError::UnknownSender)?;
        let padded = body.to_padded()?;
        Ok(direct::seal(
            self.room,
            self.me,
            &self.keys,
            to,
            &peer.pairwise,
            &padded,
            rng,
        ))
    }

    pub(super) fn on_direct(
        &mut self,
        sender: u16,
        payload: &[u8],
    ) -> Result<Outcome, CryptoError> {
        if direct::recipient(payload) != Some(self.me) {
            // Addressed to someone else: the room sees it, only the recipient can open it.
            return Ok(Outcome::default());
        }
        let peer = self
            .peers
            .get_mut(&sender)
            .ok_or(CryptoError::UnknownSender)?;
        let (padded, nonce) = direct::open(
            self.room,
            sender,
            &peer.public.ed25519,
            self.me,
            &peer.pairwise,
            payload,
        )?;
        if peer.direct_seen.contains(&nonce) {
            return Err(CryptoError::Replay);
        }
        let body = Body::from_padded(&padded)?;
        peer.direct_seen.push_back(nonce);
        if peer.direct_seen.len() > DIRECT_SEEN {
            peer.direct_seen.pop_front();
        }
        Ok(Outcome {
            events: vec![SessionEvent::DirectMessage { from: sender, body }],
            outgoing: Vec::new(),
        })
    }
}
