//! `cargo fuzz run key_mint`: the target is `src/targets/key_mint.rs`.
#![no_main]

use libfuzzer_sys::{fuzz_target, Corpus};

fuzz_target!(|bytes: &[u8]| -> Corpus {
    if anoghost_fuzz::targets::key_mint::fuzz(bytes) {
        Corpus::Keep
    } else {
        Corpus::Reject
    }
});
