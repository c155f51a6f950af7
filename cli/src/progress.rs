//! A progress bar on stderr, redrawn in place, for a file going out or arriving. Drawn only
//! when stderr is a terminal, so scripts and logs get the plain result lines alone.

use std::io::{IsTerminal as _, Write as _};
use std::time::{Duration, Instant};

use crate::files::human_size;

const WIDTH: usize = 24;
/// Redraws at most this often: a chunk arrives every 40 ms at the default rate.
const REDRAW: Duration = Duration::from_millis(100);

/// One transfer's bar.
pub struct Bar {
    label: String,
    started: Instant,
    drawn_at: Option<Instant>,
    terminal: bool,
}

impl Bar {
    /// A bar for `label` (a file's name and direction).
    pub fn new(label: String) -> Self {
        Self {
            label,
            started: Instant::now(),
            drawn_at: None,
            terminal: std::io::stderr().is_terminal(),
        }
    }

    /// Shows `done` of `total` bytes.
    pub fn update(&mut self, done: u64, total: u64) {
        let now = Instant::now();
        let due = self
            .drawn_at
            .is_none_or(|at| now.duration_since(at) >= REDRAW || done == total);
        if !self.terminal || !due {
            return;
        }
        self.drawn_at = Some(now);
        let line = render(&self.label, done, total, now.duration_since(self.started));
        let mut err = std::io::stderr();
        let _ = write!(err, "\r{line}\x1b[K");
        let _ = err.flush();
    }

    /// Ends the bar's line, so what follows starts on a fresh one.
    pub fn finish(&mut self) {
        if self.terminal && self.drawn_at.is_some() {
            let _ = writeln!(std::io::stderr());
        }
        self.drawn_at = None;
    }
}

/// `[##########--------------]  42%  2.1 MiB/5.0 MiB  1.5 MiB/s  report.pdf ↑`
pub fn render(label: &str, done: u64, total: u64, elapsed: Duration) -> String {
    let fraction = if total == 0 {
        1.0
    } else {
        (done as f64 / total as f64).clamp(0.0, 1.0)
    };
    let filled = (fraction * WIDTH as f64).round() as usize;
    let rate = done as f64 / elapsed.as_secs_f64().max(0.001);
    format!(
        "[{}{}] {:>3}%  {}/{}  {}/s  {label}",
        "#".repeat(filled),
        "-".repeat(WIDTH - filled),
        (fraction * 100.0).floor() as u32,
        human_size(done),
        human_size(total),
        human_size(rate as u64),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bar_fills_with_the_bytes_and_shows_the_rate() {
        let mib = 1024 * 1024;
        assert_eq!(
            render("report.pdf ↑", 2 * mib, 4 * mib, Duration::from_secs(2)),
            "[############------------]  50%  2.0 MiB/4.0 MiB  1.0 MiB/s  report.pdf ↑"
        );
        assert!(render("x", 0, 10, Duration::ZERO).starts_with("[------------------------]   0%"));
        assert!(render("x", 10, 10, Duration::from_secs(1))
            .starts_with("[########################] 100%"));
        assert!(render("empty", 0, 0, Duration::ZERO).contains("100%"));
    }
}
