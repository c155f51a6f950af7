//! Benchmarks for the AnoGhost gateway, measured side by side with baselines in one run.
//!
//! # Layout
//! - [`client`]: WebSocket clients speaking the free-room subset of `docs/protocol.md`.
//! - [`servers`]: the relays under test (gateway, tokio-tungstenite floor, Node `ws`) as
//!   child processes on loopback.
//! - [`fanout`]: relay fan-out throughput and latency.
//! - [`idle`]: idle connection memory.
//! - [`churn`]: connect/join/send/leave cycles and RSS over time.
//! - [`join_cost`]: RPC requests and gateway CPU per paid join.
//! - [`files`]: MiB/s of a file through the gateway, and chat latency during one.
//! - [`proc`]: RSS and CPU time from `/proc`.
//! - [`stats`]: min/median/max over repeated runs.
//!
//! Every load loop here is bounded in count and time and stops by itself; every server
//! binds loopback only.

pub mod churn;
pub mod client;
pub mod fanout;
pub mod files;
pub mod idle;
pub mod join_cost;
pub mod proc;
pub mod servers;
pub mod stats;
