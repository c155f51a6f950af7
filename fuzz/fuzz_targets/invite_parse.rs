//! `cargo fuzz run invite_parse`: the target is `src/targets/invite_parse.rs`.
#![no_main]

use libfuzzer_sys::{fuzz_target, Corpus};

fuzz_target!(|bytes: &[u8]| -> Corpus {
    if anoghost_fuzz::targets::invite_parse::fuzz(bytes) {
        Corpus::Keep
    } else {
        Corpus::Reject
    }
});
