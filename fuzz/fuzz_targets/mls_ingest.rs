//! `cargo fuzz run mls_ingest`: the target is `src/targets/mls_ingest.rs`.
#![no_main]

use libfuzzer_sys::{fuzz_target, Corpus};

fuzz_target!(|bytes: &[u8]| -> Corpus {
    if anoghost_fuzz::targets::mls_ingest::fuzz(bytes) {
        Corpus::Keep
    } else {
        Corpus::Reject
    }
});
