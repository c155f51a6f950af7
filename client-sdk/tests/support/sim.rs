//! An in-memory room: every payload a session sends is delivered to every other member, in
//! order, as the gateway would relay it.

use std::collections::{BTreeMap, VecDeque};

use anoghost_sdk::crypto::body::Body;
use anoghost_sdk::crypto::secret::RoomSecret;
use anoghost_sdk::crypto::session::{Outcome, RoomSession, SessionEvent};
use anoghost_sdk::crypto::CryptoError;
use rand::rngs::OsRng;

pub const ROOM: u32 = 0xA2F7_5864;

pub struct SimRoom {
    secret: Option<RoomSecret>,
    pub sessions: BTreeMap<u16, RoomSession>,
    /// Messages each member decrypted, in order: (from, text).
    pub inbox: BTreeMap<u16, Vec<(u16, String)>>,
    /// Every event each member saw.
    pub events: BTreeMap<u16, Vec<SessionEvent>>,
}

impl SimRoom {
    pub fn new(secret: Option<RoomSecret>) -> Self {
        Self {
            secret,
            sessions: BTreeMap::new(),
            inbox: BTreeMap::new(),
            events: BTreeMap::new(),
        }
    }

    /// `member` joins; its announcement and every reply are delivered until all is quiet.
    pub fn join(&mut self, member: u16) {
        let present: Vec<u16> = self.sessions.keys().copied().collect();
        let (session, announcement) =
            RoomSession::join(ROOM, member, &present, self.secret.as_ref(), &mut OsRng);
        self.sessions.insert(member, session);
        self.broadcast(member, announcement);
    }

    /// `member` leaves; the others rotate and their new chains are delivered.
    pub fn leave(&mut self, member: u16) -> RoomSession {
        let gone = self.sessions.remove(&member).unwrap();
        let others: Vec<u16> = self.sessions.keys().copied().collect();
        for other in others {
            let outcome = self
                .sessions
                .get_mut(&other)
                .unwrap()
                .member_left(member, &mut OsRng);
            self.route(other, outcome);
        }
        gone
    }

    /// `from` encrypts a text message; it is not delivered.
    pub fn encrypt(&mut self, from: u16, text: &str) -> Vec<u8> {
        self.sessions
            .get_mut(&from)
            .unwrap()
            .encrypt(&Body::Text(text.into()), 0)
            .unwrap()
    }

    /// Delivers one payload from `from` to `to` only; replies are routed to everyone.
    pub fn deliver_to(&mut self, to: u16, from: u16, payload: &[u8]) -> Result<(), CryptoError> {
        let outcome = self
            .sessions
            .get_mut(&to)
            .unwrap()
            .receive(from, payload, &mut OsRng)?;
        self.record(to, &outcome);
        self.route(to, outcome);
        Ok(())
    }

    /// Delivers `payload` from `from` to every other member, then everything it triggers.
    pub fn broadcast(&mut self, from: u16, payload: Vec<u8>) {
        let mut queue = VecDeque::from([(from, payload)]);
        while let Some((sender, payload)) = queue.pop_front() {
            let recipients: Vec<u16> = self
                .sessions
                .keys()
                .copied()
                .filter(|m| *m != sender)
                .collect();
            for to in recipients {
                let session = self.sessions.get_mut(&to).unwrap();
                if let Ok(outcome) = session.receive(sender, &payload, &mut OsRng) {
                    self.record(to, &outcome);
                    queue.extend(outcome.outgoing.into_iter().map(|p| (to, p)));
                }
            }
        }
    }

    fn route(&mut self, from: u16, outcome: Outcome) {
        for payload in outcome.outgoing {
            self.broadcast(from, payload);
        }
    }

    fn record(&mut self, member: u16, outcome: &Outcome) {
        for event in &outcome.events {
            if let SessionEvent::Message {
                from,
                body: Body::Text(text),
                ..
            } = event
            {
                self.inbox
                    .entry(member)
                    .or_default()
                    .push((*from, text.clone()));
            }
            self.events.entry(member).or_default().push(event.clone());
        }
    }

    /// `from` sends `text` to everyone.
    pub fn say(&mut self, from: u16, text: &str) {
        let payload = self.encrypt(from, text);
        self.broadcast(from, payload);
    }

    /// What `member` has read.
    pub fn read_by(&self, member: u16) -> Vec<(u16, String)> {
        self.inbox.get(&member).cloned().unwrap_or_default()
    }
}
