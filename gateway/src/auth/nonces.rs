//! Sign-in nonces that cost nothing to issue.
//!
//! ```text
//! nonce = base58( random (16) | expiry (8, unix seconds, big-endian)
//!                 | HMAC-SHA256(process key, address (32) | random | expiry)[..16] )
//! ```
//!
//! Issuing stores nothing: the MAC, under a key drawn at start and never shown, proves at
//! sign-in that this process issued the nonce for that address and until when. Only *used*
//! nonces are remembered, until they expire, so a replay is refused; a stranger can add to
//! that set only by completing a real sign-in. Issuing is O(1) and there is no shared cap on
//! outstanding challenges for anyone to fill.

use std::collections::{HashSet, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

use super::SignInError;
use crate::secret::{SecretBytes32, WalletAddress};
use crate::sync::lock;

const RANDOM_LEN: usize = 16;
const EXPIRY_LEN: usize = 8;
const TAG_LEN: usize = 16;
/// Bytes of a decoded nonce.
pub const NONCE_LEN: usize = RANDOM_LEN + EXPIRY_LEN + TAG_LEN;

/// Spent nonces, by their random part, with the order they were spent in.
#[derive(Default)]
struct Spent {
    set: HashSet<[u8; RANDOM_LEN]>,
    order: VecDeque<([u8; RANDOM_LEN], u64)>,
}

impl Spent {
    /// Forgets spent nonces from the front while they have expired. Nonces are spent in
    /// roughly expiry order, so this is amortised O(1); one that expires later than those
    /// spent after it only keeps them a little longer (at most one challenge lifetime).
    fn forget_expired(&mut self, now: u64) {
        while let Some((random, expiry)) = self.order.front() {
            if *expiry > now {
                break;
            }
            self.set.remove(random);
            self.order.pop_front();
        }
    }
}

/// A nonce accepted at sign-in: its random part and expiry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SpentNonce {
    /// The nonce's random part.
    pub random: [u8; RANDOM_LEN],
    /// Its expiry, unix seconds.
    pub expiry: u64,
}

/// Issues and checks sign-in nonces.
pub struct ChallengeNonces {
    key: SecretBytes32,
    ttl: Duration,
    max_spent: usize,
    spent: Mutex<Spent>,
}

impl std::fmt::Debug for ChallengeNonces {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChallengeNonces").finish_non_exhaustive()
    }
}

type HmacSha256 = Hmac<Sha256>;

impl ChallengeNonces {
    /// Nonces valid for `ttl`, under `key` (the cluster's, shared by every gateway) or a
    /// fresh random one; at most `max_spent` spent nonces are remembered at once (sign-ins
    /// past that answer `sign_in_busy` until some expire).
    pub fn new(key: Option<SecretBytes32>, ttl: Duration, max_spent: usize) -> Self {
        let key = key.unwrap_or_else(|| {
            let mut key = [0u8; 32];
            rand::rngs::OsRng.fill_bytes(&mut key);
            SecretBytes32::new(key)
        });
        Self {
            key,
            ttl,
            max_spent,
            spent: Mutex::default(),
        }
    }

    /// How long an issued nonce lives.
    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    fn tag(&self, address: &WalletAddress, random: &[u8], expiry: &[u8]) -> HmacSha256 {
        // unwrap: HMAC takes keys of any length.
        #[allow(clippy::unwrap_used)]
        let mut mac = HmacSha256::new_from_slice(self.key.expose()).unwrap();
        mac.update(address.as_bytes());
        mac.update(random);
        mac.update(expiry);
        mac
    }

    /// A fresh nonce for `address`, valid until `now + ttl` (unix seconds). Stores nothing.
    pub fn issue(&self, address: &WalletAddress, now: u64) -> String {
        let mut raw = [0u8; NONCE_LEN];
        rand::rngs::OsRng.fill_bytes(&mut raw[..RANDOM_LEN]);
        let expiry = now.saturating_add(self.ttl.as_secs());
        raw[RANDOM_LEN..RANDOM_LEN + EXPIRY_LEN].copy_from_slice(&expiry.to_be_bytes());
        let (random, rest) = raw.split_at(RANDOM_LEN);
        let tag = self
            .tag(address, random, &rest[..EXPIRY_LEN])
            .finalize()
            .into_bytes();
        raw[RANDOM_LEN + EXPIRY_LEN..].copy_from_slice(&tag[..TAG_LEN]);
        bs58::encode(raw).into_string()
    }

    /// Spends `nonce` for `address` at `now` (unix seconds). Fails if this process (or, in a
    /// cluster, any gateway of it) did not issue it for that address, if it has expired, or
    /// if it was already spent. Returns what other gateways must also count as spent.
    pub fn consume(
        &self,
        nonce: &str,
        address: &WalletAddress,
        now: u64,
    ) -> Result<SpentNonce, SignInError> {
        let mut raw = [0u8; NONCE_LEN];
        match bs58::decode(nonce).onto(&mut raw) {
            Ok(NONCE_LEN) => {}
            _ => return Err(SignInError::UnknownNonce),
        }
        let (random, rest) = raw.split_at(RANDOM_LEN);
        let (expiry_bytes, tag) = rest.split_at(EXPIRY_LEN);
        // Constant time: the comparison tells nothing about how close a forgery came.
        self.tag(address, random, expiry_bytes)
            .verify_truncated_left(tag)
            .map_err(|_| SignInError::UnknownNonce)?;
        let mut expiry = [0u8; EXPIRY_LEN];
        expiry.copy_from_slice(expiry_bytes);
        let expiry = u64::from_be_bytes(expiry);
        if expiry <= now {
            return Err(SignInError::UnknownNonce);
        }
        let mut random_part = [0u8; RANDOM_LEN];
        random_part.copy_from_slice(random);
        let mut spent = lock(&self.spent);
        spent.forget_expired(now);
        if spent.set.contains(&random_part) {
            return Err(SignInError::ReusedNonce);
        }
        if spent.set.len() >= self.max_spent {
            return Err(SignInError::Busy);
        }
        spent.set.insert(random_part);
        spent.order.push_back((random_part, expiry));
        Ok(SpentNonce {
            random: random_part,
            expiry,
        })
    }

    /// Counts a nonce another gateway of the cluster accepted as spent here too.
    pub fn mark_spent(&self, nonce: SpentNonce, now: u64) {
        let mut spent = lock(&self.spent);
        spent.forget_expired(now);
        if nonce.expiry > now && spent.set.len() < self.max_spent && spent.set.insert(nonce.random)
        {
            spent.order.push_back((nonce.random, nonce.expiry));
        }
    }

    /// Spent nonces remembered now.
    pub fn spent_len(&self) -> usize {
        lock(&self.spent).set.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wallet(byte: u8) -> WalletAddress {
        WalletAddress::from_bytes([byte; 32])
    }

    const NOW: u64 = 1_800_000_000;

    fn nonces(max_spent: usize) -> ChallengeNonces {
        ChallengeNonces::new(None, Duration::from_secs(60), max_spent)
    }

    #[test]
    fn nonce_is_single_use() {
        let store = nonces(10);
        let nonce = store.issue(&wallet(1), NOW);
        assert_eq!(store.consume(&nonce, &wallet(1), NOW).map(|_| ()), Ok(()));
        assert_eq!(
            store.consume(&nonce, &wallet(1), NOW),
            Err(SignInError::ReusedNonce)
        );
    }

    #[test]
    fn gateways_sharing_a_key_accept_each_others_nonces_once() {
        let key = || Some(SecretBytes32::new([4; 32]));
        let here = ChallengeNonces::new(key(), Duration::from_secs(60), 10);
        let there = ChallengeNonces::new(key(), Duration::from_secs(60), 10);
        let nonce = here.issue(&wallet(1), NOW);
        let spent = there.consume(&nonce, &wallet(1), NOW).unwrap();
        here.mark_spent(spent, NOW);
        assert_eq!(
            here.consume(&nonce, &wallet(1), NOW),
            Err(SignInError::ReusedNonce),
            "spent on another gateway"
        );
        let foreign = nonces(10).issue(&wallet(1), NOW);
        assert_eq!(
            here.consume(&foreign, &wallet(1), NOW),
            Err(SignInError::UnknownNonce),
            "another key's nonce"
        );
    }

    #[test]
    fn forged_expired_foreign_and_other_process_nonces_are_unknown() {
        let store = nonces(10);
        assert_eq!(
            store.consume("nope", &wallet(1), NOW),
            Err(SignInError::UnknownNonce)
        );
        let nonce = store.issue(&wallet(1), NOW);
        assert_eq!(
            store.consume(&nonce, &wallet(2), NOW),
            Err(SignInError::UnknownNonce)
        );
        assert_eq!(
            store.consume(&nonce, &wallet(1), NOW + 60),
            Err(SignInError::UnknownNonce)
        );
        assert_eq!(
            nonces(10).consume(&nonce, &wallet(1), NOW),
            Err(SignInError::UnknownNonce),
            "another process's key"
        );
        // A later expiry written into the nonce breaks its MAC.
        let mut raw = bs58::decode(&nonce).into_vec().unwrap();
        raw[RANDOM_LEN + EXPIRY_LEN - 1] ^= 0x40;
        let stretched = bs58::encode(raw).into_string();
        assert_eq!(
            store.consume(&stretched, &wallet(1), NOW + 30),
            Err(SignInError::UnknownNonce)
        );
        assert_eq!(store.spent_len(), 0);
    }

    #[test]
    fn issuing_two_hundred_thousand_nonces_stores_nothing_and_a_real_sign_in_still_works() {
        let store = nonces(10);
        for i in 0..200_000u32 {
            let _ = store.issue(&wallet((i % 251) as u8), NOW);
        }
        assert_eq!(store.spent_len(), 0);
        let nonce = store.issue(&wallet(7), NOW);
        assert_eq!(store.consume(&nonce, &wallet(7), NOW).map(|_| ()), Ok(()));
    }

    #[test]
    fn the_spent_set_is_bounded_and_forgets_expired_nonces() {
        let store = nonces(2);
        for _ in 0..2 {
            let nonce = store.issue(&wallet(1), NOW);
            store.consume(&nonce, &wallet(1), NOW).unwrap();
        }
        let third = store.issue(&wallet(1), NOW);
        assert_eq!(
            store.consume(&third, &wallet(1), NOW),
            Err(SignInError::Busy)
        );
        let later = store.issue(&wallet(1), NOW + 61);
        assert_eq!(
            store.consume(&later, &wallet(1), NOW + 61).map(|_| ()),
            Ok(())
        );
        assert_eq!(store.spent_len(), 1, "the expired ones were forgotten");
    }
}
