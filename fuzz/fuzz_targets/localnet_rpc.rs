//! `cargo fuzz run localnet_rpc`: the target is `src/targets/localnet_rpc.rs`.
#![no_main]

use libfuzzer_sys::{fuzz_target, Corpus};

fuzz_target!(|bytes: &[u8]| -> Corpus {
    if anoghost_fuzz::targets::localnet_rpc::fuzz(bytes) {
        Corpus::Keep
    } else {
        Corpus::Reject
    }
});
