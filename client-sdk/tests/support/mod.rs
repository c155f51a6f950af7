//! Test helpers: a real gateway for end-to-end tests, and members that run in tasks of their
//! own. The in-memory Delivery Service is `anoghost_sdk::mls::testing` (feature `testing`),
//! shared with the other crates' tests.
// Helpers panic on anything unexpected: in a test, a panic is the failure report.
#![allow(dead_code, clippy::unwrap_used)]

pub mod gateway;
pub mod members;
