//! A map that remembers its most recently added keys, up to a bound: what a gateway keeps
//! of messages that could be replayed to it (heartbeat numbers, input numbers, join ids)
//! without growing with whatever a publisher on NATS sends.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;

/// At most `BOUND` entries; a new key past the bound makes the map forget its oldest key.
/// Replacing a key's value does not make it newer.
#[derive(Debug)]
pub(super) struct BoundedMap<K, V, const BOUND: usize> {
    entries: HashMap<K, V>,
    /// `entries`' keys, oldest first.
    order: VecDeque<K>,
}

impl<K, V, const BOUND: usize> Default for BoundedMap<K, V, BOUND> {
    fn default() -> Self {
        Self {
            entries: HashMap::new(),
            order: VecDeque::new(),
        }
    }
}

impl<K: Copy + Eq + Hash, V, const BOUND: usize> BoundedMap<K, V, BOUND> {
    pub(super) fn get(&self, key: &K) -> Option<&V> {
        self.entries.get(key)
    }

    pub(super) fn get_mut(&mut self, key: &K) -> Option<&mut V> {
        self.entries.get_mut(key)
    }

    /// Sets `key`'s value; `true` if `key` was not in the map.
    pub(super) fn insert(&mut self, key: K, value: V) -> bool {
        if self.entries.insert(key, value).is_some() {
            return false;
        }
        self.order.push_back(key);
        if self.order.len() > BOUND {
            if let Some(oldest) = self.order.pop_front() {
                self.entries.remove(&oldest);
            }
        }
        true
    }

    /// Forgets `key` (a walk over the keys: for rare removals).
    pub(super) fn remove(&mut self, key: &K) -> Option<V> {
        let value = self.entries.remove(key)?;
        self.order.retain(|k| k != key);
        Some(value)
    }

    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.entries.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_oldest_key_goes_past_the_bound_and_a_replaced_value_stays_as_old() {
        let mut map = BoundedMap::<u8, u8, 2>::default();
        assert!(map.insert(1, 10));
        assert!(map.insert(2, 20));
        assert!(!map.insert(1, 11), "known: replaced, not renewed");
        assert!(map.insert(3, 30));
        assert_eq!(map.get(&1), None, "the oldest is forgotten");
        assert_eq!((map.get(&2), map.get(&3)), (Some(&20), Some(&30)));
        assert_eq!(map.remove(&2), Some(20));
        assert!(map.insert(4, 40));
        assert_eq!(map.len(), 2, "a removed key frees its place");
        assert_eq!(map.get(&3), Some(&30));
    }
}
