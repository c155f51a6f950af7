//! `cargo fuzz run frame_codec`: the target is `src/targets/frame_codec.rs`.
#![no_main]

use libfuzzer_sys::{fuzz_target, Corpus};

fuzz_target!(|bytes: &[u8]| -> Corpus {
    if anoghost_fuzz::targets::frame_codec::fuzz(bytes) {
        Corpus::Keep
    } else {
        Corpus::Reject
    }
});
