//! The client (MLS) and gateway crypto figures, read from criterion's output.

use std::path::Path;

/// One criterion benchmark in the report.
pub struct CryptoFigure {
    /// Criterion's full id: the benchmark's title, or `group/function`.
    pub id: &'static str,
    /// What the report calls it.
    pub label: &'static str,
    /// The goal, µs, if the figure has one.
    pub target_us: Option<f64>,
}

const fn figure(id: &'static str, label: &'static str, target_us: Option<f64>) -> CryptoFigure {
    CryptoFigure {
        id,
        label,
        target_us,
    }
}

/// The crypto figures, from `client-sdk/benches/mls.rs` and `gateway/benches/sealing.rs`.
pub const CRYPTO: &[CryptoFigure] = &[
    figure(
        "mls encrypt 1 KiB",
        "MLS encrypt 1 KiB application message",
        Some(60.0),
    ),
    figure(
        "mls decrypt 1 KiB",
        "MLS decrypt 1 KiB application message",
        Some(80.0),
    ),
    figure(
        "join into 200/committer",
        "join into a room of 200: the committing member",
        Some(JOIN_TARGET_US),
    ),
    figure(
        "join into 200/joiner",
        "join into a room of 200: the joiner (Welcome)",
        Some(JOIN_TARGET_US),
    ),
    figure(
        "join into 200/member",
        "join into a room of 200: every other member (commit)",
        Some(JOIN_TARGET_US),
    ),
    figure(
        "removal in 200/member",
        "removal in a room of 200: every other member (commit)",
        None,
    ),
    figure("ghostId issue", "gateway: ghostId issue", None),
    figure("ghostId open", "gateway: ghostId open", None),
    figure("room binding", "gateway: room binding", None),
    figure("room binding verify", "gateway: room binding verify", None),
];

/// The client CPU a join into a room of 200 may cost each side, µs.
const JOIN_TARGET_US: f64 = 20_000.0;

/// Criterion's median and its 95% interval for the benchmark `id`, in µs.
pub fn estimate(dir: &Path, id: &str) -> Option<(f64, f64, f64)> {
    // Criterion keeps a group's functions one directory further down.
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let new = path.join("new");
            let Ok(meta) = std::fs::read_to_string(new.join("benchmark.json")) else {
                if path.is_dir() && path.file_name().is_some_and(|n| n != "report") {
                    pending.push(path);
                }
                continue;
            };
            let meta: serde_json::Value = serde_json::from_str(&meta).ok()?;
            if meta["full_id"] != id {
                continue;
            }
            let estimates = std::fs::read_to_string(new.join("estimates.json")).ok()?;
            let estimates: serde_json::Value = serde_json::from_str(&estimates).ok()?;
            let median = &estimates["median"];
            let us = |v: &serde_json::Value| v.as_f64().map(|ns| ns / 1000.0);
            return Some((
                us(&median["point_estimate"])?,
                us(&median["confidence_interval"]["lower_bound"])?,
                us(&median["confidence_interval"]["upper_bound"])?,
            ));
        }
    }
    None
}

/// The value in the report: µs below a millisecond, ms above.
pub fn show(us: f64) -> String {
    if us >= 1_000.0 {
        format!("{:.2} ms", us / 1000.0)
    } else {
        format!("{us:.1} µs")
    }
}

/// Lines `client-sdk/benches/mls.rs` prints with the commit and Welcome sizes, saved by
/// `scripts/bench.sh` beside criterion's output.
pub fn mls_sizes(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join("mls-sizes.txt"))
        .unwrap_or_default()
        .lines()
        .filter_map(|line| line.trim().strip_prefix("mls sizes: "))
        .map(str::to_owned)
        .collect()
}

/// A room of 200 where 10% of the members change each minute: 20 joins and 20 removals a
/// minute, each processed by every member. Returns one member's CPU per minute, µs, and
/// that as a share of one core.
pub fn churn_per_member(dir: &Path) -> Option<(f64, f64)> {
    const CHANGES_PER_MINUTE: f64 = 20.0;
    let (join, _, _) = estimate(dir, "join into 200/member")?;
    let (removal, _, _) = estimate(dir, "removal in 200/member")?;
    let per_minute = CHANGES_PER_MINUTE * (join + removal);
    Some((per_minute, per_minute / 60e6))
}
