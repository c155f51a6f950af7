//! Test helpers: a scripted random source, an in-memory room that routes payloads between
//! sessions (the crypto core does no I/O, so this is all a "network" it needs), and a real
//! gateway for the end-to-end tests.
// Helpers panic on anything unexpected: in a test, a panic is the failure report.
#![allow(dead_code, clippy::unwrap_used)]

pub mod gateway;
pub mod sim;

use rand_core::{CryptoRng, RngCore};

/// A "random" source that replays fixed bytes, for known-answer tests.
pub struct FixedBytes {
    bytes: Vec<u8>,
    at: usize,
}

impl FixedBytes {
    pub fn new(bytes: &[u8]) -> Self {
        Self {
            bytes: bytes.to_vec(),
            at: 0,
        }
    }
}

impl RngCore for FixedBytes {
    fn next_u32(&mut self) -> u32 {
        let mut word = [0u8; 4];
        self.fill_bytes(&mut word);
        u32::from_le_bytes(word)
    }

    fn next_u64(&mut self) -> u64 {
        let mut word = [0u8; 8];
        self.fill_bytes(&mut word);
        u64::from_le_bytes(word)
    }

    fn fill_bytes(&mut self, dest: &mut [u8]) {
        let end = self.at + dest.len();
        dest.copy_from_slice(&self.bytes[self.at..end]);
        self.at = end;
    }

    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}

// Test-only: the bytes are fixed on purpose, to reproduce known answers.
impl CryptoRng for FixedBytes {}

/// Decodes a hex string from a vector file.
pub fn unhex(text: &serde_json::Value) -> Vec<u8> {
    hex::decode(text.as_str().unwrap()).unwrap()
}

/// Decodes a 32-byte hex string.
pub fn unhex32(text: &serde_json::Value) -> [u8; 32] {
    unhex(text).try_into().unwrap()
}

/// Loads `tests/vectors/<name>.json`.
pub fn vector(name: &str) -> serde_json::Value {
    // Read at run time: a build cache shared between clones would bake in another
    // checkout's path at compile time.
    let root = std::env::var("CARGO_MANIFEST_DIR").unwrap();
    let path = format!("{root}/tests/vectors/{name}.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}
