use std::collections::VecDeque;

use sha3::{Digest, Sha3_256};

use crate::secret::SecretBytes32;

/// Domain separation label of the epoch-key chain.
const EPOCH_KEY_LABEL: &[u8] = b"anoghost/ghost-epoch/v1";

/// The last `window` epoch keys, newest last.
pub struct GhostEpochKeys {
    window: usize,
    /// `(epoch, key)`, consecutive epochs, oldest first.
    keys: VecDeque<(u64, SecretBytes32)>,
}

impl std::fmt::Debug for GhostEpochKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GhostEpochKeys")
            .field("window", &self.window)
            .field(
                "epochs",
                &self.keys.iter().map(|(e, _)| *e).collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

/// The key after `key` in the chain.
pub fn next_epoch_key(key: &SecretBytes32) -> SecretBytes32 {
    let mut hasher = Sha3_256::new();
    hasher.update(EPOCH_KEY_LABEL);
    hasher.update(key.expose());
    SecretBytes32::new(hasher.finalize().into())
}

impl GhostEpochKeys {
    /// Starts a chain at `epoch` from a fresh random `seed`. `window` is at least 1.
    pub fn new(seed: SecretBytes32, epoch: u64, window: usize) -> Self {
        let mut keys = VecDeque::with_capacity(window.max(1));
        keys.push_back((epoch, seed));
        Self {
            window: window.max(1),
            keys,
        }
    }

    /// The newest epoch.
    pub fn current_epoch(&self) -> u64 {
        self.newest().0
    }

    fn newest(&self) -> &(u64, SecretBytes32) {
        // unwrap: the deque is created with one key and `advance_to` never empties it.
        #[allow(clippy::unwrap_used)]
        self.keys.back().unwrap()
    }

    /// The newest epoch and its key, to issue ghostIds with.
    pub fn current(&self) -> (u64, &SecretBytes32) {
        let (epoch, key) = self.newest();
        (*epoch, key)
    }

    /// A short public mark of the newest key: two gateways with the same mark in the same
    /// epoch hold the same chain. It reveals nothing of the key (a truncated hash).
    pub fn mark(&self) -> (u64, u64) {
        let (epoch, key) = self.newest();
        let mut hasher = Sha3_256::new();
        hasher.update(b"anoghost/ghost-chain-mark/v1");
        hasher.update(key.expose());
        let digest: [u8; 32] = hasher.finalize().into();
        let mut mark = [0u8; 8];
        mark.copy_from_slice(&digest[..8]);
        (*epoch, u64::from_be_bytes(mark))
    }

    /// The key of `epoch`, if it is still within the window.
    pub fn key_for(&self, epoch: u64) -> Option<&SecretBytes32> {
        self.keys.iter().find(|(e, _)| *e == epoch).map(|(_, k)| k)
    }

    /// Moves the chain forward to `epoch`, deriving every key in between and dropping
    /// (zeroizing) those that fall out of the window. Does nothing for past epochs.
    pub fn advance_to(&mut self, epoch: u64) {
        while self.current_epoch() < epoch {
            let (newest_epoch, newest_key) = self.newest();
            let next = (newest_epoch + 1, next_epoch_key(newest_key));
            self.keys.push_back(next);
            while self.keys.len() > self.window {
                // Dropping a SecretBytes32 zeroizes it.
                self.keys.pop_front();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(window: usize) -> GhostEpochKeys {
        GhostEpochKeys::new(SecretBytes32::new([1; 32]), 100, window)
    }

    #[test]
    fn chain_is_sha3_of_label_and_previous_key() {
        let mut keys = chain(5);
        keys.advance_to(101);
        let mut expected = Sha3_256::new();
        expected.update(b"anoghost/ghost-epoch/v1");
        expected.update([1u8; 32]);
        let expected: [u8; 32] = expected.finalize().into();
        assert_eq!(keys.key_for(101).unwrap().expose(), &expected);
    }

    #[test]
    fn only_the_last_window_keys_are_kept() {
        let mut keys = chain(3);
        keys.advance_to(104);
        assert_eq!(keys.current_epoch(), 104);
        assert!(keys.key_for(101).is_none());
        assert!(keys.key_for(102).is_some());
        assert!(keys.key_for(104).is_some());
        assert!(keys.key_for(105).is_none());
    }

    #[test]
    fn chains_with_the_same_newest_key_share_a_mark() {
        let mut one = chain(3);
        one.advance_to(102);
        let two = GhostEpochKeys::new(one.current().1.clone(), 102, 3);
        assert_eq!(one.mark(), two.mark());
        assert_ne!(one.mark(), chain(3).mark());
        let other = GhostEpochKeys::new(SecretBytes32::new([2; 32]), 102, 3);
        assert_eq!(other.mark().0, one.mark().0);
        assert_ne!(other.mark().1, one.mark().1);
    }

    #[test]
    fn advancing_backwards_changes_nothing() {
        let mut keys = chain(3);
        keys.advance_to(102);
        keys.advance_to(50);
        assert_eq!(keys.current_epoch(), 102);
    }
}
