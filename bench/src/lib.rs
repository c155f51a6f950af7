//! Benchmarks for the AnoGhost gateway, measured side by side with baselines in one run.
//!
//! # Layout
//! - [`client`]: clients speaking the free-room subset of `docs/protocol.md`, over
//!   WebSocket or raw TCP.
//! - [`raw`]: the length-prefixed framing of the raw-TCP relay, the box's limit.
//! - [`servers`]: the relays under test (gateway, raw-TCP relay, tokio-tungstenite relay,
//!   Node `ws`) and a cluster's parts (`nats-server`, clustered gateways) as child
//!   processes on loopback.
//! - [`fanout`]: relay fan-out throughput and latency, over one relay or a cluster's
//!   gateways (same- and cross-gateway latency apart).
//! - [`idle`]: idle connection memory.
//! - [`churn`]: connect/join/send/leave cycles and RSS over time.
//! - [`join_cost`]: RPC requests and gateway CPU per paid join.
//! - [`proc`]: RSS and CPU time from `/proc`.
//! - [`stats`]: min/median/max over repeated runs.
//!
//! Every load loop here is bounded in count and time and stops by itself; every server
//! binds loopback only.

pub mod churn;
pub mod client;
pub mod fanout;
pub mod idle;
pub mod join_cost;
pub mod proc;
pub mod raw;
pub mod servers;
pub mod stats;
