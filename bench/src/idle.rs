//! Idle connection memory: open connections that say `hello` and sit in free rooms, then
//! divide the relay's RSS growth by the connection count.

use std::time::Duration;

use crate::client::{connect, enter, room_key, Conn, Target};
use crate::proc::{open_files_limit, rss_kib};

/// What an idle-memory run measured.
#[derive(Debug, Clone)]
pub struct IdleResult {
    /// Connections that were opened and joined.
    pub opened: usize,
    /// The relay's RSS before, KiB.
    pub before_kib: u64,
    /// The relay's RSS with every connection idle, KiB.
    pub after_kib: u64,
    /// Why opening stopped early, if it did.
    pub stopped_by: Option<String>,
    /// The relay's soft and hard open-files limits, which bound how many sockets it holds.
    pub open_files: Option<(u64, u64)>,
}

impl IdleResult {
    /// RSS growth per connection, in KiB.
    pub fn kib_per_connection(&self) -> f64 {
        self.after_kib.saturating_sub(self.before_kib) as f64 / self.opened.max(1) as f64
    }
}

/// Opens up to `count` connections in rooms of `room_size` against the relay process `pid`,
/// stopping at the first failure (the largest count reached is then `opened`).
pub async fn run(target: &Target, pid: u32, count: usize, room_size: usize) -> IdleResult {
    tokio::time::sleep(Duration::from_millis(300)).await;
    let before_kib = rss_kib(pid).unwrap_or(0);
    let mut sockets: Vec<Conn> = Vec::with_capacity(count);
    let mut code: Option<String> = None;
    let mut key = room_key();
    let mut stopped_by = None;
    for index in 0..count {
        let opened = async {
            let mut conn = connect(target, index).await?;
            let joining = if index % room_size == 0 {
                key = room_key();
                None
            } else {
                code.as_deref()
            };
            let (_, room_code) = enter(&mut conn, &key, joining).await?;
            std::io::Result::Ok((conn, room_code))
        };
        match tokio::time::timeout(Duration::from_secs(10), opened).await {
            Ok(Ok((conn, room_code))) => {
                code = Some(room_code);
                sockets.push(conn);
            }
            Ok(Err(error)) => {
                stopped_by = Some(error.to_string());
                break;
            }
            Err(_) => {
                stopped_by = Some("a connection took over 10 s".into());
                break;
            }
        }
        if (index + 1) % 10_000 == 0 {
            eprintln!("  {} connections open", index + 1);
        }
    }
    // Drain the member_joined events so nothing stays queued, then let the relay settle.
    tokio::time::sleep(Duration::from_secs(1)).await;
    for conn in &mut sockets {
        while let Ok(Some(_)) = tokio::time::timeout(Duration::from_micros(100), conn.next()).await
        {
        }
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after_kib = rss_kib(pid).unwrap_or(0);
    IdleResult {
        opened: sockets.len(),
        before_kib,
        after_kib,
        stopped_by,
        open_files: open_files_limit(pid).ok(),
    }
}
