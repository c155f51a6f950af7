//! Files through the gateway: MiB/s of one transfer, sender to receiver, and what a running
//! transfer does to chat latency in the same room.
//!
//! Three SDK members share one room on a gateway child process: a **sender** that sends the
//! file and chats, a **bystander** that only chats, and a **receiver** that takes the file
//! and times every message. Each chatter sends one message every [`CHAT_INTERVAL`], first for
//! [`QUIET_TICKS`] ticks without a transfer, then for as long as one runs. A message's
//! latency runs from when it is handed to its member (as a user pressing enter) to when the
//! receiver's room reports it, so it includes any wait behind the member's own chunks.
//!
//! The SDK paces chunks to half the gateway's per-connection message rate, so at the
//! default rate (50 a second) a transfer's speed is set by that rate, not by the machine;
//! [`run`] can also lift the rate to measure what the machine itself allows.
//! Every loop here is bounded in count and time; the gateway binds loopback only.

use std::path::Path;
use std::time::{Duration, Instant};

use anoghost_sdk::chat::{ChatEvent, ChatRoom};
use anoghost_sdk::files::outgoing::FileToSend;
use anoghost_sdk::files::FileEvent;
use anoghost_sdk::mls::Admission;
use tokio::process::Command;
use tokio::sync::{mpsc, oneshot};

use crate::client::Transport;
use crate::servers;

/// Time between two messages of one chatter.
pub const CHAT_INTERVAL: Duration = Duration::from_millis(100);
/// Chat ticks without a transfer, for the baseline.
pub const QUIET_TICKS: usize = 100;
/// Longest a transfer may take before the run gives up.
const TRANSFER_LIMIT: Duration = Duration::from_secs(180);
/// How long to wait for the last messages once the file is in.
const DRAIN: Duration = Duration::from_secs(2);

/// Latencies of one chatter's messages, in ms.
#[derive(Debug, Clone, Default)]
pub struct Latencies {
    /// Every sample, in ms.
    pub samples_ms: Vec<f64>,
}

impl Latencies {
    /// The `q` quantile (0 to 1) by nearest rank; `None` without samples.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        let mut sorted = self.samples_ms.clone();
        sorted.sort_by(f64::total_cmp);
        let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len().max(1));
        sorted.get(rank - 1).copied()
    }
}

/// What one run measured.
#[derive(Debug, Clone)]
pub struct FileFigures {
    /// The gateway's messages per second per connection.
    pub messages_per_second: u32,
    /// The file's size.
    pub file_bytes: usize,
    /// From `send_file` to the receiver holding the checked file.
    pub transfer: Duration,
    /// Chat from the sender, without and during the transfer.
    pub sender_quiet: Latencies,
    /// See `sender_quiet`.
    pub sender_busy: Latencies,
    /// Chat from the member that sends no file, without and during the transfer.
    pub bystander_quiet: Latencies,
    /// See `bystander_quiet`.
    pub bystander_busy: Latencies,
    /// Messages sent but never reported by the receiver.
    pub lost: usize,
}

impl FileFigures {
    /// MiB per second, end to end.
    pub fn mib_per_sec(&self) -> f64 {
        self.file_bytes as f64 / (1024.0 * 1024.0) / self.transfer.as_secs_f64()
    }
}

fn io(error: impl std::fmt::Display) -> std::io::Error {
    std::io::Error::other(error.to_string())
}

enum Order {
    Say(String),
    Send(FileToSend),
    GroupSize(oneshot::Sender<usize>),
}

/// A member whose room runs in a task of its own, so files keep moving between orders.
struct Member {
    orders: mpsc::UnboundedSender<Order>,
    /// Events with when they came (since the run's epoch), or why the room stopped.
    events: mpsc::UnboundedReceiver<Result<(Duration, ChatEvent), String>>,
}

impl Member {
    fn spawn(mut room: ChatRoom, epoch: Instant) -> Self {
        let (orders, mut inbox) = mpsc::unbounded_channel();
        let (report, events) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            loop {
                let failed = tokio::select! {
                    order = inbox.recv() => match order {
                        Some(Order::Say(text)) => room.send_text(&text).await.err(),
                        Some(Order::Send(file)) => room.send_file(file).await.err(),
                        Some(Order::GroupSize(reply)) => {
                            let _ = reply.send(room.roster().len());
                            None
                        }
                        None => break,
                    },
                    event = room.next_event() => match event {
                        Ok(event) => {
                            let _ = report.send(Ok((epoch.elapsed(), event)));
                            None
                        }
                        Err(error) => Some(error),
                    },
                };
                if let Some(error) = failed {
                    let _ = report.send(Err(error.to_string()));
                    return;
                }
            }
            room.leave().await;
        });
        Self { orders, events }
    }

    fn order(&self, order: Order) -> std::io::Result<()> {
        self.orders.send(order).map_err(|_| io("a member stopped"))
    }

    async fn group_size(&self) -> std::io::Result<usize> {
        let (reply, size) = oneshot::channel();
        self.order(Order::GroupSize(reply))?;
        size.await.map_err(|_| io("a member stopped"))
    }
}

async fn room_of_three(url: &str, epoch: Instant) -> std::io::Result<Vec<Member>> {
    let creator = ChatRoom::create(url, Admission::Open).await.map_err(io)?;
    let invite = creator.invite().ok_or_else(|| io("no invite"))?.clone();
    let mut members = vec![Member::spawn(creator, epoch)];
    for _ in 0..2 {
        let joined = ChatRoom::join(url, &invite).await.map_err(io)?;
        members.push(Member::spawn(joined, epoch));
    }
    for _ in 0..600 {
        let mut all_in = true;
        for member in &members {
            all_in &= member.group_size().await? == members.len();
        }
        if all_in {
            return Ok(members);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Err(io("the three members were not in one group within 30 s"))
}

/// What the receiver saw: chat latencies by tag, and when the file was in.
#[derive(Default)]
struct Seen {
    latencies: [Latencies; 4],
    file_at: Option<Duration>,
}

/// Tags: sender or bystander, quiet or busy; the index into `Seen::latencies`.
const TAGS: [&str; 4] = ["sq", "sb", "yq", "yb"];

impl Seen {
    fn note(&mut self, at: Duration, event: ChatEvent) -> std::io::Result<()> {
        match event {
            ChatEvent::Message { text, .. } => {
                let mut parts = text.split(' ');
                let tag = parts.next().and_then(|t| TAGS.iter().position(|x| *x == t));
                let sent = parts.next().and_then(|n| n.parse::<u64>().ok());
                if let (Some(tag), Some(sent)) = (tag, sent) {
                    let ms = at.saturating_sub(Duration::from_nanos(sent)).as_secs_f64() * 1e3;
                    self.latencies[tag].samples_ms.push(ms);
                }
            }
            ChatEvent::File(FileEvent::Received { .. }) => self.file_at = Some(at),
            ChatEvent::File(FileEvent::Failed { error, .. }) => {
                return Err(io(format!("the file failed: {error}")));
            }
            _ => {}
        }
        Ok(())
    }

    fn count(&self) -> usize {
        self.latencies.iter().map(|l| l.samples_ms.len()).sum()
    }
}

fn stamp(tag: &str, epoch: Instant) -> Order {
    Order::Say(format!("{tag} {}", epoch.elapsed().as_nanos()))
}

/// Sends a `file_bytes` file through a gateway (`binary`, started here) allowing
/// `messages_per_second` per connection, with chat from two members before and during it.
pub async fn run(
    binary: &Path,
    messages_per_second: u32,
    file_bytes: usize,
) -> std::io::Result<FileFigures> {
    let rate = messages_per_second.to_string();
    let mut command = Command::new(binary);
    command
        .args(["--listen", "127.0.0.1:0", "--messages-per-second", &rate])
        .args([
            "--joins-per-minute",
            "1000",
            "--joins-per-minute-per-ip",
            "1000",
        ])
        .env("RUST_LOG", "error");
    let gateway = servers::spawn(command, "http://", Transport::WebSocket("/v1/ws".into())).await?;
    let url = format!("ws://{}/v1/ws", gateway.target.addr);
    let epoch = Instant::now();
    let mut members = room_of_three(&url, epoch).await?;
    let mut receiver = members.pop().ok_or_else(|| io("no receiver"))?;
    let mut bystander = members.pop().ok_or_else(|| io("no bystander"))?;
    let mut sender = members.pop().ok_or_else(|| io("no sender"))?;
    let file: Vec<u8> = (0..file_bytes).map(|i| (i * 31 % 251) as u8).collect();

    let mut seen = Seen::default();
    let mut sent = 0;
    let mut ticks = tokio::time::interval(CHAT_INTERVAL);
    let mut started = None;
    let deadline = tokio::time::Instant::now() + TRANSFER_LIMIT;
    loop {
        tokio::select! {
            _ = ticks.tick() => {
                let busy = started.is_some();
                sender.order(stamp(if busy { "sb" } else { "sq" }, epoch))?;
                bystander.order(stamp(if busy { "yb" } else { "yq" }, epoch))?;
                sent += 2;
                if !busy && sent >= 2 * QUIET_TICKS {
                    started = Some(epoch.elapsed());
                    let name = format!("bench-{file_bytes}.bin");
                    sender.order(Order::Send(FileToSend::new(name, "application/octet-stream", file.clone())))?;
                }
            }
            // The chatters' own events matter only if their rooms stopped.
            Some(Err(error)) = sender.events.recv() => return Err(io(format!("the sender: {error}"))),
            Some(Err(error)) = bystander.events.recv() => return Err(io(format!("the bystander: {error}"))),
            event = receiver.events.recv() => {
                let (at, event) = event.ok_or_else(|| io("the receiver stopped"))?.map_err(io)?;
                seen.note(at, event)?;
                if seen.file_at.is_some() {
                    break;
                }
            }
            () = tokio::time::sleep_until(deadline) => {
                return Err(io(format!("no file within {} s", TRANSFER_LIMIT.as_secs())));
            }
        }
    }
    let drain_until = tokio::time::Instant::now() + DRAIN;
    while seen.count() < sent {
        match tokio::time::timeout_at(drain_until, receiver.events.recv()).await {
            Ok(Some(Ok((at, event)))) => seen.note(at, event)?,
            Ok(Some(Err(error))) => return Err(io(error)),
            Ok(None) | Err(_) => break,
        }
    }
    let lost = sent - seen.count();
    let (file_at, started) = match (seen.file_at, started) {
        (Some(at), Some(started)) => (at, started),
        _ => return Err(io("no transfer")),
    };
    let [sender_quiet, sender_busy, bystander_quiet, bystander_busy] = seen.latencies;
    drop((sender, bystander, receiver));
    Ok(FileFigures {
        messages_per_second,
        file_bytes,
        transfer: file_at.saturating_sub(started),
        sender_quiet,
        sender_busy,
        bystander_quiet,
        bystander_busy,
        lost,
    })
}

/// The figures as a Markdown section for `bench/RESULTS.md`.
pub fn report(runs: &[FileFigures]) -> String {
    let ms = |l: &Latencies, q: f64| l.quantile(q).map_or("—".into(), |v| format!("{v:.1}"));
    let ratio =
        |busy: &Latencies, quiet: &Latencies| match (busy.quantile(0.99), quiet.quantile(0.99)) {
            (Some(b), Some(q)) if q > 0.0 => format!("{:.2}", b / q),
            _ => "—".into(),
        };
    let mut out = String::from("## 7. Files through the gateway\n\n");
    out.push_str(
        "One file from one member to the room (3 members: the sender, a bystander, the \
         receiver), end to end: `send_file` until the receiver holds the checked file. Each \
         chatter sends a message every 100 ms, without a transfer and then during one; latency \
         runs from handing the message to its member to the receiver's room reporting it.\n\n",
    );
    out.push_str("| gateway rate (msg/s per connection) | file | MiB/s | chat from | messages quiet, during | p50 ms quiet → during | p99 ms quiet → during | p99 ratio | messages lost |\n");
    out.push_str("|---|---|---|---|---|---|---|---|---|\n");
    for run in runs {
        for (who, quiet, busy) in [
            ("sender", &run.sender_quiet, &run.sender_busy),
            ("bystander", &run.bystander_quiet, &run.bystander_busy),
        ] {
            out.push_str(&format!(
                "| {} | {:.1} MiB | {:.2} | {who} | {}, {} | {} → {} | {} → {} | {} | {} |\n",
                run.messages_per_second,
                run.file_bytes as f64 / (1024.0 * 1024.0),
                run.mib_per_sec(),
                quiet.samples_ms.len(),
                busy.samples_ms.len(),
                ms(quiet, 0.5),
                ms(busy, 0.5),
                ms(quiet, 0.99),
                ms(busy, 0.99),
                ratio(busy, quiet),
                run.lost,
            ));
        }
    }
    out.push('\n');
    out
}
