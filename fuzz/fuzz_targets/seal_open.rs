//! Opening a sealed key field (`gateway/src/paid/seal.rs`): the gateway opens the room and
//! ghost seals of every key a wallet joins with, bytes read from an RPC node it does not
//! control.
//!
//! Repoint after the paid-room work (issue 17) replaces the seals: this file is the whole
//! target.
//!
//! Invariants: opening never panics; a seal opens to its value under its own kind, with the
//! current master key or an older one still configured; it never opens as the other kind;
//! no other bytes open, whether arbitrary or the seal damaged in any way.
#![no_main]

use anoghost_fuzz::Damage;
use anoghost_gateway::paid::{SealKind, Sealer};
use anoghost_gateway::secret::SecretBytes32;
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Input<'a> {
    key: [u8; 32],
    older_key: [u8; 32],
    /// Seal with the older key (then rotated to a new current one).
    sealed_before_rotation: bool,
    room: bool,
    value: &'a [u8],
    probe: Probe<'a>,
}

#[derive(Debug, Arbitrary)]
enum Probe<'a> {
    Bytes(&'a [u8]),
    Damaged(Damage),
}

fn kind(room: bool) -> SealKind {
    if room {
        SealKind::Room
    } else {
        SealKind::Ghost
    }
}

fuzz_target!(|input: Input<'_>| {
    let (current, older) = if input.key == input.older_key {
        (
            Sealer::new(2, SecretBytes32::new(input.key), Vec::new()),
            None,
        )
    } else {
        (
            Sealer::new(
                2,
                SecretBytes32::new(input.key),
                vec![(1, SecretBytes32::new(input.older_key))],
            ),
            Some(Sealer::new(
                1,
                SecretBytes32::new(input.older_key),
                Vec::new(),
            )),
        )
    };
    let sealer = match (&older, input.sealed_before_rotation) {
        (Some(older), true) => older,
        _ => &current,
    };
    let kind = kind(input.room);
    let sealed = sealer.seal(kind, input.value);
    let opened = current
        .open(kind, &sealed)
        .expect("a seal opens under its own kind");
    assert_eq!(opened.as_slice(), input.value);
    assert!(current.open(self::kind(!input.room), &sealed).is_none());
    let probe = match input.probe {
        Probe::Bytes(bytes) => bytes.to_vec(),
        Probe::Damaged(damage) => damage.applied(&sealed),
    };
    if let Some(opened) = current.open(kind, &probe) {
        assert_eq!(probe, sealed, "bytes that are not a seal opened");
        assert_eq!(opened.as_slice(), input.value);
    }
    let _ = current.open(self::kind(!input.room), &probe);
});
