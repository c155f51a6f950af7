//! Members that live on their own: each [`ChatRoom`] runs in a task that keeps calling
//! `next_event` (so its files keep moving) and records every event, while the test asks it
//! to do things. Rooms several members must pump at once (a file moving from one to
//! others) need this; `ChatRoom::next_event` is cancel-safe, so a task can stop waiting on it
//! whenever the test calls.

use std::time::Duration;

use anoghost_sdk::chat::{ChatEvent, ChatRoom};
use anoghost_sdk::files::FileEvent;
use anoghost_sdk::mls::{Admission, RoomSettings};
use futures_util::future::BoxFuture;
use tokio::sync::{mpsc, oneshot};

type Call = Box<dyn for<'a> FnOnce(&'a mut ChatRoom) -> BoxFuture<'a, ()> + Send>;

enum Command {
    Call(Call),
    Leave(oneshot::Sender<()>),
}

/// One member, running.
pub struct Member {
    /// Its member number.
    pub me: u16,
    commands: mpsc::UnboundedSender<Command>,
    events: mpsc::UnboundedReceiver<ChatEvent>,
    /// Every event it reported so far, in order.
    pub seen: Vec<ChatEvent>,
}

impl Member {
    /// Runs `room` in a task of its own.
    pub fn spawn(mut room: ChatRoom) -> Self {
        let me = room.me();
        let (commands, mut inbox) = mpsc::unbounded_channel::<Command>();
        let (report, events) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    command = inbox.recv() => match command {
                        Some(Command::Call(call)) => call(&mut room).await,
                        Some(Command::Leave(done)) => {
                            room.leave().await;
                            let _ = done.send(());
                            return;
                        }
                        None => return,
                    },
                    event = room.next_event() => match event {
                        Ok(event) => {
                            let _ = report.send(event);
                        }
                        Err(_) => return,
                    },
                }
            }
        });
        Self {
            me,
            commands,
            events,
            seen: Vec::new(),
        }
    }

    /// Runs `action` on the member's room, between two events, and returns its result.
    pub async fn call<T, F>(&self, action: F) -> T
    where
        T: Send + 'static,
        F: for<'a> FnOnce(&'a mut ChatRoom) -> BoxFuture<'a, T> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let call: Call = Box::new(move |room| {
            Box::pin(async move {
                let _ = reply.send(action(room).await);
            })
        });
        assert!(
            self.commands.send(Command::Call(call)).is_ok(),
            "the member's task ended"
        );
        answer.await.expect("the member's task ended")
    }

    /// Leaves the room and waits until it has.
    pub async fn leave(self) {
        let (done, left) = oneshot::channel();
        if self.commands.send(Command::Leave(done)).is_ok() {
            let _ = left.await;
        }
    }

    /// Waits (up to `limit`) for an event `wanted` accepts; returns it.
    pub async fn expect(
        &mut self,
        limit: Duration,
        wanted: impl Fn(&ChatEvent) -> bool,
    ) -> ChatEvent {
        let wait = async {
            loop {
                let event = self.events.recv().await.expect("the member's task ended");
                self.seen.push(event.clone());
                if wanted(&event) {
                    return event;
                }
            }
        };
        match tokio::time::timeout(limit, wait).await {
            Ok(event) => event,
            Err(_) => panic!(
                "#{}: nothing wanted within {limit:?}; saw {:#?}",
                self.me, self.seen
            ),
        }
    }

    /// Waits for a file event `wanted` accepts.
    pub async fn expect_file(
        &mut self,
        limit: Duration,
        wanted: impl Fn(&FileEvent) -> bool,
    ) -> FileEvent {
        match self
            .expect(limit, |e| matches!(e, ChatEvent::File(f) if wanted(f)))
            .await
        {
            ChatEvent::File(event) => event,
            _ => unreachable!("only file events are wanted"),
        }
    }

    /// Records what arrives for `quiet` after the last event; returns the new events.
    pub async fn drain(&mut self, quiet: Duration) -> Vec<ChatEvent> {
        let mut new = Vec::new();
        while let Ok(Some(event)) = tokio::time::timeout(quiet, self.events.recv()).await {
            self.seen.push(event.clone());
            new.push(event);
        }
        new
    }

    /// The members in its group, from the group itself.
    pub async fn roster(&self) -> Vec<u16> {
        self.call(|room| Box::pin(async move { room.roster().iter().map(|e| e.member).collect() }))
            .await
    }
}

/// A room of `n` members at `url`, created with `settings`, all in one group.
pub async fn room_of(url: &str, n: usize, settings: RoomSettings) -> Vec<Member> {
    let creator = ChatRoom::create_with(url, Admission::Open, settings)
        .await
        .unwrap();
    let invite = creator.invite().unwrap().clone();
    let mut members = vec![Member::spawn(creator)];
    for _ in 1..n {
        members.push(Member::spawn(ChatRoom::join(url, &invite).await.unwrap()));
    }
    wait_for_group(&members, n).await;
    members
}

/// Waits until every member's group has `n` members.
pub async fn wait_for_group(members: &[Member], n: usize) {
    let all_in = async {
        loop {
            let mut sizes = Vec::new();
            for member in members {
                sizes.push(member.roster().await.len());
            }
            if sizes.iter().all(|size| *size == n) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(30), all_in)
        .await
        .expect("everyone in one group within 30 s");
}

/// `len` bytes that are not all alike.
pub fn file_bytes(len: usize) -> Vec<u8> {
    let mut state = 0x2545_f491_u32;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state as u8
        })
        .collect()
}
