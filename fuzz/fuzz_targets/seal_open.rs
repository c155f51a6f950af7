//! `cargo fuzz run seal_open`: the target is `src/targets/seal_open.rs`.
#![no_main]

use libfuzzer_sys::{fuzz_target, Corpus};

fuzz_target!(|bytes: &[u8]| -> Corpus {
    if anoghost_fuzz::targets::seal_open::fuzz(bytes) {
        Corpus::Keep
    } else {
        Corpus::Reject
    }
});
