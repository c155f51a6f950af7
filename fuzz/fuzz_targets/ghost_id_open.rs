//! `cargo fuzz run ghost_id_open`: the target is `src/targets/ghost_id_open.rs`.
#![no_main]

use libfuzzer_sys::{fuzz_target, Corpus};

fuzz_target!(|bytes: &[u8]| -> Corpus {
    if anoghost_fuzz::targets::ghost_id_open::fuzz(bytes) {
        Corpus::Keep
    } else {
        Corpus::Reject
    }
});
