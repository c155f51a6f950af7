//! The gateway binary as a child process, for tests that watch what the process itself does:
//! its logs, its system calls, its reaction to SIGTERM.

use std::io::{BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A gateway child process and everything it printed.
pub struct GatewayProcess {
    pub child: Child,
    wrapped: bool,
    pub addr: SocketAddr,
    output: Arc<Mutex<String>>,
}

impl GatewayProcess {
    /// Starts `anoghost-gateway` on an ephemeral port with `args`, optionally under a wrapper
    /// command (such as strace), and waits for its "listening on" line.
    pub fn spawn(wrapper: &[&str], args: &[&str]) -> Self {
        let binary = env!("CARGO_BIN_EXE_anoghost-gateway");
        let mut command = match wrapper.split_first() {
            Some((program, wrapper_args)) => {
                let mut command = Command::new(program);
                command.args(wrapper_args).arg(binary);
                command
            }
            None => Command::new(binary),
        };
        command
            .args(["--listen", "127.0.0.1:0", "--workers", "2"])
            .args(args)
            .env_clear()
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().expect("start the gateway binary");
        let output = Arc::new(Mutex::new(String::new()));
        let stderr = child.stderr.take().unwrap();
        drain_into(stderr, output.clone());
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut first = String::new();
        stdout.read_line(&mut first).unwrap();
        output.lock().unwrap().push_str(&first);
        drain_into(stdout, output.clone());
        let addr = first
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap_or_else(|| panic!("no listening line, got {first:?}"))
            .parse()
            .unwrap();
        Self {
            child,
            wrapped: !wrapper.is_empty(),
            addr,
            output,
        }
    }

    /// The gateway's own process id: the child, or the wrapper's child under a wrapper.
    fn gateway_pid(&self) -> String {
        let pid = self.child.id();
        if !self.wrapped {
            return pid.to_string();
        }
        let children = std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children"))
            .expect("read the wrapper's children");
        children
            .split_whitespace()
            .next()
            .expect("the wrapper started the gateway")
            .to_owned()
    }

    /// Sends SIGTERM to the gateway and waits (up to 20 s) for the process to exit.
    pub fn terminate(&mut self) -> ExitStatus {
        let status = Command::new("kill")
            .args(["-TERM", &self.gateway_pid()])
            .status()
            .unwrap();
        assert!(status.success(), "kill -TERM failed");
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // Give the drain threads a moment to collect the last lines.
                std::thread::sleep(Duration::from_millis(100));
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "gateway did not exit after SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Kills the gateway at once (SIGKILL): no close frames, no goodbyes.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Everything printed on stdout and stderr so far.
    pub fn output(&self) -> String {
        self.output.lock().unwrap().clone()
    }
}

impl Drop for GatewayProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn drain_into(mut source: impl Read + Send + 'static, sink: Arc<Mutex<String>>) {
    std::thread::spawn(move || {
        let mut buffer = [0u8; 4096];
        while let Ok(n) = source.read(&mut buffer) {
            if n == 0 {
                break;
            }
            sink.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&buffer[..n]));
        }
    });
}
