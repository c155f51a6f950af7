//! The relays measured side by side, and the fan-out and idle-memory measurements of each.

use std::time::Duration;

use anoghost_bench::fanout::{self, FanoutConfig, FanoutResult};
use anoghost_bench::{idle, servers};

use crate::Options;

/// Offered sends per second, stepped up until a relay stops keeping up (×9 deliveries).
pub const RATES: &[f64] = &[
    1_000.0, 2_000.0, 4_000.0, 8_000.0, 12_000.0, 16_000.0, 20_000.0, 24_000.0, 28_000.0, 32_000.0,
    36_000.0, 40_000.0, 44_000.0, 48_000.0, 52_000.0, 56_000.0, 60_000.0, 64_000.0, 72_000.0,
    80_000.0, 88_000.0, 96_000.0, 112_000.0, 128_000.0,
];
pub const QUICK_RATES: &[f64] = &[1_000.0, 4_000.0];

/// A fixed rate every run measures the gateway and the raw relay at, whatever their
/// maxima: half the gateway's maximum when the p99 goal was set (432,000 deliveries/s then).
/// Half load moves with the maximum; this rate does not, so it shows whether latency at one
/// load got better or worse.
pub const REFERENCE_RATE: f64 = 24_000.0;
pub const QUICK_REFERENCE_RATE: f64 = 4_000.0;

/// What was measured of one relay over the runs.
#[derive(Default)]
pub struct RelayFigures {
    /// Maximum sustained deliveries per second, one per run.
    pub max_delivered: Vec<f64>,
    /// Relay CPU per delivery at the maximum sustained rate, µs.
    pub cpu_us_at_max: Vec<f64>,
    /// Median latency at half the maximum, ms.
    pub p50_ms: Vec<f64>,
    /// 99th percentile latency at half the maximum, ms.
    pub p99_ms: Vec<f64>,
    /// Relay CPU per delivery at half the maximum, µs.
    pub cpu_us_at_half: Vec<f64>,
    /// Share of the machine's cores busy at half the maximum, relay and load generator.
    pub busy_at_half: Vec<f64>,
    /// Idle memory per connection, KiB.
    pub idle_kib: Vec<f64>,
    /// Offered sends per second at half the maximum.
    pub half_rate: Vec<f64>,
    /// Latency at the gateway's half rate (for relays other than the gateway).
    pub at_gateway_half: LatencyAt,
    /// Latency at [`REFERENCE_RATE`].
    pub at_reference: LatencyAt,
    /// Anything worth saying beside the figures.
    pub notes: Vec<String>,
}

/// Latency measured at a rate set from outside the relay's own maximum, one entry per run.
#[derive(Default)]
pub struct LatencyAt {
    /// The rate, sends per second.
    pub rate: Vec<f64>,
    /// Median latency, ms.
    pub p50_ms: Vec<f64>,
    /// 99th percentile latency, ms.
    pub p99_ms: Vec<f64>,
    /// Share of the machine's cores busy, relay and load generator.
    pub busy: Vec<f64>,
}

/// A relay under test.
#[derive(Clone, Copy, PartialEq)]
pub enum Relay {
    /// The AnoGhost gateway.
    Gateway,
    /// The gateway's framing over plain TCP: the box's limit.
    Raw,
    /// A naive tokio-tungstenite relay.
    Tungstenite,
    /// A Node `ws` relay.
    Node,
}

impl Relay {
    /// Every relay, in the report's order.
    pub const ALL: [Relay; 4] = [Relay::Gateway, Relay::Raw, Relay::Tungstenite, Relay::Node];

    /// The relay's name in the report.
    pub fn name(self) -> &'static str {
        match self {
            Relay::Gateway => "AnoGhost gateway",
            Relay::Raw => "raw-TCP relay (box limit)",
            Relay::Tungstenite => "naive tokio-tungstenite relay",
            Relay::Node => "Node ws relay",
        }
    }

    /// Its place in [`Self::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// Starts a fresh process of this relay.
    pub async fn start(self, options: &Options) -> std::io::Result<servers::Server> {
        match self {
            Relay::Gateway => servers::gateway(&options.gateway_bin, &[]).await,
            Relay::Raw => servers::raw(&options.raw_bin).await,
            Relay::Tungstenite => servers::floor(&options.floor_bin).await,
            Relay::Node => servers::node(&options.node_relay).await,
        }
    }
}

pub fn fanout_config(quick: bool, relay_pid: u32) -> FanoutConfig {
    FanoutConfig {
        rooms: 100,
        members: 10,
        frame_bytes: 1024,
        sends_per_sec: 0.0,
        warmup: Duration::from_millis(if quick { 300 } else { 1_000 }),
        measure: Duration::from_millis(if quick { 700 } else { 3_000 }),
        drain: Duration::from_millis(if quick { 500 } else { 1_000 }),
        relay_pids: vec![relay_pid],
    }
}

pub fn print_step(step: &FanoutResult) {
    eprintln!(
        "    {:>6.0} sends/s → {:>8.0} delivered/s, p50 {:>5.2} ms, p99 {:>7.2} ms, {} µs CPU/delivery, machine {} busy, {} dropped{}",
        step.sends_per_sec,
        step.delivered_per_sec,
        step.p50_us as f64 / 1000.0,
        step.p99_us as f64 / 1000.0,
        step.cpu_us_per_delivery()
            .map_or("?".into(), |us| format!("{us:.2}")),
        step.machine_busy
            .map_or("?".into(), |busy| format!("{:.0}%", busy * 100.0)),
        step.disconnected,
        if step.sustained() {
            ""
        } else {
            "  (not sustained)"
        }
    );
}

/// Finds `relay`'s maximum sustained rate, then measures latency at half of it on a fresh
/// process.
pub async fn measure_fanout(
    options: &Options,
    relay: Relay,
    figures: &mut RelayFigures,
) -> std::io::Result<()> {
    let rates = if options.quick { QUICK_RATES } else { RATES };
    let server = relay.start(options).await?;
    let base = fanout_config(options.quick, server.pid());
    let (best, steps) = fanout::search(
        std::slice::from_ref(&server.target),
        &base,
        rates,
        print_step,
    )
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
    figures.cpu_us_at_max.extend(best.cpu_us_per_delivery());
    // Latency at half the maximum, on a fresh relay.
    let server = relay.start(options).await?;
    let half = FanoutConfig {
        sends_per_sec: best.sends_per_sec / 2.0,
        ..fanout_config(options.quick, server.pid())
    };
    let at_half = fanout::run(std::slice::from_ref(&server.target), &half, 0).await?;
    eprint!("    at 50%: ");
    print_step(&at_half);
    figures.half_rate.push(half.sends_per_sec);
    figures.p50_ms.push(at_half.p50_us as f64 / 1000.0);
    figures.p99_ms.push(at_half.p99_us as f64 / 1000.0);
    figures.cpu_us_at_half.extend(at_half.cpu_us_per_delivery());
    figures.busy_at_half.extend(at_half.machine_busy);
    Ok(())
}

/// Latency of `relay` at `sends_per_sec`, a rate not derived from its own maximum, on a
/// fresh process (`label` names the rate in the progress output).
pub async fn measure_latency_at(
    options: &Options,
    relay: Relay,
    sends_per_sec: f64,
    label: &str,
    into: &mut LatencyAt,
) -> std::io::Result<()> {
    let server = relay.start(options).await?;
    let config = FanoutConfig {
        sends_per_sec,
        ..fanout_config(options.quick, server.pid())
    };
    let result = fanout::run(std::slice::from_ref(&server.target), &config, 0).await?;
    eprint!("    {} at {label}: ", relay.name());
    print_step(&result);
    into.rate.push(sends_per_sec);
    into.p50_ms.push(result.p50_us as f64 / 1000.0);
    into.p99_ms.push(result.p99_us as f64 / 1000.0);
    into.busy.extend(result.machine_busy);
    Ok(())
}

/// Opens the idle connections on a fresh process of `relay` and records its RSS growth.
pub async fn measure_idle(
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
        "    {} idle connections: {:.2} KiB each ({} → {} KiB)",
        result.opened,
        result.kib_per_connection(),
        result.before_kib,
        result.after_kib
    );
    figures.idle_kib.push(result.kib_per_connection());
    Ok(())
}
