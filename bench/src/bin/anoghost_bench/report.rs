//! `bench/RESULTS.md`: the goals first, then every figure with its method.

use std::fmt::Write as _;

use anoghost_bench::stats::Spread;

use crate::criterion::{self, CRYPTO};
use crate::relays::Relay;
use crate::{Measured, Options, JOIN_KEYS};

/// Goals of the scale issue (per box) and of the design brief.
const IDLE_KIB_GOAL: f64 = 4.0;
const RAW_RATIO_GOAL: f64 = 0.7;
const NODE_RATIO_GOAL: f64 = 2.0;
const P99_MS_GOAL: f64 = 2.0;

/// The report, as Markdown.
pub fn write(options: &Options, measured: &Measured) -> String {
    let mut out = String::new();
    header(&mut out, options, measured);
    goals(&mut out, options, measured);
    relays::fanout(&mut out, measured);
    relays::idle(&mut out, options, measured);
    crypto(&mut out, options);
    joins(&mut out, measured);
    churn(&mut out, options, measured);
    crate::cluster::report(&mut out, measured);
    if let Some(files) = &measured.files {
        out.push_str(files);
    }
    notes(&mut out, measured);
    out
}

/// Appends one line.
macro_rules! line {
    ($out:expr) => { $out.push('\n') };
    ($out:expr, $($arg:tt)*) => {{
        let _ = write!($out, $($arg)*);
        $out.push('\n');
    }};
}

// After the macro, which the sections use.
mod relays;

/// The 1-, 5- and 15-minute load averages.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" / "))
        .unwrap_or_default()
}

fn header(out: &mut String, options: &Options, measured: &Measured) {
    line!(out, "# AnoGhost benchmark results");
    line!(out);
    line!(out, "Written by `scripts/bench.sh`; do not edit by hand.");
    line!(out);
    line!(out, "| | |");
    line!(out, "|---|---|");
    line!(out, "| machine | {} |", machine());
    let date = command_output("date", &["-u", "+%Y-%m-%d %H:%M UTC"]);
    line!(out, "| date | {date} |");
    let commit = command_output("git", &["rev-parse", "--short", "HEAD"]);
    line!(out, "| commit | {commit} |");
    line!(
        out,
        "| load average (1 / 5 / 15 min) | {} at the start, {} at the end: anything above 0 is other processes sharing the 2 cores |",
        measured.load_at_start,
        load_average()
    );
    let quick = if options.quick {
        " (QUICK smoke run: not a measurement)"
    } else {
        ""
    };
    line!(
        out,
        "| runs | {} per figure{quick}; figures are median (min–max) |",
        options.runs
    );
    line!(out);
}

fn goals(out: &mut String, options: &Options, measured: &Measured) {
    let relays = &measured.relays;
    let gateway = &relays[Relay::Gateway.index()];
    let ratio = |other: Relay| {
        Some(median(&gateway.max_delivered)? / median(&relays[other.index()].max_delivered)?)
    };
    let times = |r: Option<f64>| r.map_or("—".into(), |r| format!("{r:.2} ×"));
    line!(out, "## Goals");
    line!(out);
    line!(out, "| figure | target | measured | |");
    line!(out, "|---|---|---|---|");
    let idle = median(&gateway.idle_kib);
    line!(
        out,
        "| idle memory per connection ({} connections) | ≤ {IDLE_KIB_GOAL:.0} KiB | {} KiB | {} |",
        options.idle_connections,
        show(&gateway.idle_kib, 2),
        verdict(idle.map(|k| k <= IDLE_KIB_GOAL))
    );
    let vs_raw = ratio(Relay::Raw);
    line!(
        out,
        "| relay fan-out vs the raw-TCP relay (box limit) | ≥ {RAW_RATIO_GOAL} × | {} | {} |",
        times(vs_raw),
        verdict(vs_raw.map(|r| r >= RAW_RATIO_GOAL))
    );
    let p99 = median(&gateway.p99_ms);
    line!(
        out,
        "| p99 latency at 50% load | ≤ {P99_MS_GOAL:.0} ms | {} ms | {} |",
        show(&gateway.p99_ms, 2),
        verdict(p99.map(|p| p <= P99_MS_GOAL))
    );
    let reference = &gateway.at_reference;
    if !reference.p99_ms.is_empty() {
        let rate = median(&reference.rate).unwrap_or_default();
        let why = if rate == crate::relays::REFERENCE_RATE {
            ", half load when this goal was set"
        } else {
            ""
        };
        line!(
            out,
            "| p99 latency at {rate:.0} sends/s{why} | ≤ {P99_MS_GOAL:.0} ms | {} ms | for comparison (§1) |",
            show(&reference.p99_ms, 2),
        );
    }
    let vs_node = ratio(Relay::Node);
    line!(
        out,
        "| relay fan-out vs Node ws (comparison) | ≥ {NODE_RATIO_GOAL:.0} × | {} | {} |",
        times(vs_node),
        verdict(vs_node.map(|r| r >= NODE_RATIO_GOAL))
    );
    for figure in CRYPTO {
        let Some(target) = figure.target_us else {
            continue;
        };
        let estimate = criterion::estimate(&options.criterion_dir, figure.id).map(|e| e.0);
        line!(
            out,
            "| client {} | ≤ {} | {} | {} |",
            figure.label,
            criterion::show(target),
            estimate.map_or("—".into(), criterion::show),
            verdict(estimate.map(|m| m <= target))
        );
    }
    // The join's own reads; the settlement sweep's `getProgramAccounts`, which runs on its
    // own clock during the measurement, is listed in §4 but is no join's cost.
    let per_join = measured
        .joins
        .as_ref()
        .map(|j| j.methods["getMultipleAccounts"].as_f64().unwrap_or(0.0) / j.joins.max(1) as f64);
    line!(
        out,
        "| RPC requests per paid join (its `getMultipleAccounts`) | exactly 1 | {} | {} |",
        per_join.map_or("—".into(), |n| format!("{n:.2}")),
        verdict(per_join.map(|n| (n - 1.0).abs() < f64::EPSILON))
    );
    line!(out);
}

fn crypto(out: &mut String, options: &Options) {
    line!(
        out,
        "## 3. Client (MLS) and gateway crypto (criterion, median with 95% interval)"
    );
    line!(out);
    line!(out, "`client-sdk/benches/mls.rs` (OpenMLS, ciphersuite MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519; a join or removal times one side's CPU) and `gateway/benches/sealing.rs`.");
    line!(out);
    line!(out, "| operation | median (95% interval) |");
    line!(out, "|---|---|");
    for figure in CRYPTO {
        let text = criterion::estimate(&options.criterion_dir, figure.id).map_or(
            "—".into(),
            |(m, lo, hi)| {
                format!(
                    "{} ({}–{})",
                    criterion::show(m),
                    criterion::show(lo),
                    criterion::show(hi)
                )
            },
        );
        line!(out, "| {} | {text} |", figure.label);
    }
    line!(out);
    let sizes = criterion::mls_sizes(&options.criterion_dir);
    if !sizes.is_empty() {
        line!(
            out,
            "Add commit (without update path) and Welcome sizes: {}.",
            sizes.join("; ")
        );
        line!(out);
    }
    if let Some((us, share)) = criterion::churn_per_member(&options.criterion_dir) {
        line!(out, "A room of 200 where 10% of the members change each minute (20 joins and 20 removals a minute, each processed by every member): {} of CPU per member per minute, {:.4}% of one core.", criterion::show(us), share * 100.0);
        line!(out);
    }
}

fn joins(out: &mut String, measured: &Measured) {
    line!(out, "## 4. Paid join validation");
    line!(out);
    match &measured.joins {
        Some(joins) => line!(
            out,
            "{} paid joins against the localnet over HTTP ({} keys, each joining and leaving {} times; leaving is not timed): **{:.2} JSON-RPC requests per join** ({}), **{:.0} µs of gateway CPU per join** (user + system, from /proc).",
            joins.joins,
            JOIN_KEYS,
            joins.joins / JOIN_KEYS,
            joins.requests_per_join,
            joins.methods,
            joins.cpu_us_per_join
        ),
        None => line!(out, "not measured (see the notes)"),
    }
    line!(out);
}

fn churn(out: &mut String, options: &Options, measured: &Measured) {
    line!(
        out,
        "## 5. Churn: connect → join → send → leave at 1,000 cycles/s"
    );
    line!(out);
    match &measured.churned {
        Some(churned) => {
            let rounds: Vec<String> = churned
                .after_rounds_kib
                .iter()
                .map(|k| format!("{k} KiB"))
                .collect();
            line!(
                out,
                "{} cycles completed ({:.0}/s), {} failed or shed. Gateway RSS before {} KiB, peak {} KiB, after each {}-second round: {}.",
                churned.cycles,
                churned.cycles_per_sec,
                churned.failures,
                churned.before_kib,
                churned.peak_kib,
                options.churn_secs,
                rounds.join(", ")
            );
        }
        None => line!(out, "not measured (see the notes)"),
    }
    line!(out);
}

fn notes(out: &mut String, measured: &Measured) {
    let relay_notes = measured
        .relays
        .iter()
        .flat_map(|r| r.notes.iter())
        .chain(&measured.cluster.notes);
    let skipped = measured.skipped.iter().map(|s| format!("skipped: {s}"));
    let failed = measured.failures.iter().map(|f| format!("failed: {f}"));
    let all: Vec<String> = relay_notes.cloned().chain(skipped).chain(failed).collect();
    if all.is_empty() {
        return;
    }
    line!(out, "## Notes");
    line!(out);
    for note in all {
        line!(out, "- {note}");
    }
    line!(out);
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
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let kernel = command_output("uname", &["-r"]);
    format!("{cores} cores ({cpu}), {memory} memory, Linux {kernel}")
}

pub fn show(samples: &[f64], decimals: usize) -> String {
    Spread::of(samples).map_or_else(|| "—".to_owned(), |s| s.show(decimals))
}

/// Shares (0 to 1) as a percentage, median (min–max).
pub fn show_percent(shares: &[f64]) -> String {
    let percent: Vec<f64> = shares.iter().map(|share| share * 100.0).collect();
    Spread::of(&percent).map_or_else(|| "—".to_owned(), |s| format!("{} %", s.show(0)))
}

pub fn median(samples: &[f64]) -> Option<f64> {
    Spread::of(samples).map(|s| s.median)
}

fn verdict(ok: Option<bool>) -> &'static str {
    match ok {
        Some(true) => "met",
        Some(false) => "**missed**",
        None => "not measured",
    }
}
