//! Fitting `--max-connections` to the process's open-files limit.
//!
//! Every WebSocket holds a socket descriptor. A gateway that runs out of descriptors cannot
//! accept, so connections past the limit wait unanswered in the listen backlog until the
//! client gives up. A gateway whose connection cap sits below its descriptor limit instead
//! answers the extra ones at once with HTTP 503 `too_many_connections`.

use std::io;

/// Descriptors kept back from WebSockets: the listener, each worker's poller and wakers,
/// RPC sockets, and HTTP requests (health, challenges, 503 refusals) arriving at the cap.
const RESERVED: u64 = 256;

/// The connection cap and the open-files limit it was fitted to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DescriptorBudget {
    /// The process's open-files limit (soft), after raising it as far as allowed.
    pub open_files: u64,
    /// Most WebSockets the gateway accepts: `--max-connections`, or lower to fit.
    pub max_connections: usize,
}

impl DescriptorBudget {
    /// Whether `--max-connections` had to be lowered.
    pub fn lowered_from(&self, configured: usize) -> bool {
        self.max_connections < configured
    }
}

/// Raises the soft open-files limit towards what `max_connections` needs (never past the
/// hard limit, which only a privileged process may raise), then fits the cap to it.
pub fn fit_to_open_files(max_connections: usize) -> io::Result<DescriptorBudget> {
    let wanted = (max_connections as u64).saturating_add(RESERVED);
    let open_files = match rlimit::increase_nofile_limit(wanted) {
        Ok(limit) => limit,
        // Raising failed (a sandbox may forbid it): live with the current soft limit.
        Err(_) => rlimit::Resource::NOFILE.get()?.0,
    };
    Ok(budget(max_connections, open_files))
}

/// The cap that leaves room for the gateway's other descriptors under `open_files`. Small
/// limits keep a quarter back rather than all 256.
fn budget(max_connections: usize, open_files: u64) -> DescriptorBudget {
    let reserved = RESERVED.min(open_files / 4);
    let usable = usize::try_from(open_files - reserved).unwrap_or(usize::MAX);
    DescriptorBudget {
        open_files,
        max_connections: max_connections.min(usable).max(1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cap_that_fits_is_kept() {
        let fitted = budget(100_000, 1_048_576);
        assert_eq!(fitted.max_connections, 100_000);
        assert!(!fitted.lowered_from(100_000));
    }

    #[test]
    fn a_cap_past_the_limit_is_lowered_leaving_the_reserve() {
        let fitted = budget(100_000, 20_000);
        assert_eq!(fitted.max_connections, 20_000 - 256);
        assert!(fitted.lowered_from(100_000));
    }

    #[test]
    fn a_small_limit_keeps_a_quarter_back() {
        assert_eq!(budget(100_000, 200).max_connections, 150);
        assert_eq!(budget(100_000, 1).max_connections, 1);
    }
}
