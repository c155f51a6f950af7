//! Test helpers: a real gateway for end-to-end tests. The in-memory Delivery Service is
//! `anoghost_sdk::mls::testing` (feature `testing`), shared with the other crates' tests.
// Helpers panic on anything unexpected: in a test, a panic is the failure report.
#![allow(dead_code, clippy::unwrap_used)]

pub mod gateway;
