//! `loadgen`: the load generator on its own, against any relay that speaks the free-room
//! subset of `docs/protocol.md` (the gateway, or a baseline; `--raw` for the raw-TCP
//! relay). Bounded in count and time; stops by itself.
//!
//! ```text
//! loadgen fanout --addr 127.0.0.1:8787 --path /v1/ws --rate 8000 --secs 3
//! loadgen fanout --addr 127.0.0.1:9000 --raw --rate 8000 --secs 3
//! loadgen idle   --addr 127.0.0.1:8787 --path /v1/ws --pid <relay pid> --count 10000
//! loadgen churn  --addr 127.0.0.1:8787 --path /v1/ws --pid <relay pid> --secs 60
//! ```

use std::net::SocketAddr;
use std::time::Duration;

use anoghost_bench::client::{Target, Transport};
use anoghost_bench::fanout::{self, FanoutConfig};
use anoghost_bench::{churn, idle};
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(about = "Load generator for the AnoGhost gateway protocol (loopback only)")]
struct Options {
    /// The relay's address; must be loopback.
    #[arg(long, global = true, default_value = "127.0.0.1:8787")]
    addr: SocketAddr,
    /// The WebSocket path.
    #[arg(long, global = true, default_value = "/v1/ws")]
    path: String,
    /// Speak length-prefixed records over plain TCP (`relay-raw`) instead of WebSocket.
    #[arg(long, global = true)]
    raw: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Rooms × members sending fixed-size frames at an offered rate.
    Fanout {
        #[arg(long, default_value_t = 100)]
        rooms: usize,
        #[arg(long, default_value_t = 10)]
        members: usize,
        /// Frame size in bytes, header included.
        #[arg(long, default_value_t = 1024)]
        size: usize,
        /// Frames per second over all members.
        #[arg(long, default_value_t = 4_000.0)]
        rate: f64,
        /// Measured seconds (after one second of warm-up), at most 600.
        #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u64).range(1..=600))]
        secs: u64,
    },
    /// Idle connections in rooms of ten; reports the relay's RSS growth per connection.
    Idle {
        /// The relay's process id.
        #[arg(long)]
        pid: u32,
        #[arg(long, default_value_t = 10_000)]
        count: usize,
    },
    /// Connect → join → send → leave cycles; reports the relay's RSS before and after.
    Churn {
        #[arg(long)]
        pid: u32,
        #[arg(long, default_value_t = 1_000)]
        rate: u64,
        /// Seconds per round, at most 600.
        #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=600))]
        secs: u64,
        #[arg(long, default_value_t = 1)]
        rounds: usize,
    },
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let options = Options::parse();
    if !options.addr.ip().is_loopback() {
        eprintln!("loadgen: only loopback targets are allowed");
        return std::process::ExitCode::FAILURE;
    }
    let transport = if options.raw {
        Transport::RawTcp
    } else {
        Transport::WebSocket(options.path)
    };
    let target = Target {
        addr: options.addr,
        transport,
    };
    let outcome = match options.command {
        Command::Fanout { rooms, members, size, rate, secs } => {
            let config = FanoutConfig {
                rooms,
                members,
                frame_bytes: size,
                sends_per_sec: rate,
                warmup: Duration::from_secs(1),
                measure: Duration::from_secs(secs),
                drain: Duration::from_secs(1),
                relay_pids: Vec::new(),
            };
            fanout::run(std::slice::from_ref(&target), &config, 0).await.map(|r| {
                format!(
                    "offered {:.0} sends/s: sent {}, delivered {}/{} ({:.0}/s), p50 {} µs, p99 {} µs, {} dropped, sustained: {}",
                    r.sends_per_sec, r.sent, r.received, r.expected, r.delivered_per_sec, r.p50_us, r.p99_us, r.disconnected, r.sustained()
                )
            })
        }
        Command::Idle { pid, count } => {
            let r = idle::run(&target, pid, count, 10).await;
            Ok(format!(
                "{} connections: RSS {} → {} KiB, {:.1} KiB per connection{}",
                r.opened, r.before_kib, r.after_kib, r.kib_per_connection(),
                r.stopped_by.map_or(String::new(), |s| format!(" (stopped: {s})"))
            ))
        }
        Command::Churn { pid, rate, secs, rounds } => churn::run(&target, pid, rate, secs, rounds).await.map(|r| {
            format!(
                "{} cycles ({:.0}/s), {} failed; RSS before {} KiB, peak {} KiB, after rounds {:?} KiB",
                r.cycles, r.cycles_per_sec, r.failures, r.before_kib, r.peak_kib, r.after_rounds_kib
            )
        }),
    };
    match outcome {
        Ok(report) => {
            println!("{report}");
            std::process::ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("loadgen: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
