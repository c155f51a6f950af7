//! The runtime upgraded sockets run on.
//!
//! actix-web answers HTTP on worker threads that each run their own single-threaded
//! runtime, and a task spawned there stays on that thread. Relay traffic is different: one
//! frame wakes every member of a room, wherever it is connected, and members pinned to
//! different threads were woken across threads, each wake a system call (an eventfd write
//! and often a futex) on top of the delivery itself. On a multi-threaded runtime a woken
//! task runs on the thread that woke it, and idle threads steal work, so a room's fan-out
//! mostly stays on one thread. The system calls it saved are in the README (Benchmarks);
//! the fan-out it sustains is in `bench/RESULTS.md` §1.

use tokio::runtime::{Handle, Runtime};

/// The sockets' runtime: as many threads as actix workers. Shut down without waiting
/// when dropped, from any context (a runtime dropped inside async code would panic).
#[derive(Debug)]
pub struct SocketRuntime {
    runtime: Option<Runtime>,
}

impl SocketRuntime {
    /// A runtime of `threads` threads.
    pub fn new(threads: usize) -> std::io::Result<Self> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(threads.max(1))
            .thread_name("anoghost-socket")
            .enable_all()
            .build()?;
        Ok(Self {
            runtime: Some(runtime),
        })
    }

    /// Where socket tasks are spawned.
    pub fn handle(&self) -> Handle {
        match &self.runtime {
            Some(runtime) => runtime.handle().clone(),
            None => unreachable!("the runtime lives until the value is dropped"),
        }
    }
}

impl Drop for SocketRuntime {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            // The sockets still open were given the shutdown grace period already.
            runtime.shutdown_background();
        }
    }
}
