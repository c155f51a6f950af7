//! `cargo fuzz run control_message`: the target is `src/targets/control_message.rs`.
#![no_main]

use libfuzzer_sys::{fuzz_target, Corpus};

fuzz_target!(|bytes: &[u8]| -> Corpus {
    if anoghost_fuzz::targets::control_message::fuzz(bytes) {
        Corpus::Keep
    } else {
        Corpus::Reject
    }
});
