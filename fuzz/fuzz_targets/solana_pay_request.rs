//! `cargo fuzz run solana_pay_request`: the target is `src/targets/solana_pay_request.rs`.
#![no_main]

use libfuzzer_sys::{fuzz_target, Corpus};

fuzz_target!(|bytes: &[u8]| -> Corpus {
    if anoghost_fuzz::targets::solana_pay_request::fuzz(bytes) {
        Corpus::Keep
    } else {
        Corpus::Reject
    }
});
