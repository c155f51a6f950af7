//! One module per fuzz target, each stating at its top what it feeds and the invariant it
//! checks. `fuzz_targets/` holds the libFuzzer entry points; `tests/corpus.rs` replays the
//! committed corpora through the same functions on stable, in the normal test suite.

pub mod control_message;
pub mod frame_codec;
pub mod ghost_id_open;
pub mod invite_parse;
pub mod key_mint;
pub mod localnet_rpc;
pub mod mls_header;
pub mod mls_ingest;
pub mod seal_open;
pub mod sign_in;
pub mod siws_text;
pub mod solana_pay_request;
pub mod token_account;

/// A target's entry point: runs it on raw bytes, `false` when they make no input.
pub type Target = fn(&[u8]) -> bool;

/// Every target by name, as `cargo fuzz list` names them.
pub const ALL: [(&str, Target); 13] = [
    ("control_message", control_message::fuzz),
    ("frame_codec", frame_codec::fuzz),
    ("ghost_id_open", ghost_id_open::fuzz),
    ("invite_parse", invite_parse::fuzz),
    ("key_mint", key_mint::fuzz),
    ("localnet_rpc", localnet_rpc::fuzz),
    ("mls_header", mls_header::fuzz),
    ("mls_ingest", mls_ingest::fuzz),
    ("seal_open", seal_open::fuzz),
    ("sign_in", sign_in::fuzz),
    ("siws_text", siws_text::fuzz),
    ("solana_pay_request", solana_pay_request::fuzz),
    ("token_account", token_account::fuzz),
];
