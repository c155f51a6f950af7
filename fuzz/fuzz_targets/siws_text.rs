//! `cargo fuzz run siws_text`: the target is `src/targets/siws_text.rs`.
#![no_main]

use libfuzzer_sys::{fuzz_target, Corpus};

fuzz_target!(|bytes: &[u8]| -> Corpus {
    if anoghost_fuzz::targets::siws_text::fuzz(bytes) {
        Corpus::Keep
    } else {
        Corpus::Reject
    }
});
