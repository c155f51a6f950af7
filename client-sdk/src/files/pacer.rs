//! When the next chunk may go. The gateway allows each connection `messages_per_second`
//! messages, from a bucket that holds one second's worth and drops what comes when it is
//! empty. The pacer mirrors that bucket with every message this connection sends, and lets
//! a chunk go only
//! - at most [`FILE_SHARE`] of the rate (one chunk every `1 / (rate × share)` seconds), and
//! - while the bucket keeps half its tokens for chat.
//!
//! Chat messages go at once, never behind chunks: when chat uses more than its half, chunks
//! wait until the bucket refills, and the chat still gets through.

use std::time::{Duration, Instant};

/// The share of the gateway's message rate files may use.
pub const FILE_SHARE: f64 = 0.5;

/// The mirror of the gateway's bucket, and the chunk clock.
#[derive(Debug, Clone)]
pub struct Pacer {
    rate: f64,
    tokens: f64,
    updated: Instant,
    /// Tokens kept for chat: chunks go only above this.
    reserve: f64,
    chunk_interval: Duration,
    next_chunk_at: Instant,
}

impl Pacer {
    /// A full bucket for a gateway that allows `messages_per_second`.
    pub fn new(messages_per_second: u32, now: Instant) -> Self {
        let rate = f64::from(messages_per_second.max(1));
        Self {
            rate,
            tokens: rate,
            updated: now,
            reserve: (rate * (1.0 - FILE_SHARE)).floor(),
            chunk_interval: Duration::from_secs_f64(1.0 / (rate * FILE_SHARE)),
            next_chunk_at: now,
        }
    }

    fn refill(&mut self, now: Instant) {
        let elapsed = now.saturating_duration_since(self.updated).as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.rate).min(self.rate);
        self.updated = now;
    }

    /// This connection sent a message (any message: the gateway counts them all).
    pub fn on_sent(&mut self, now: Instant) {
        self.refill(now);
        self.tokens -= 1.0;
    }

    /// The message just counted with [`Self::on_sent`] was a chunk: the next waits its turn.
    pub fn on_chunk_sent(&mut self, now: Instant) {
        self.next_chunk_at = now + self.chunk_interval;
    }

    /// The earliest time the next chunk may go.
    pub fn chunk_due(&self, now: Instant) -> Instant {
        let elapsed = now.saturating_duration_since(self.updated).as_secs_f64();
        let tokens = (self.tokens + elapsed * self.rate).min(self.rate);
        let short = self.reserve + 1.0 - tokens;
        let refilled = if short > 0.0 {
            now + Duration::from_secs_f64(short / self.rate)
        } else {
            now
        };
        refilled.max(self.next_chunk_at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sends chunks whenever due (and `chat` chat messages per second) for `secs`; returns
    /// how many chunks went out and the fewest tokens the mirrored bucket held.
    fn run(rate: u32, chat: u32, secs: u64) -> (u64, f64) {
        let start = Instant::now();
        let mut pacer = Pacer::new(rate, start);
        let step = Duration::from_millis(1);
        let chat_every = (chat > 0).then(|| 1000 / u64::from(chat));
        let (mut chunks, mut lowest) = (0, f64::MAX);
        for ms in 0..secs * 1000 {
            let now = start + step * u32::try_from(ms).unwrap();
            if chat_every.is_some_and(|every| ms % every == 0) {
                pacer.on_sent(now);
            }
            if pacer.chunk_due(now) <= now {
                pacer.on_sent(now);
                pacer.on_chunk_sent(now);
                chunks += 1;
            }
            lowest = lowest.min(pacer.tokens);
        }
        (chunks, lowest)
    }

    #[test]
    fn chunks_use_half_the_rate_and_the_bucket_never_runs_dry() {
        let (chunks, lowest) = run(50, 0, 10);
        assert!((245..=251).contains(&chunks), "{chunks} chunks in 10 s");
        assert!(lowest >= 24.0, "{lowest}");
    }

    #[test]
    fn heavy_chat_slows_chunks_and_keeps_every_chat_message_inside_the_limit() {
        // 40 chat messages a second leave the gateway 10 for chunks, after the 24 tokens
        // the bucket held above its reserve.
        let (chunks, lowest) = run(50, 40, 10);
        assert!((100..=125).contains(&chunks), "{chunks} chunks in 10 s");
        assert!(lowest >= 0.0, "the gateway would drop a message: {lowest}");
    }

    #[test]
    fn a_gateway_allowing_one_message_a_second_still_moves_a_file() {
        let (chunks, lowest) = run(1, 0, 10);
        assert!((4..=6).contains(&chunks), "{chunks}");
        assert!(lowest >= 0.0);
    }
}
