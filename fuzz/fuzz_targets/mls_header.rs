//! `cargo fuzz run mls_header`: the target is `src/targets/mls_header.rs`.
#![no_main]

use libfuzzer_sys::{fuzz_target, Corpus};

fuzz_target!(|bytes: &[u8]| -> Corpus {
    if anoghost_fuzz::targets::mls_header::fuzz(bytes) {
        Corpus::Keep
    } else {
        Corpus::Reject
    }
});
