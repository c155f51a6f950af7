//! Churn: connect → join → send → leave cycles at a fixed rate, sampling the relay's RSS, to
//! show that memory returns to its baseline (no leak).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;

use ed25519_dalek::SigningKey;

use crate::client::{connect, enter, relay_frame, request, room_key, Conn, Target};
use crate::proc::rss_kib;

/// Standing rooms the churning clients join (each held open by one member).
const STANDING_ROOMS: usize = 10;
/// Cycles allowed in flight at once.
const IN_FLIGHT: usize = 512;

/// What a churn run measured.
#[derive(Debug, Clone)]
pub struct ChurnResult {
    /// Cycles completed.
    pub cycles: u64,
    /// Cycles that failed.
    pub failures: u64,
    /// Cycles per second achieved.
    pub cycles_per_sec: f64,
    /// RSS with only the standing rooms open, KiB.
    pub before_kib: u64,
    /// Highest RSS sampled while churning, KiB.
    pub peak_kib: u64,
    /// RSS after each round, once its connections are gone, KiB.
    pub after_rounds_kib: Vec<u64>,
}

async fn cycle(
    target: &Target,
    index: usize,
    (code, key): &(String, SigningKey),
) -> std::io::Result<()> {
    let mut conn = connect(target, index).await?;
    let (room, _) = enter(&mut conn, key, Some(code)).await?;
    conn.send_binary(relay_frame(room, &[7u8; 64])).await?;
    request(
        &mut conn,
        &format!(r#"{{"type":"room_leave","room":{room}}}"#),
    )
    .await?;
    // Reads to the end so the close completes cleanly.
    conn.close().await
}

/// Runs `rounds` rounds of `secs` seconds at `rate` cycles per second against relay `pid`.
pub async fn run(
    target: &Target,
    pid: u32,
    rate: u64,
    secs: u64,
    rounds: usize,
) -> std::io::Result<ChurnResult> {
    let mut anchors: Vec<Conn> = Vec::new();
    let mut rooms = Vec::new();
    for index in 0..STANDING_ROOMS {
        let mut conn = connect(target, index).await?;
        let key = room_key();
        let (_, code) = enter(&mut conn, &key, None).await?;
        rooms.push((code, key));
        anchors.push(conn);
    }
    // The standing members read everything relayed to them.
    let drains: Vec<_> = anchors
        .into_iter()
        .map(|mut conn| tokio::spawn(async move { while let Some(Ok(_)) = conn.next().await {} }))
        .collect();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let before_kib = rss_kib(pid)?;
    let rooms = Arc::new(rooms);
    let done = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let mut peak_kib = before_kib;
    let mut after_rounds_kib = Vec::new();
    let mut index = STANDING_ROOMS;
    for _ in 0..rounds {
        let gate = Arc::new(Semaphore::new(IN_FLIGHT));
        let round_start = Instant::now();
        let mut ticker = tokio::time::interval(Duration::from_millis(1));
        let per_tick = rate as f64 / 1_000.0;
        let mut due = 0.0;
        let mut last_sample = Instant::now();
        while round_start.elapsed() < Duration::from_secs(secs) {
            ticker.tick().await;
            due += per_tick;
            while due >= 1.0 {
                due -= 1.0;
                let Ok(permit) = gate.clone().try_acquire_owned() else {
                    failed.fetch_add(1, Ordering::Relaxed);
                    continue;
                };
                index += 1;
                let (target, rooms, done, failed) =
                    (target.clone(), rooms.clone(), done.clone(), failed.clone());
                let slot = index;
                tokio::spawn(async move {
                    let code = &rooms[slot % rooms.len()];
                    let outcome =
                        tokio::time::timeout(Duration::from_secs(10), cycle(&target, slot, code))
                            .await;
                    match outcome {
                        Ok(Ok(())) => done.fetch_add(1, Ordering::Relaxed),
                        _ => failed.fetch_add(1, Ordering::Relaxed),
                    };
                    drop(permit);
                });
            }
            if last_sample.elapsed() >= Duration::from_secs(1) {
                peak_kib = peak_kib.max(rss_kib(pid)?);
                last_sample = Instant::now();
            }
        }
        // Wait for the cycles in flight, then for the relay to let go of them.
        let _ = gate.acquire_many(IN_FLIGHT as u32).await;
        tokio::time::sleep(Duration::from_secs(3)).await;
        after_rounds_kib.push(rss_kib(pid)?);
    }
    for drain in drains {
        drain.abort();
    }
    let cycles = done.load(Ordering::Relaxed);
    Ok(ChurnResult {
        cycles,
        failures: failed.load(Ordering::Relaxed),
        cycles_per_sec: cycles as f64 / (rounds as u64 * secs).max(1) as f64,
        before_kib,
        peak_kib,
        after_rounds_kib,
    })
}
