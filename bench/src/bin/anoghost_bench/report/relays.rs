//! The relays' sections of the report: fan-out and latency (§1), idle memory (§2).

use std::fmt::Write as _;

use super::{median, show, show_percent};
use crate::relays::{Relay, REFERENCE_RATE};
use crate::{Measured, Options};

pub(super) fn fanout(out: &mut String, measured: &Measured) {
    line!(
        out,
        "## 1. Relay fan-out: 100 rooms × 10 members, 1 KiB frames"
    );
    line!(out);
    line!(out, "Open-loop load from one load-generator process on the same 2-core machine: the offered send rate steps up until a relay no longer takes 99% of the offered sends and delivers 99% of the fan-out with p99 ≤ 250 ms and no dropped connection. Latency is send to receive: each frame carries the moment its sender wrote it, and the recipient reads its clock on arrival; it is measured at half the relay's own maximum sustained rate, on a fresh process. CPU per delivery is the relay process's user + system time over the 3-second window (from /proc), divided by the deliveries in it.");
    line!(out);
    line!(out, "The relays speak the same protocol subset and frame layout (protocol v2 binary frames, 1 KiB, stamped with the sender):");
    line!(out);
    line!(out, "- **raw-TCP relay (box limit)**: `relay-raw`, the same frames as 4-byte length-prefixed records over plain TCP, no WebSocket layer, no checks; one task per socket on Tokio, one shared buffer per fan-out, bounded queues, and writes gathered after one yield as the gateway's are. Its clients are cheaper too (no masking, no WebSocket parsing), which leaves it more of the two cores: it is the most this box can relay with this framing, not an equal-effort peer.");
    line!(out, "- **naive tokio-tungstenite relay**: `relay-floor`, tungstenite's defaults (a 128 KiB read buffer per socket), a split socket with a writer task and an unbounded channel per connection, one flush per frame: how a first WebSocket relay in Rust is usually written.");
    line!(out, "- **Node ws relay**: `bench/node/relay.mjs` on the `ws` package, written the way most chat prototypes are.");
    line!(out);
    line!(out, "| relay | max sustained delivered msg/s | × gateway | CPU µs/delivery at max | p50 at 50% (ms) | p99 at 50% (ms) | CPU µs/delivery at 50% | machine busy at 50% |");
    line!(out, "|---|---|---|---|---|---|---|---|");
    let gateway = median(&measured.relays[Relay::Gateway.index()].max_delivered);
    for relay in Relay::ALL {
        let figures = &measured.relays[relay.index()];
        let share = gateway
            .zip(median(&figures.max_delivered))
            .map_or("—".into(), |(g, r)| format!("{:.2}", g / r));
        line!(
            out,
            "| {} | {} | {share} | {} | {} | {} | {} | {} |",
            relay.name(),
            show(&figures.max_delivered, 0),
            show(&figures.cpu_us_at_max, 2),
            show(&figures.p50_ms, 2),
            show(&figures.p99_ms, 2),
            show(&figures.cpu_us_at_half, 2),
            show_percent(&figures.busy_at_half),
        );
    }
    line!(out);
    line!(out, "Machine busy is the relay's and the load generator's CPU time over the window, together, as a share of the machine's cores. The load generator shares those cores, so a relay at half its maximum does not leave the machine half idle; the nearer it is to full, the longer a woken thread waits for a core behind the other process's, and that wait adds to the tail whatever the relay.");
    line!(out);
    let gateway = &measured.relays[Relay::Gateway.index()];
    let raw = &measured.relays[Relay::Raw.index()];
    let at_half = &raw.at_gateway_half;
    if !at_half.p99_ms.is_empty() {
        line!(
            out,
            "At the gateway's own 50% rate ({} sends/s), the raw-TCP relay's latency is p50 {} ms, p99 {} ms, machine {} busy (fresh process, same load generator): the part of the gateway's p50 {} / p99 {} ms that the load generator, the kernel's loopback and the scheduler of these 2 shared cores add whatever the relay.",
            show(&gateway.half_rate, 0),
            show(&at_half.p50_ms, 2),
            show(&at_half.p99_ms, 2),
            show_percent(&at_half.busy),
            show(&gateway.p50_ms, 2),
            show(&gateway.p99_ms, 2),
        );
        line!(out);
    }
    if !gateway.at_reference.p99_ms.is_empty() {
        let rate = median(&gateway.at_reference.rate).unwrap_or_default();
        let why = if rate == REFERENCE_RATE {
            "half the gateway's maximum when the p99 goal was set (432,000 deliveries/s then). Half load moves with the maximum; this load does not"
        } else {
            "a quick run's stand-in for the reference rate"
        };
        line!(out, "At one fixed rate, {rate:.0} sends/s: {why}.");
        line!(out);
        line!(out, "| relay | p50 (ms) | p99 (ms) | machine busy |");
        line!(out, "|---|---|---|---|");
        for relay in [Relay::Gateway, Relay::Raw] {
            let figures = &measured.relays[relay.index()].at_reference;
            line!(
                out,
                "| {} | {} | {} | {} |",
                relay.name(),
                show(&figures.p50_ms, 2),
                show(&figures.p99_ms, 2),
                show_percent(&figures.busy),
            );
        }
        line!(out);
    }
}

pub(super) fn idle(out: &mut String, options: &Options, measured: &Measured) {
    line!(
        out,
        "## 2. Idle connection memory ({} connections, rooms of 10)",
        options.idle_connections
    );
    line!(out);
    line!(out, "RSS growth of the relay process divided by the connections, each having said hello and joined a free room; sources spread over 127.0.0.2–201. Kernel socket buffers are not in RSS. Where the gateway's bytes go: `bench/PROFILE.md`.");
    line!(out);
    line!(out, "| relay | KiB per connection |");
    line!(out, "|---|---|");
    for relay in Relay::ALL {
        let kib = show(&measured.relays[relay.index()].idle_kib, 2);
        line!(out, "| {} | {kib} |", relay.name());
    }
    line!(out);
    let Some(largest) = &measured.largest else {
        return;
    };
    let stopped = largest
        .stopped_by
        .as_ref()
        .map_or(String::new(), |r| format!("; stopped by: {r}"));
    line!(
        out,
        "Largest count attempted on the gateway: **{} connections** open at once ({} asked), gateway RSS {:.0} MiB ({:.2} KiB each){stopped}.",
        largest.opened,
        options.largest_max,
        largest.after_kib as f64 / 1024.0,
        largest.kib_per_connection(),
    );
    if let Some((soft, hard)) = largest.open_files {
        line!(out);
        line!(out, "The gateway's open-files limit was {soft} (hard limit {hard}); it holds one descriptor per connection and fits `--max-connections` below that limit, refusing the rest with HTTP 503. A hard limit is raised only by root (CAP_SYS_RESOURCE), so on a machine where it is low the largest count measures the limit, not memory.");
    }
    line!(out);
}
