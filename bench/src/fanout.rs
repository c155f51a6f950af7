//! Relay fan-out: rooms × members connections, every member sending fixed-size frames at
//! an offered rate; every frame carries its send time, so each recipient measures
//! send-to-receive latency. Open loop: senders keep their schedule whatever the relay does.

use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use hdrhistogram::Histogram;
use tokio::sync::watch;
use tokio::time::MissedTickBehavior;
use tokio_tungstenite::tungstenite::Message;

use crate::client::{fill_rooms, relay_frame, Target, DELIVERED_HEADER_LEN};

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
}

/// Timestamp size at the front of each payload.
const STAMP_LEN: usize = 8;

/// Runs one fan-out at `config.sends_per_sec`. Connection sources start at `first_index`.
pub async fn run(
    target: &Target,
    config: &FanoutConfig,
    first_index: usize,
) -> std::io::Result<FanoutResult> {
    let members = fill_rooms(target, config.rooms, config.members, first_index).await?;
    let total = members.len();
    let period = Duration::from_secs_f64(total as f64 / config.sends_per_sec);
    let start = Instant::now() + Duration::from_millis(200);
    let window_start = (start + config.warmup).duration_since(start);
    let window = (window_start, window_start + config.measure);
    let stop_sending = start + config.warmup + config.measure;
    let (stop, stopped) = watch::channel(false);
    let payload_len = config.frame_bytes.saturating_sub(5).max(STAMP_LEN);

    let mut senders = Vec::with_capacity(total);
    let mut readers = Vec::with_capacity(total);
    for (index, member) in members.into_iter().enumerate() {
        let (mut sink, mut stream) = member.ws.split();
        let room = member.room;
        // Spread first sends over one period so the members do not fire in lockstep.
        let offset = period.mul_f64(index as f64 / total as f64);
        senders.push(tokio::spawn(async move {
            let mut ticker = tokio::time::interval_at((start + offset).into(), period);
            // Open loop: a sender that falls behind catches up rather than silently
            // lowering the offered rate (`Delay` would reschedule after any lateness over
            // 5 ms, so a busy machine would offer less than the rate it reports).
            ticker.set_missed_tick_behavior(MissedTickBehavior::Burst);
            let mut payload = vec![0u8; payload_len];
            let mut sent_in_window = 0u64;
            loop {
                if ticker.tick().await.into_std() >= stop_sending {
                    break;
                }
                // The stamp is the moment of sending, not the tick's scheduled time: Tokio
                // timers fire on a 1 ms wheel, and that lateness is the load generator's, not
                // the relay's. Senders that fall behind their schedule fail `sustained`.
                let stamp = Instant::now().saturating_duration_since(start);
                payload[..STAMP_LEN].copy_from_slice(&(stamp.as_nanos() as u64).to_be_bytes());
                if sink
                    .send(Message::binary(relay_frame(room, &payload)))
                    .await
                    .is_err()
                {
                    break;
                }
                if stamp >= window.0 && stamp < window.1 {
                    sent_in_window += 1;
                }
            }
            (sent_in_window, sink)
        }));
        let mut stopped = stopped.clone();
        readers.push(tokio::spawn(async move {
            let mut histogram = Histogram::<u64>::new(3).expect("histogram");
            let mut received = 0u64;
            let mut disconnected = false;
            loop {
                tokio::select! {
                    _ = stopped.changed() => break,
                    message = stream.next() => match message {
                        Some(Ok(Message::Binary(frame))) => {
                            let at = DELIVERED_HEADER_LEN;
                            let Some(stamp) = frame.get(at..at + STAMP_LEN) else { continue };
                            let mut bytes = [0u8; STAMP_LEN];
                            bytes.copy_from_slice(stamp);
                            let sent = Duration::from_nanos(u64::from_be_bytes(bytes));
                            if sent >= window.0 && sent < window.1 {
                                received += 1;
                                let latency = Instant::now().saturating_duration_since(start + sent);
                                let _ = histogram.record(latency.as_micros() as u64);
                            }
                        }
                        Some(Ok(_)) => {}
                        Some(Err(_)) | None => {
                            disconnected = true;
                            break;
                        }
                    },
                }
            }
            (received, histogram, disconnected)
        }));
    }

    let mut sent = 0u64;
    let mut sinks = Vec::with_capacity(total);
    for sender in senders {
        let (count, sink) = sender.await.map_err(std::io::Error::other)?;
        sent += count;
        sinks.push(sink);
    }
    tokio::time::sleep(config.drain).await;
    let _ = stop.send(true);
    let mut histogram = Histogram::<u64>::new(3).expect("histogram");
    let (mut received, mut disconnected) = (0u64, 0usize);
    for reader in readers {
        let (count, part, closed) = reader.await.map_err(std::io::Error::other)?;
        received += count;
        disconnected += usize::from(closed);
        histogram.add(part).map_err(std::io::Error::other)?;
    }
    drop(sinks);
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
    })
}

/// The largest offered rate in `rates` (ascending) that a relay sustains, and every step.
pub async fn search(
    target: &Target,
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
        let result = run(target, &config, step * base.rooms * base.members).await?;
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
