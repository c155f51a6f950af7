//! Single-use sign-in nonces, held in memory with a TTL.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rand::RngCore;

use super::SignInError;
use crate::secret::WalletAddress;
use crate::sync::lock;

/// One outstanding or spent nonce.
struct NonceEntry {
    address: WalletAddress,
    expires: Instant,
    used: bool,
}

/// Single-use sign-in nonces, in memory only. Spent nonces are remembered until they would
/// have expired, so a replay is reported as a reuse rather than as unknown.
pub struct NonceStore {
    ttl: Duration,
    capacity: usize,
    entries: Mutex<HashMap<String, NonceEntry>>,
}

/// Why no nonce could be issued.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("too many outstanding sign-in challenges; retry shortly")]
pub struct NonceStoreFull;

impl NonceStore {
    /// A store whose nonces live `ttl` and which holds at most `capacity` of them.
    pub fn new(ttl: Duration, capacity: usize) -> Self {
        Self {
            ttl,
            capacity,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// How long an issued nonce lives.
    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// Issues a fresh nonce for `address`.
    pub fn issue(&self, address: WalletAddress, now: Instant) -> Result<String, NonceStoreFull> {
        let mut bytes = [0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        let nonce = bs58::encode(bytes).into_string();
        let mut entries = lock(&self.entries);
        if entries.len() >= self.capacity {
            entries.retain(|_, entry| entry.expires > now);
            if entries.len() >= self.capacity {
                return Err(NonceStoreFull);
            }
        }
        entries.insert(
            nonce.clone(),
            NonceEntry {
                address,
                expires: now + self.ttl,
                used: false,
            },
        );
        Ok(nonce)
    }

    /// Spends `nonce` for `address`. Fails if it is unknown, expired, issued for another
    /// address, or already spent.
    pub fn consume(
        &self,
        nonce: &str,
        address: &WalletAddress,
        now: Instant,
    ) -> Result<(), SignInError> {
        let mut entries = lock(&self.entries);
        let entry = entries.get_mut(nonce).ok_or(SignInError::UnknownNonce)?;
        if entry.expires <= now || entry.address != *address {
            return Err(SignInError::UnknownNonce);
        }
        if entry.used {
            return Err(SignInError::ReusedNonce);
        }
        entry.used = true;
        Ok(())
    }

    /// Drops every entry past its expiry.
    pub fn sweep(&self, now: Instant) {
        lock(&self.entries).retain(|_, entry| entry.expires > now);
    }

    /// Entries held (outstanding and spent).
    pub fn len(&self) -> usize {
        lock(&self.entries).len()
    }

    /// Whether the store holds nothing.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wallet(byte: u8) -> WalletAddress {
        WalletAddress::from_bytes([byte; 32])
    }

    #[test]
    fn nonce_is_single_use() {
        let store = NonceStore::new(Duration::from_secs(60), 10);
        let now = Instant::now();
        let nonce = store.issue(wallet(1), now).unwrap();
        assert_eq!(store.consume(&nonce, &wallet(1), now), Ok(()));
        assert_eq!(
            store.consume(&nonce, &wallet(1), now),
            Err(SignInError::ReusedNonce)
        );
    }

    #[test]
    fn unknown_expired_and_foreign_nonces_are_unknown() {
        let store = NonceStore::new(Duration::from_secs(60), 10);
        let now = Instant::now();
        assert_eq!(
            store.consume("nope", &wallet(1), now),
            Err(SignInError::UnknownNonce)
        );
        let nonce = store.issue(wallet(1), now).unwrap();
        assert_eq!(
            store.consume(&nonce, &wallet(2), now),
            Err(SignInError::UnknownNonce)
        );
        let later = now + Duration::from_secs(61);
        assert_eq!(
            store.consume(&nonce, &wallet(1), later),
            Err(SignInError::UnknownNonce)
        );
    }

    #[test]
    fn store_is_bounded_and_sweeps_expired_entries() {
        let store = NonceStore::new(Duration::from_secs(60), 2);
        let now = Instant::now();
        store.issue(wallet(1), now).unwrap();
        store.issue(wallet(1), now).unwrap();
        assert_eq!(store.issue(wallet(1), now), Err(NonceStoreFull));
        let later = now + Duration::from_secs(61);
        assert!(
            store.issue(wallet(1), later).is_ok(),
            "expired entries make room"
        );
        store.sweep(later + Duration::from_secs(61));
        assert!(store.is_empty());
    }
}
