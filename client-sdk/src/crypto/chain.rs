//! Sender chains. Each member encrypts with its own sending chain; every other member keeps
//! a receiving copy. A chain yields one message key per index and only moves forward.

use std::collections::BTreeMap;

use rand_core::{CryptoRng, RngCore};

use super::kdf::{message_key, next_chain_key};
use super::secret::{ChainKey, MessageKey};
use super::CryptoError;

/// Most skipped message keys a receiving chain caches for out-of-order delivery.
pub const MAX_SKIPPED_KEYS: usize = 2_000;
/// Furthest a message index may run ahead of the chain.
pub const MAX_FORWARD_JUMP: u32 = 25_000;

/// One message's key and nonce.
pub type MessageSecret = (MessageKey, [u8; 12]);

/// This member's own chain.
#[derive(Debug)]
pub struct SendingChain {
    id: u32,
    index: u32,
    key: ChainKey,
}

impl SendingChain {
    /// A fresh chain with a random id and key.
    pub fn generate(rng: &mut (impl RngCore + CryptoRng)) -> Self {
        let mut key = [0u8; 32];
        rng.fill_bytes(&mut key);
        let chain = Self::from_parts(rng.next_u32(), 0, ChainKey::new(key));
        zeroize::Zeroize::zeroize(&mut key);
        chain
    }

    /// A chain at a known state (for known-answer tests).
    pub fn from_parts(id: u32, index: u32, key: ChainKey) -> Self {
        Self { id, index, key }
    }

    /// The chain's id.
    pub fn id(&self) -> u32 {
        self.id
    }

    /// The state to hand to other members: id, next index and chain key.
    pub fn state(&self) -> (u32, u32, &ChainKey) {
        (self.id, self.index, &self.key)
    }

    /// The next message's index, key and nonce; the chain moves past them.
    pub fn advance(&mut self) -> Result<(u32, MessageSecret), CryptoError> {
        let index = self.index;
        let next_index = index.checked_add(1).ok_or(CryptoError::TooLarge)?;
        let secret = message_key(&self.key);
        self.key = next_chain_key(&self.key);
        self.index = next_index;
        Ok((index, secret))
    }
}

/// A receiving copy of another member's chain.
#[derive(Debug)]
pub struct ReceivingChain {
    id: u32,
    next_index: u32,
    key: ChainKey,
    skipped: BTreeMap<u32, MessageSecret>,
}

/// The outcome of looking up a message key, applied only once the message has decrypted.
#[derive(Debug)]
pub enum KeyLookup {
    /// A key cached when its index was skipped.
    Skipped {
        /// The index to remove from the cache.
        index: u32,
        /// The key and nonce.
        secret: MessageSecret,
    },
    /// A key at or ahead of the chain: the chain must move past it.
    Ahead {
        /// The key and nonce.
        secret: MessageSecret,
        /// Keys of the indices jumped over, newest last (at most [`MAX_SKIPPED_KEYS`]).
        skipped: Vec<(u32, MessageSecret)>,
        /// The chain key after the message.
        next_key: ChainKey,
        /// The index after the message.
        next_index: u32,
    },
}

impl KeyLookup {
    /// The message's key and nonce.
    pub fn secret(&self) -> &MessageSecret {
        match self {
            Self::Skipped { secret, .. } | Self::Ahead { secret, .. } => secret,
        }
    }
}

impl ReceivingChain {
    /// A receiving chain starting at `index`.
    pub fn new(id: u32, index: u32, key: ChainKey) -> Self {
        Self {
            id,
            next_index: index,
            key,
            skipped: BTreeMap::new(),
        }
    }

    /// The chain's id.
    pub fn id(&self) -> u32 {
        self.id
    }

    /// Skipped keys cached.
    pub fn skipped_len(&self) -> usize {
        self.skipped.len()
    }

    /// Finds the key of message `index` without changing the chain.
    pub fn lookup(&self, index: u32) -> Result<KeyLookup, CryptoError> {
        if index < self.next_index {
            let secret = self.skipped.get(&index).ok_or(CryptoError::Replay)?;
            return Ok(KeyLookup::Skipped {
                index,
                secret: secret.clone(),
            });
        }
        if index - self.next_index > MAX_FORWARD_JUMP {
            return Err(CryptoError::JumpTooFar);
        }
        let keep_from = index.saturating_sub(MAX_SKIPPED_KEYS as u32);
        let mut key = self.key.clone();
        let mut skipped = Vec::new();
        for skipped_index in self.next_index..index {
            if skipped_index >= keep_from {
                skipped.push((skipped_index, message_key(&key)));
            }
            key = next_chain_key(&key);
        }
        let secret = message_key(&key);
        Ok(KeyLookup::Ahead {
            secret,
            skipped,
            next_key: next_chain_key(&key),
            next_index: index.checked_add(1).ok_or(CryptoError::JumpTooFar)?,
        })
    }

    /// Applies a lookup whose message decrypted. Evicts the oldest skipped keys beyond the cap.
    pub fn commit(&mut self, lookup: KeyLookup) {
        match lookup {
            KeyLookup::Skipped { index, .. } => {
                self.skipped.remove(&index);
            }
            KeyLookup::Ahead {
                skipped,
                next_key,
                next_index,
                ..
            } => {
                self.skipped.extend(skipped);
                while self.skipped.len() > MAX_SKIPPED_KEYS {
                    self.skipped.pop_first();
                }
                self.key = next_key;
                self.next_index = next_index;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair() -> (SendingChain, ReceivingChain) {
        let sending = SendingChain::from_parts(1, 0, ChainKey::new([5; 32]));
        let receiving = ReceivingChain::new(1, 0, ChainKey::new([5; 32]));
        (sending, receiving)
    }

    fn receive(chain: &mut ReceivingChain, index: u32) -> Result<MessageSecret, CryptoError> {
        let lookup = chain.lookup(index)?;
        let secret = lookup.secret().clone();
        chain.commit(lookup);
        Ok(secret)
    }

    #[test]
    fn receiver_derives_the_senders_keys_in_any_order() {
        let (mut sending, mut receiving) = pair();
        let sent: Vec<_> = (0..10).map(|_| sending.advance().unwrap()).collect();
        for i in [3, 0, 9, 1, 2, 8, 4, 7, 6, 5] {
            let (index, secret) = &sent[i];
            assert_eq!(&receive(&mut receiving, *index).unwrap(), secret);
        }
        assert_eq!(receiving.skipped_len(), 0);
    }

    #[test]
    fn a_used_index_is_a_replay() {
        let (_, mut receiving) = pair();
        receive(&mut receiving, 4).unwrap();
        assert_eq!(receive(&mut receiving, 4).err(), Some(CryptoError::Replay));
        receive(&mut receiving, 2).unwrap();
        assert_eq!(receive(&mut receiving, 2).err(), Some(CryptoError::Replay));
    }

    #[test]
    fn lookup_alone_changes_nothing() {
        let (_, receiving) = pair();
        receiving.lookup(100).unwrap();
        assert_eq!(receiving.skipped_len(), 0);
        assert!(receiving.lookup(0).is_ok());
    }

    #[test]
    fn jump_past_the_cap_is_refused_and_at_the_cap_accepted() {
        let (_, mut receiving) = pair();
        assert_eq!(
            receiving.lookup(MAX_FORWARD_JUMP + 1).err(),
            Some(CryptoError::JumpTooFar)
        );
        receive(&mut receiving, MAX_FORWARD_JUMP).unwrap();
        assert_eq!(receiving.skipped_len(), MAX_SKIPPED_KEYS);
    }

    #[test]
    fn oldest_skipped_keys_are_evicted() {
        let (_, mut receiving) = pair();
        receive(&mut receiving, 3_000).unwrap();
        assert_eq!(receiving.skipped_len(), MAX_SKIPPED_KEYS);
        assert_eq!(
            receive(&mut receiving, 999).err(),
            Some(CryptoError::Replay),
            "evicted"
        );
        assert!(receive(&mut receiving, 1_000).is_ok(), "kept");
    }
}
