//! `cargo fuzz run token_account`: the target is `src/targets/token_account.rs`.
#![no_main]

use libfuzzer_sys::{fuzz_target, Corpus};

fuzz_target!(|bytes: &[u8]| -> Corpus {
    if anoghost_fuzz::targets::token_account::fuzz(bytes) {
        Corpus::Keep
    } else {
        Corpus::Reject
    }
});
