//! Opening a ghostId (`gateway/src/ghost/ghost_id.rs`): the gateway opens every ghostId a
//! client names (a paid room's invitees, contacts), text it does not control.
//!
//! Invariants: opening never panics; the ghostId the gateway issued opens to its holder
//! address while its epoch is in the window and not after; nothing else opens, whether any
//! text at all or the issued ghostId damaged in any way.

use crate::Damage;
use anoghost_gateway::ghost::GhostEpochKeys;
use anoghost_gateway::secret::{HolderAddress, SecretBytes32};
use arbitrary::Arbitrary;
use rand::rngs::StdRng;
use rand::SeedableRng;

#[derive(Debug, Arbitrary)]
struct Input {
    seed: [u8; 32],
    holder: [u8; 32],
    nonce_seed: u64,
    window: u8,
    /// Epochs the chain moves on after issuing.
    later: u8,
    probe: Probe,
}

#[derive(Debug, Arbitrary)]
enum Probe {
    /// Any text.
    Text(String),
    /// The issued ghostId's bytes, damaged, in base58.
    Damaged(Damage),
    /// The issued ghostId's text, damaged.
    DamagedText(Damage),
}

const EPOCH: u64 = 1_000;

fn run(input: Input) {
    let window = usize::from(input.window % 8) + 1;
    let mut keys = GhostEpochKeys::new(SecretBytes32::new(input.seed), EPOCH, window);
    let holder = HolderAddress::from_bytes(input.holder);
    let issued = keys.issue(&holder, &mut StdRng::seed_from_u64(input.nonce_seed));
    keys.advance_to(EPOCH + u64::from(input.later % 16));
    let in_window = usize::from(input.later % 16) < window;
    assert_eq!(keys.open(&issued).is_ok(), in_window);
    if in_window {
        let opened = keys.open(&issued).expect("opens in the window");
        assert_eq!(opened.as_bytes(), &input.holder);
    }
    let probe = match input.probe {
        Probe::Text(text) => text,
        Probe::Damaged(damage) => {
            let raw = bs58::decode(&issued)
                .into_vec()
                .expect("issued ghostIds are base58");
            bs58::encode(damage.applied(&raw)).into_string()
        }
        Probe::DamagedText(damage) => match String::from_utf8(damage.applied(issued.as_bytes())) {
            Ok(text) => text,
            Err(_) => return,
        },
    };
    let same = bs58::decode(&probe).into_vec().ok() == bs58::decode(&issued).into_vec().ok();
    if keys.open(&probe).is_ok() {
        assert!(same, "a ghostId the gateway never issued opened: {probe}");
    }
}

/// The target on the bytes libFuzzer gives it: `false` when they do not make an input.
pub fn fuzz(bytes: &[u8]) -> bool {
    crate::structured(bytes, run)
}
