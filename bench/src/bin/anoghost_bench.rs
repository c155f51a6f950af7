//! `anoghost-bench`: runs every benchmark against the gateway and its baselines in one go
//! and writes `bench/RESULTS.md`. `scripts/bench.sh` builds everything and calls this.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anoghost_bench::fanout::{self, FanoutConfig};
use anoghost_bench::stats::Spread;
use anoghost_bench::{churn, idle, join_cost, servers};
use clap::Parser;

#[derive(Parser)]
#[command(about = "Benchmarks the AnoGhost gateway against baselines and writes a report")]
struct Options {
    /// The gateway binary (release).
    #[arg(long)]
    gateway_bin: PathBuf,
    /// The tokio-tungstenite floor relay binary (release).
    #[arg(long)]
    floor_bin: PathBuf,
    /// The localnet binary, for the paid-join cost.
    #[arg(long)]
    localnet_bin: PathBuf,
    /// The Node `ws` relay script.
    #[arg(long, default_value = "bench/node/relay.mjs")]
    node_relay: PathBuf,
    /// Criterion's output directory, for the client crypto figures.
    #[arg(long)]
    criterion_dir: PathBuf,
    /// Repeats of each measured figure.
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// Short windows and few steps: a smoke test of the harness, not a measurement.
    #[arg(long)]
    quick: bool,
    /// Idle connections for the per-connection memory figure.
    #[arg(long, default_value_t = 10_000)]
    idle_connections: usize,
    /// Upper bound of the largest-count attempt.
    #[arg(long, default_value_t = 200_000)]
    largest_max: usize,
    /// Seconds per churn round (two rounds).
    #[arg(long, default_value_t = 60)]
    churn_secs: u64,
    /// Where to write the report.
    #[arg(long, default_value = "bench/RESULTS.md")]
    out: PathBuf,
}

/// Offered sends per second, stepped up until a relay stops keeping up (×9 deliveries).
const RATES: &[f64] = &[
    1_000.0, 2_000.0, 4_000.0, 6_000.0, 8_000.0, 12_000.0, 16_000.0, 20_000.0, 24_000.0, 28_000.0,
    32_000.0, 40_000.0, 48_000.0, 64_000.0, 80_000.0, 96_000.0,
];
const QUICK_RATES: &[f64] = &[1_000.0, 4_000.0];

/// Paid-room keys minted for the join-cost figure; each invitee joins `JOIN_ROUNDS` times,
/// enough joins for /proc's 10 ms CPU ticks to resolve a cost of a few hundred µs.
const JOIN_KEYS: usize = 20;
const JOIN_ROUNDS: usize = 25;

#[derive(Default)]
struct RelayFigures {
    max_delivered: Vec<f64>,
    p50_ms: Vec<f64>,
    p99_ms: Vec<f64>,
    idle_kib: Vec<f64>,
    notes: Vec<String>,
}

#[derive(Clone, Copy, PartialEq)]
enum Relay {
    Gateway,
    Floor,
    Node,
}

impl Relay {
    const ALL: [Relay; 3] = [Relay::Gateway, Relay::Floor, Relay::Node];

    fn name(self) -> &'static str {
        match self {
            Relay::Gateway => "AnoGhost gateway",
            Relay::Floor => "tokio-tungstenite floor",
            Relay::Node => "Node ws relay",
        }
    }

    fn index(self) -> usize {
        self as usize
    }

    async fn start(self, options: &Options) -> std::io::Result<servers::Server> {
        match self {
            Relay::Gateway => servers::gateway(&options.gateway_bin, &[]).await,
            Relay::Floor => servers::floor(&options.floor_bin).await,
            Relay::Node => servers::node(&options.node_relay).await,
        }
    }
}

fn fanout_config(quick: bool) -> FanoutConfig {
    FanoutConfig {
        rooms: 100,
        members: 10,
        frame_bytes: 1024,
        sends_per_sec: 0.0,
        warmup: Duration::from_millis(if quick { 300 } else { 1_000 }),
        measure: Duration::from_millis(if quick { 700 } else { 3_000 }),
        drain: Duration::from_millis(if quick { 500 } else { 1_000 }),
    }
}

async fn measure_fanout(
    options: &Options,
    relay: Relay,
    figures: &mut RelayFigures,
) -> std::io::Result<()> {
    let base = fanout_config(options.quick);
    let rates = if options.quick { QUICK_RATES } else { RATES };
    let server = relay.start(options).await?;
    let (best, steps) = fanout::search(&server.target, &base, rates, |step| {
        eprintln!(
            "    {:>6.0} sends/s → {:>8.0} delivered/s, p99 {:>7.1} ms, {} dropped{}",
            step.sends_per_sec,
            step.delivered_per_sec,
            step.p99_us as f64 / 1000.0,
            step.disconnected,
            if step.sustained() {
                ""
            } else {
                "  (not sustained)"
            }
        );
    })
    .await?;
    drop(server);
    let Some(best) = best else {
        figures.notes.push(format!(
            "{}: not even the lowest rate was sustained",
            relay.name()
        ));
        return Ok(());
    };
    if steps.len() == rates.len() && steps.last().is_some_and(|s| s.sustained()) {
        figures.notes.push(format!(
            "{}: sustained the highest offered rate; its maximum is at least this",
            relay.name()
        ));
    }
    figures.max_delivered.push(best.delivered_per_sec);
    // Latency at half the maximum, on a fresh relay.
    let server = relay.start(options).await?;
    let half = FanoutConfig {
        sends_per_sec: best.sends_per_sec / 2.0,
        ..base
    };
    let at_half = fanout::run(&server.target, &half, 0).await?;
    eprintln!(
        "    at 50%: {:.0} sends/s, p50 {:.2} ms, p99 {:.2} ms",
        half.sends_per_sec,
        at_half.p50_us as f64 / 1000.0,
        at_half.p99_us as f64 / 1000.0
    );
    figures.p50_ms.push(at_half.p50_us as f64 / 1000.0);
    figures.p99_ms.push(at_half.p99_us as f64 / 1000.0);
    Ok(())
}

async fn measure_idle(
    options: &Options,
    relay: Relay,
    figures: &mut RelayFigures,
) -> std::io::Result<()> {
    let server = relay.start(options).await?;
    let result = idle::run(&server.target, server.pid(), options.idle_connections, 10).await;
    if let Some(reason) = &result.stopped_by {
        figures.notes.push(format!(
            "{}: idle run stopped at {} connections: {reason}",
            relay.name(),
            result.opened
        ));
    }
    eprintln!(
        "    {} idle connections: {:.1} KiB each ({} → {} KiB)",
        result.opened,
        result.kib_per_connection(),
        result.before_kib,
        result.after_kib
    );
    figures.idle_kib.push(result.kib_per_connection());
    Ok(())
}

struct CryptoFigure {
    name: &'static str,
    target_us: Option<f64>,
}

const CRYPTO: &[CryptoFigure] = &[
    CryptoFigure {
        name: "encrypt+sign 1 KiB message",
        target_us: Some(60.0),
    },
    CryptoFigure {
        name: "decrypt+verify 1 KiB message",
        target_us: Some(80.0),
    },
    CryptoFigure {
        name: "sender-key rotation, room of 10",
        target_us: None,
    },
    CryptoFigure {
        name: "ghostId issue",
        target_us: None,
    },
    CryptoFigure {
        name: "ghostId open",
        target_us: None,
    },
    CryptoFigure {
        name: "room binding",
        target_us: None,
    },
    CryptoFigure {
        name: "room binding verify",
        target_us: None,
    },
];

/// Criterion's median and its 95% interval for the benchmark titled `name`, in µs.
fn criterion_estimate(dir: &Path, name: &str) -> Option<(f64, f64, f64)> {
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        let new = entry.path().join("new");
        let Ok(meta) = std::fs::read_to_string(new.join("benchmark.json")) else {
            continue;
        };
        let meta: serde_json::Value = serde_json::from_str(&meta).ok()?;
        if meta["full_id"] != name {
            continue;
        }
        let estimates: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(new.join("estimates.json")).ok()?)
                .ok()?;
        let median = &estimates["median"];
        let us = |v: &serde_json::Value| v.as_f64().map(|ns| ns / 1000.0);
        return Some((
            us(&median["point_estimate"])?,
            us(&median["confidence_interval"]["lower_bound"])?,
            us(&median["confidence_interval"]["upper_bound"])?,
        ));
    }
    None
}

fn command_output(program: &str, args: &[&str]) -> String {
    std::process::Command::new(program)
        .args(args)
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default()
}

fn machine() -> String {
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .next()
                .map(|l| l.split_whitespace().nth(1).unwrap_or("?").to_owned())
        })
        .and_then(|kib| kib.parse::<f64>().ok())
        .map(|kib| format!("{:.1} GiB", kib / 1024.0 / 1024.0))
        .unwrap_or_default();
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines().find_map(|l| {
                l.strip_prefix("model name")
                    .map(|v| v.trim_start_matches([' ', '\t', ':']).to_owned())
            })
        })
        .unwrap_or_default();
    format!(
        "{} cores ({cpu}), {memory} memory, Linux {}",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(0),
        command_output("uname", &["-r"])
    )
}

fn show(samples: &[f64], decimals: usize) -> String {
    Spread::of(samples).map_or_else(|| "—".to_owned(), |s| s.show(decimals))
}

fn median(samples: &[f64]) -> Option<f64> {
    Spread::of(samples).map(|s| s.median)
}

fn verdict(ok: Option<bool>) -> &'static str {
    match ok {
        Some(true) => "met",
        Some(false) => "**missed**",
        None => "not measured",
    }
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let options = Options::parse();
    let mut relays: Vec<RelayFigures> =
        Relay::ALL.iter().map(|_| RelayFigures::default()).collect();
    let mut failures: Vec<String> = Vec::new();

    for run in 0..options.runs {
        for relay in Relay::ALL {
            eprintln!(
                "fan-out, run {}/{}: {}",
                run + 1,
                options.runs,
                relay.name()
            );
            if let Err(error) = measure_fanout(&options, relay, &mut relays[relay.index()]).await {
                failures.push(format!("fan-out {} run {}: {error}", relay.name(), run + 1));
            }
        }
    }
    for run in 0..options.runs {
        for relay in Relay::ALL {
            eprintln!(
                "idle memory, run {}/{}: {}",
                run + 1,
                options.runs,
                relay.name()
            );
            if let Err(error) = measure_idle(&options, relay, &mut relays[relay.index()]).await {
                failures.push(format!("idle {} run {}: {error}", relay.name(), run + 1));
            }
        }
    }

    eprintln!(
        "largest idle count (gateway, up to {})",
        options.largest_max
    );
    let largest = match Relay::Gateway.start(&options).await {
        Ok(server) => Some(idle::run(&server.target, server.pid(), options.largest_max, 10).await),
        Err(error) => {
            failures.push(format!("largest count: {error}"));
            None
        }
    };

    eprintln!(
        "churn (gateway): 1,000 cycles/s, 2 rounds of {} s",
        options.churn_secs
    );
    let churned = match Relay::Gateway.start(&options).await {
        Ok(server) => churn::run(&server.target, server.pid(), 1_000, options.churn_secs, 2).await,
        Err(error) => Err(error),
    };
    let churned = churned
        .map_err(|error| failures.push(format!("churn: {error}")))
        .ok();

    eprintln!("paid join cost");
    let rounds = if options.quick { 2 } else { JOIN_ROUNDS };
    let joins = join_cost::run(
        &options.gateway_bin,
        &options.localnet_bin,
        JOIN_KEYS,
        rounds,
    )
    .await;
    let joins = joins
        .map_err(|error| failures.push(format!("join cost: {error}")))
        .ok();

    let report = write_report(
        &options,
        &relays,
        largest.as_ref(),
        churned.as_ref(),
        joins.as_ref(),
        &failures,
    );
    if let Err(error) = std::fs::write(&options.out, report) {
        eprintln!(
            "anoghost-bench: cannot write {}: {error}",
            options.out.display()
        );
        return std::process::ExitCode::FAILURE;
    }
    eprintln!("wrote {}", options.out.display());
    if failures.is_empty() {
        std::process::ExitCode::SUCCESS
    } else {
        for failure in &failures {
            eprintln!("failed: {failure}");
        }
        std::process::ExitCode::FAILURE
    }
}

fn write_report(
    options: &Options,
    relays: &[RelayFigures],
    largest: Option<&idle::IdleResult>,
    churned: Option<&churn::ChurnResult>,
    joins: Option<&join_cost::JoinCost>,
    failures: &[String],
) -> String {
    let mut out = String::new();
    let line = |out: &mut String, text: String| {
        out.push_str(&text);
        out.push('\n');
    };
    line(&mut out, "# AnoGhost benchmark results".into());
    line(&mut out, String::new());
    line(
        &mut out,
        "Written by `scripts/bench.sh`; do not edit by hand.".into(),
    );
    line(&mut out, String::new());
    line(&mut out, "| | |".into());
    line(&mut out, "|---|---|".into());
    line(&mut out, format!("| machine | {} |", machine()));
    line(
        &mut out,
        format!(
            "| date | {} |",
            command_output("date", &["-u", "+%Y-%m-%d %H:%M UTC"])
        ),
    );
    line(
        &mut out,
        format!(
            "| commit | {} |",
            command_output("git", &["rev-parse", "--short", "HEAD"])
        ),
    );
    line(
        &mut out,
        format!(
            "| runs | {} per figure{}; figures are median (min–max) |",
            options.runs,
            if options.quick {
                " (QUICK smoke run: not a measurement)"
            } else {
                ""
            }
        ),
    );
    line(&mut out, String::new());

    let gateway = &relays[Relay::Gateway.index()];
    let floor = &relays[Relay::Floor.index()];
    let node = &relays[Relay::Node.index()];
    let ratio = |a: &[f64], b: &[f64]| Some(median(a)? / median(b)?);

    line(&mut out, "## Goals".into());
    line(&mut out, String::new());
    line(&mut out, "| figure | target | measured | |".into());
    line(&mut out, "|---|---|---|---|".into());
    let vs_floor = ratio(&gateway.max_delivered, &floor.max_delivered);
    let vs_node = ratio(&gateway.max_delivered, &node.max_delivered);
    line(
        &mut out,
        format!(
            "| relay fan-out vs floor | ≥ 0.8 × | {} | {} |",
            vs_floor.map_or("—".into(), |r| format!("{r:.2} ×")),
            verdict(vs_floor.map(|r| r >= 0.8))
        ),
    );
    line(
        &mut out,
        format!(
            "| relay fan-out vs Node ws | ≥ 2 × | {} | {} |",
            vs_node.map_or("—".into(), |r| format!("{r:.2} ×")),
            verdict(vs_node.map(|r| r >= 2.0))
        ),
    );
    let p99 = median(&gateway.p99_ms);
    line(
        &mut out,
        format!(
            "| p99 latency at 50% load | ≤ 5 ms | {} ms | {} |",
            show(&gateway.p99_ms, 2),
            verdict(p99.map(|p| p <= 5.0))
        ),
    );
    let idle = median(&gateway.idle_kib);
    line(
        &mut out,
        format!(
            "| idle memory per connection | ≤ 16 KiB | {} KiB | {} |",
            show(&gateway.idle_kib, 1),
            verdict(idle.map(|k| k <= 16.0))
        ),
    );
    for figure in CRYPTO.iter().filter(|f| f.target_us.is_some()) {
        let estimate = criterion_estimate(&options.criterion_dir, figure.name);
        let target = figure.target_us.unwrap_or_default();
        line(
            &mut out,
            format!(
                "| client {} | ≤ {target:.0} µs | {} | {} |",
                figure.name,
                estimate.map_or("—".into(), |(m, _, _)| format!("{m:.1} µs")),
                verdict(estimate.map(|(m, _, _)| m <= target))
            ),
        );
    }
    line(
        &mut out,
        format!(
            "| RPC requests per paid join | exactly 1 | {} | {} |",
            joins.map_or("—".into(), |j| format!("{:.2}", j.requests_per_join)),
            verdict(joins.map(|j| (j.requests_per_join - 1.0).abs() < f64::EPSILON))
        ),
    );
    line(&mut out, String::new());

    line(
        &mut out,
        "## 1. Relay fan-out: 100 rooms × 10 members, 1 KiB frames".into(),
    );
    line(&mut out, String::new());
    line(&mut out, "Open-loop load from one load-generator process on the same machine: the offered send rate steps up until a relay no longer takes 99% of the offered sends and delivers 99% of the fan-out with p99 ≤ 250 ms and no dropped connection. Latency is send to receive: each frame carries the moment its sender wrote it, and the recipient reads its clock on arrival; it is measured at half the relay's own maximum sustained rate.".into());
    line(&mut out, String::new());
    line(
        &mut out,
        "| relay | max sustained delivered msg/s | p50 at 50% (ms) | p99 at 50% (ms) |".into(),
    );
    line(&mut out, "|---|---|---|---|".into());
    for relay in Relay::ALL {
        let figures = &relays[relay.index()];
        line(
            &mut out,
            format!(
                "| {} | {} | {} | {} |",
                relay.name(),
                show(&figures.max_delivered, 0),
                show(&figures.p50_ms, 2),
                show(&figures.p99_ms, 2)
            ),
        );
    }
    line(&mut out, String::new());

    line(
        &mut out,
        format!(
            "## 2. Idle connection memory ({} connections, rooms of 10)",
            options.idle_connections
        ),
    );
    line(&mut out, String::new());
    line(&mut out, "RSS growth of the relay process divided by the connections, each having said hello and joined a free room; sources spread over 127.0.0.2–201.".into());
    line(&mut out, String::new());
    line(&mut out, "| relay | KiB per connection |".into());
    line(&mut out, "|---|---|".into());
    for relay in Relay::ALL {
        line(
            &mut out,
            format!(
                "| {} | {} |",
                relay.name(),
                show(&relays[relay.index()].idle_kib, 1)
            ),
        );
    }
    line(&mut out, String::new());
    if let Some(largest) = largest {
        line(&mut out, format!(
            "Largest count attempted on the gateway: **{} connections** open at once ({} asked), gateway RSS {:.0} MiB ({:.1} KiB each){}.",
            largest.opened,
            options.largest_max,
            largest.after_kib as f64 / 1024.0,
            largest.kib_per_connection(),
            largest.stopped_by.as_ref().map_or(String::new(), |r| format!("; stopped by: {r}"))
        ));
        if let Some((soft, hard)) = largest.open_files {
            line(&mut out, String::new());
            line(&mut out, format!(
                "The gateway's open-files limit was {soft} (hard limit {hard}); it holds one descriptor per connection and fits `--max-connections` below that limit, refusing the rest with HTTP 503. A hard limit is raised only by root (CAP_SYS_RESOURCE), so on a machine where it is low the largest count measures the limit, not memory."
            ));
        }
        line(&mut out, String::new());
    }

    line(
        &mut out,
        "## 3. Client and gateway crypto (criterion, median with 95% interval)".into(),
    );
    line(&mut out, String::new());
    line(&mut out, "| operation | µs |".into());
    line(&mut out, "|---|---|".into());
    for figure in CRYPTO {
        let text = criterion_estimate(&options.criterion_dir, figure.name)
            .map_or("—".into(), |(m, lo, hi)| {
                format!("{m:.2} ({lo:.2}–{hi:.2})")
            });
        line(&mut out, format!("| {} | {text} |", figure.name));
    }
    line(&mut out, String::new());

    line(&mut out, "## 4. Paid join validation".into());
    line(&mut out, String::new());
    match joins {
        Some(joins) => {
            line(&mut out, format!(
                "{} paid joins against the localnet over HTTP ({} keys, each joining and leaving {} times; leaving is not timed): **{:.2} JSON-RPC requests per join** ({}), **{:.0} µs of gateway CPU per join** (user + system, from /proc).",
                joins.joins, JOIN_KEYS, joins.joins / JOIN_KEYS, joins.requests_per_join, joins.methods, joins.cpu_us_per_join
            ));
        }
        None => line(&mut out, "not measured (see failures)".into()),
    }
    line(&mut out, String::new());

    line(
        &mut out,
        "## 5. Churn: connect → join → send → leave at 1,000 cycles/s".into(),
    );
    line(&mut out, String::new());
    match churned {
        Some(churned) => {
            let rounds: Vec<String> = churned
                .after_rounds_kib
                .iter()
                .map(|k| format!("{k} KiB"))
                .collect();
            line(&mut out, format!(
                "{} cycles completed ({:.0}/s), {} failed or shed. Gateway RSS before {} KiB, peak {} KiB, after each {}-second round: {}.",
                churned.cycles, churned.cycles_per_sec, churned.failures, churned.before_kib, churned.peak_kib, options.churn_secs, rounds.join(", ")
            ));
        }
        None => line(&mut out, "not measured (see failures)".into()),
    }
    line(&mut out, String::new());

    let notes: Vec<&String> = relays.iter().flat_map(|r| r.notes.iter()).collect();
    if !notes.is_empty() || !failures.is_empty() {
        line(&mut out, "## Notes".into());
        line(&mut out, String::new());
        for note in notes {
            line(&mut out, format!("- {note}"));
        }
        for failure in failures {
            line(&mut out, format!("- failed: {failure}"));
        }
        line(&mut out, String::new());
    }
    out
}
