//! Relay fan-out: rooms × members connections, every member sending fixed-size frames at
//! an offered rate; every frame carries its send time, so each recipient measures
//! send-to-receive latency. Open loop: senders keep their schedule whatever the relay does.

use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use tokio::sync::watch;
use tokio::time::MissedTickBehavior;

use crate::client::{
    fill_rooms, relay_frame, Conn, Incoming, Member, Target, DELIVERED_HEADER_LEN, SENT_OVERHEAD,
};
use crate::proc::cpu_secs;

/// One fan-out run's shape.
#[derive(Debug, Clone)]
pub struct FanoutConfig {
    /// Rooms.
    pub rooms: usize,
    /// Members per room.
    pub members: usize,
    /// Bytes per client-to-relay frame, header included.
    pub frame_bytes: usize,
    /// Frames sent per second, over all members.
    pub sends_per_sec: f64,
    /// Sending before the measured window.
    pub warmup: Duration,
    /// The measured window.
    pub measure: Duration,
    /// Time allowed after the window for frames still in flight.
    pub drain: Duration,
    /// The relay's processes (several gateways and NATS in a cluster), whose CPU time
    /// over the window is read from `/proc` and summed.
    pub relay_pids: Vec<u32>,
}

/// What one run measured.
#[derive(Debug, Clone)]
pub struct FanoutResult {
    /// Frames per second offered.
    pub sends_per_sec: f64,
    /// Frames the offered rate asks for inside the window.
    pub offered: u64,
    /// Frames sent inside the window.
    pub sent: u64,
    /// Deliveries those frames should cause (each reaches every other member).
    pub expected: u64,
    /// Deliveries of those frames that arrived.
    pub received: u64,
    /// Deliveries per second over the window.
    pub delivered_per_sec: f64,
    /// Median send-to-receive latency, µs.
    pub p50_us: u64,
    /// 99th percentile send-to-receive latency, µs.
    pub p99_us: u64,
    /// Connections the relay closed during the run.
    pub disconnected: usize,
    /// The relay processes' CPU time (user + system) over the window, seconds, process by
    /// process in the order of `FanoutConfig::relay_pids` (empty when none was watched).
    pub cpu_secs_by_process: Vec<f64>,
    /// The share of the machine's cores that the relay processes and this load generator
    /// kept busy over the window, together (0 to 1; None when no relay was watched). On a
    /// machine they share, a relay's tail latency follows this rather than its own load.
    pub machine_busy: Option<f64>,
    /// Median and 99th percentile latency of deliveries whose sender was on the
    /// recipient's own relay, µs (None when there were none).
    pub same_relay_us: Option<(u64, u64)>,
    /// The same for deliveries from a member on another relay (a cluster's cross-gateway
    /// path).
    pub cross_relay_us: Option<(u64, u64)>,
}

impl FanoutResult {
    /// Sustained: the offered rate was sent, nothing was lost, nobody was dropped, and
    /// latency stayed bounded (no growing backlog).
    pub fn sustained(&self) -> bool {
        self.disconnected == 0
            && self.sent as f64 >= 0.99 * self.offered as f64
            && self.received as f64 >= 0.99 * self.expected as f64
            && self.p99_us <= 250_000
    }

    /// The relay's CPU time per delivery over the window, µs (all of its threads).
    pub fn cpu_us_per_delivery(&self) -> Option<f64> {
        if self.cpu_secs_by_process.is_empty() {
            return None;
        }
        let total: f64 = self.cpu_secs_by_process.iter().sum();
        Some(total * 1e6 / self.received.max(1) as f64)
    }
}

/// Timestamp size at the front of each payload.
const STAMP_LEN: usize = 8;
/// After the stamp: the index of the relay the sender is connected to.
const ORIGIN_LEN: usize = 1;

/// Latencies a member holds before folding them into its histogram. Recording each one
/// straight into a thousand separate histograms missed the cache on nearly every frame and
/// cost the load generator more CPU than parsing the frame; a short buffer folded in one go
/// keeps the histogram warm, and bounds memory whatever the run's length.
const LATENCY_BATCH: usize = 4096;

/// The run's clock and schedule, shared by every member.
#[derive(Clone, Copy)]
struct Schedule {
    /// Time zero: stamps and windows are measured from here.
    start: Instant,
    /// One member's interval between sends.
    period: Duration,
    /// The measured window, as offsets from `start`.
    window: (Duration, Duration),
    /// When members stop sending (and only read).
    stop_sending: Instant,
}

impl Schedule {
    fn in_window(&self, stamp: Duration) -> bool {
        stamp >= self.window.0 && stamp < self.window.1
    }
}

/// What one member measured.
struct MemberTally {
    sent_in_window: u64,
    received: u64,
    histogram: Histogram<u64>,
    /// Latencies of deliveries from a sender on the member's own relay, and from others.
    same_relay: Histogram<u64>,
    cross_relay: Histogram<u64>,
    disconnected: bool,
    /// Kept open until every member is done, so no relay sees an early departure.
    conn: Option<Conn>,
}

/// Latencies of one member's deliveries, buffered and folded in batches.
struct Latencies {
    pending: Vec<u64>,
    histogram: Histogram<u64>,
}

impl Latencies {
    fn new() -> Self {
        Self {
            pending: Vec::with_capacity(LATENCY_BATCH),
            histogram: Histogram::new(3).expect("histogram"),
        }
    }

    fn record(&mut self, micros: u64) {
        self.pending.push(micros);
        if self.pending.len() == LATENCY_BATCH {
            self.fold();
        }
    }

    fn fold(&mut self) {
        for micros in self.pending.drain(..) {
            let _ = self.histogram.record(micros);
        }
    }

    fn finish(mut self) -> Histogram<u64> {
        self.fold();
        self.histogram
    }
}

/// One member for the whole run, as one task: sends on its schedule and reads whatever
/// arrives, until told to stop. One task per connection, rather than a sender and a reader
/// sharing a split socket, spares the lock and wake-ups a split costs on every frame.
async fn run_member(
    member: Member,
    schedule: Schedule,
    offset: Duration,
    payload_len: usize,
    mut stopped: watch::Receiver<bool>,
) -> MemberTally {
    let Member {
        mut conn,
        room,
        gateway,
    } = member;
    let mut ticker = tokio::time::interval_at((schedule.start + offset).into(), schedule.period);
    // Open loop: a sender that falls behind catches up rather than silently lowering the
    // offered rate (`Delay` would reschedule after any lateness over 5 ms, so a busy machine
    // would offer less than the rate it reports).
    ticker.set_missed_tick_behavior(MissedTickBehavior::Burst);
    let mut payload = vec![0u8; payload_len];
    payload[STAMP_LEN] = gateway as u8;
    let mut sending = true;
    let (mut sent_in_window, mut received) = (0u64, 0u64);
    let mut latencies = Latencies::new();
    let (mut same_relay, mut cross_relay) = (Latencies::new(), Latencies::new());
    let disconnected = loop {
        tokio::select! {
            biased;
            _ = stopped.changed() => break false,
            due = ticker.tick(), if sending => {
                if due.into_std() >= schedule.stop_sending {
                    sending = false;
                    continue;
                }
                // The stamp is the moment of sending, not the tick's scheduled time: Tokio
                // timers fire on a 1 ms wheel, and that lateness is the load generator's,
                // not the relay's. Senders that fall behind their schedule fail `sustained`.
                let stamp = Instant::now().saturating_duration_since(schedule.start);
                payload[..STAMP_LEN].copy_from_slice(&(stamp.as_nanos() as u64).to_be_bytes());
                if conn.send_binary(relay_frame(room, &payload)).await.is_err() {
                    break true;
                }
                sent_in_window += u64::from(schedule.in_window(stamp));
            }
            message = conn.next() => match message {
                Some(Ok(Incoming::Binary(frame))) => {
                    let Some((sent, origin)) = read_stamp(&frame) else { continue };
                    if schedule.in_window(sent) {
                        received += 1;
                        let latency = Instant::now().saturating_duration_since(schedule.start + sent);
                        let micros = latency.as_micros() as u64;
                        latencies.record(micros);
                        if usize::from(origin) == gateway {
                            same_relay.record(micros);
                        } else {
                            cross_relay.record(micros);
                        }
                    }
                }
                Some(Ok(_)) => {}
                Some(Err(_)) | None => break true,
            },
        }
    };
    MemberTally {
        sent_in_window,
        received,
        histogram: latencies.finish(),
        same_relay: same_relay.finish(),
        cross_relay: cross_relay.finish(),
        disconnected,
        conn: (!disconnected).then_some(conn),
    }
}

/// The send time a delivered frame carries, as an offset from the run's start, and the
/// sender's relay.
fn read_stamp(frame: &[u8]) -> Option<(Duration, u8)> {
    let stamp = frame.get(DELIVERED_HEADER_LEN..DELIVERED_HEADER_LEN + STAMP_LEN)?;
    let origin = *frame.get(DELIVERED_HEADER_LEN + STAMP_LEN)?;
    let mut bytes = [0u8; STAMP_LEN];
    bytes.copy_from_slice(stamp);
    Some((Duration::from_nanos(u64::from_be_bytes(bytes)), origin))
}

/// Median and 99th percentile of `histogram`, if it holds anything.
fn quantiles(histogram: &Histogram<u64>) -> Option<(u64, u64)> {
    (!histogram.is_empty()).then(|| {
        (
            histogram.value_at_quantile(0.50),
            histogram.value_at_quantile(0.99),
        )
    })
}

/// Runs one fan-out at `config.sends_per_sec`, every room spread over `targets` (one relay,
/// or the gateways of a cluster). Connection sources start at `first_index`.
pub async fn run(
    targets: &[Target],
    config: &FanoutConfig,
    first_index: usize,
) -> std::io::Result<FanoutResult> {
    let members = fill_rooms(targets, config.rooms, config.members, first_index).await?;
    let total = members.len();
    let start = Instant::now() + Duration::from_millis(200);
    let window_start = config.warmup;
    let schedule = Schedule {
        start,
        period: Duration::from_secs_f64(total as f64 / config.sends_per_sec),
        window: (window_start, window_start + config.measure),
        stop_sending: start + config.warmup + config.measure,
    };
    let (stop, stopped) = watch::channel(false);
    let payload_len = config
        .frame_bytes
        .saturating_sub(SENT_OVERHEAD)
        .max(STAMP_LEN + ORIGIN_LEN);

    let tasks: Vec<_> = members
        .into_iter()
        .enumerate()
        .map(|(index, member)| {
            // Spread first sends over one period so the members do not fire in lockstep.
            let offset = schedule.period.mul_f64(index as f64 / total as f64);
            tokio::spawn(run_member(
                member,
                schedule,
                offset,
                payload_len,
                stopped.clone(),
            ))
        })
        .collect();

    // The relays' CPU over the window, and last in the list this load generator's own.
    let watched: Vec<u32> = config
        .relay_pids
        .iter()
        .copied()
        .chain([std::process::id()])
        .collect();
    let each_cpu =
        |pids: &[u32]| -> Option<Vec<f64>> { pids.iter().map(|&pid| cpu_secs(pid).ok()).collect() };
    let mut cpu_secs_by_process = if config.relay_pids.is_empty() {
        None
    } else {
        tokio::time::sleep_until((start + schedule.window.0).into()).await;
        let before = each_cpu(&watched);
        tokio::time::sleep_until((start + schedule.window.1).into()).await;
        let after = each_cpu(&watched);
        before.zip(after).map(|(before, after)| {
            before
                .iter()
                .zip(&after)
                .map(|(before, after)| after - before)
                .collect::<Vec<f64>>()
        })
    };
    let load_generator_cpu = cpu_secs_by_process.as_mut().and_then(Vec::pop);
    let cores = std::thread::available_parallelism().map_or(1, usize::from) as f64;
    let machine_busy = cpu_secs_by_process
        .as_ref()
        .zip(load_generator_cpu)
        .map(|(relays, own)| {
            (relays.iter().sum::<f64>() + own) / (cores * config.measure.as_secs_f64())
        });
    tokio::time::sleep_until((schedule.stop_sending + config.drain).into()).await;
    let _ = stop.send(true);
    let mut histogram = Histogram::<u64>::new(3).expect("histogram");
    let mut same_relay = Histogram::<u64>::new(3).expect("histogram");
    let mut cross_relay = Histogram::<u64>::new(3).expect("histogram");
    let (mut sent, mut received, mut disconnected) = (0u64, 0u64, 0usize);
    let mut open = Vec::with_capacity(total);
    for task in tasks {
        let tally = task.await.map_err(std::io::Error::other)?;
        sent += tally.sent_in_window;
        received += tally.received;
        disconnected += usize::from(tally.disconnected);
        histogram
            .add(tally.histogram)
            .map_err(std::io::Error::other)?;
        same_relay
            .add(tally.same_relay)
            .map_err(std::io::Error::other)?;
        cross_relay
            .add(tally.cross_relay)
            .map_err(std::io::Error::other)?;
        open.extend(tally.conn);
    }
    drop(open);
    Ok(FanoutResult {
        sends_per_sec: config.sends_per_sec,
        offered: (config.sends_per_sec * config.measure.as_secs_f64()) as u64,
        sent,
        expected: sent * (config.members as u64 - 1),
        received,
        delivered_per_sec: received as f64 / config.measure.as_secs_f64(),
        p50_us: histogram.value_at_quantile(0.50),
        p99_us: histogram.value_at_quantile(0.99),
        disconnected,
        cpu_secs_by_process: cpu_secs_by_process.unwrap_or_default(),
        machine_busy,
        same_relay_us: quantiles(&same_relay),
        cross_relay_us: quantiles(&cross_relay),
    })
}

/// The largest offered rate in `rates` (ascending) that a relay sustains, and every step.
pub async fn search(
    targets: &[Target],
    base: &FanoutConfig,
    rates: &[f64],
    mut progress: impl FnMut(&FanoutResult),
) -> std::io::Result<(Option<FanoutResult>, Vec<FanoutResult>)> {
    let mut best = None;
    let mut steps = Vec::new();
    for (step, &rate) in rates.iter().enumerate() {
        let config = FanoutConfig {
            sends_per_sec: rate,
            ..base.clone()
        };
        let result = run(targets, &config, step * base.rooms * base.members).await?;
        progress(&result);
        let sustained = result.sustained();
        steps.push(result.clone());
        if !sustained {
            break;
        }
        best = Some(result);
        // Let the relay settle closed connections before the next step.
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    Ok((best, steps))
}
