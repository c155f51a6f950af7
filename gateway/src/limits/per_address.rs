use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;

use super::client_ip::ClientKey;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::sync::lock;

const WINDOW: Duration = Duration::from_secs(60);

/// Attempts in the last minute, for one connection or one client address.
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

/// Attempts per client address (an IPv6 client counts by its /64), so that opening many
/// connections, or rotating through the addresses of one IPv6 prefix, does not multiply a
/// client's budget: code guesses, paid joins, burn requests. Entries older than a minute
/// are swept.
pub struct PerAddressLimiter {
    per_address: u32,
    windows: Mutex<HashMap<ClientKey, JoinWindow>>,
}

impl PerAddressLimiter {
    /// At most `per_address` attempts per minute from one client address.
    pub fn new(per_address: u32) -> Self {
        Self {
            per_address,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Records an attempt from `ip` if its address is within its budget.
    pub fn try_record(&self, ip: IpAddr, now: Instant) -> bool {
        let mut windows = lock(&self.windows);
        if windows.len() > 4096 {
            windows.retain(|_, window| !window.is_stale(now));
        }
        windows
            .entry(ClientKey::of(ip))
            .or_default()
            .try_record(self.per_address, now)
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
        let limiter = PerAddressLimiter::new(2);
        let now = Instant::now();
        let a: IpAddr = [127, 0, 0, 2].into();
        let b: IpAddr = [127, 0, 0, 3].into();
        assert!(limiter.try_record(a, now));
        assert!(limiter.try_record(a, now));
        assert!(!limiter.try_record(a, now));
        assert!(limiter.try_record(b, now));
    }
}

#[cfg(test)]
mod ipv6_tests {
    use super::*;

    #[test]
    fn ipv6_clients_share_the_budget_of_their_slash_64() {
        let limiter = PerAddressLimiter::new(2);
        let now = Instant::now();
        let a: IpAddr = "2001:db8:1:2::a".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff::b".parse().unwrap();
        let other: IpAddr = "2001:db8:1:3::a".parse().unwrap();
        assert!(limiter.try_record(a, now));
        assert!(limiter.try_record(b, now));
        assert!(!limiter.try_record(a, now), "same /64");
        assert!(limiter.try_record(other, now), "another /64");
    }
}
