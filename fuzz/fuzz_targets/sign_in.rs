//! `cargo fuzz run sign_in`: the target is `src/targets/sign_in.rs`.
#![no_main]

use libfuzzer_sys::{fuzz_target, Corpus};

fuzz_target!(|bytes: &[u8]| -> Corpus {
    if anoghost_fuzz::targets::sign_in::fuzz(bytes) {
        Corpus::Keep
    } else {
        Corpus::Reject
    }
});
