use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::sync::lock;

const WINDOW: Duration = Duration::from_secs(60);

/// Join attempts in the last minute, for one connection or one address.
#[derive(Debug, Default, Clone)]
pub struct JoinWindow {
    attempts: VecDeque<Instant>,
}

impl JoinWindow {
    /// Records an attempt if fewer than `limit` were made in the last minute.
    pub fn try_record(&mut self, limit: u32, now: Instant) -> bool {
        while self
            .attempts
            .front()
            .is_some_and(|at| now.saturating_duration_since(*at) >= WINDOW)
        {
            self.attempts.pop_front();
        }
        if self.attempts.len() >= limit as usize {
            return false;
        }
        self.attempts.push_back(now);
        true
    }

    fn is_stale(&self, now: Instant) -> bool {
        self.attempts
            .back()
            .is_none_or(|at| now.saturating_duration_since(*at) >= WINDOW)
    }
}

/// Join attempts per IP address, so that opening many connections does not multiply a
/// code-guesser's budget. Entries older than a minute are swept.
pub struct JoinLimiter {
    per_ip: u32,
    windows: Mutex<HashMap<IpAddr, JoinWindow>>,
}

impl JoinLimiter {
    /// At most `per_ip` join attempts per minute from one address.
    pub fn new(per_ip: u32) -> Self {
        Self {
            per_ip,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Records an attempt from `ip` if it is within its budget.
    pub fn try_record(&self, ip: IpAddr, now: Instant) -> bool {
        let mut windows = lock(&self.windows);
        if windows.len() > 4096 {
            windows.retain(|_, window| !window.is_stale(now));
        }
        windows.entry(ip).or_default().try_record(self.per_ip, now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_allows_limit_per_minute() {
        let start = Instant::now();
        let mut window = JoinWindow::default();
        assert!((0..3).all(|_| window.try_record(3, start)));
        assert!(!window.try_record(3, start + Duration::from_secs(59)));
        assert!(window.try_record(3, start + Duration::from_secs(60)));
    }

    #[test]
    fn limiter_counts_per_address() {
        let limiter = JoinLimiter::new(2);
        let now = Instant::now();
        let a: IpAddr = [127, 0, 0, 2].into();
        let b: IpAddr = [127, 0, 0, 3].into();
        assert!(limiter.try_record(a, now));
        assert!(limiter.try_record(a, now));
        assert!(!limiter.try_record(a, now));
        assert!(limiter.try_record(b, now));
    }
}
