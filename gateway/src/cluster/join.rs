//! Joining a room in a cluster: admitted by the room's orderer, wherever it runs. A room
//! ordered here admits at once; a room ordered elsewhere is asked over NATS, and this
//! gateway follows it from the snapshot the answer brings; a room nobody orders is created
//! by claiming it.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anoghost_protocol::ErrorCode;

use super::claim::{claim, ClaimError};
use super::follower::follow;
use super::keys::RoomSubjects;
use super::link::ClusterLink;
use super::orderer::Orderer;
use super::transport::Asked;
use super::wire::{JoinAnswer, ToOrderer, WireAdmission};
use super::Cluster;
use crate::rooms::{Admission, JoinError, JoinTarget, Joined, MemberHandle, Room, RoomKey};
use crate::state::Gateway;

/// How long a join waits for the orderer's answer.
const JOIN_TIMEOUT: Duration = Duration::from_secs(2);
/// Tries before giving up (a room that ends or changes hands while joining is retried).
const JOIN_ATTEMPTS: usize = 3;

/// One try's outcome.
enum Attempt {
    Joined(Joined),
    Refused(ErrorCode),
    /// Nobody orders the room.
    NoOrderer,
    Retry,
}

impl From<JoinError> for Attempt {
    fn from(error: JoinError) -> Self {
        Attempt::Refused(error.into())
    }
}

/// Everything one join is about.
struct Request<'a> {
    gateway: &'a Arc<Gateway>,
    target: JoinTarget,
    key: RoomKey,
    subjects: RoomSubjects,
    handle: &'a MemberHandle,
    admission: &'a Admission,
}

impl Cluster {
    /// Admits `handle` to the room `target` names, wherever in the cluster it is ordered.
    /// Fails with `cluster_unavailable` while this gateway cannot reach the others.
    pub async fn join(
        self: &Arc<Self>,
        gateway: &Arc<Gateway>,
        target: JoinTarget,
        handle: MemberHandle,
        admission: Admission,
    ) -> Result<Joined, ErrorCode> {
        let started = Instant::now();
        for _ in 0..JOIN_ATTEMPTS {
            if !self.transport.is_up() {
                return Err(ErrorCode::ClusterUnavailable);
            }
            let key = target.key(&gateway.rooms);
            let request = Request {
                gateway,
                target,
                key,
                subjects: self.transport.keys.subjects(&key),
                handle: &handle,
                admission: &admission,
            };
            // One join per room at a time on this gateway: the room's local state is
            // decided before the next one looks.
            let _serial = self.serialize(&request.subjects.orderer).await;
            let held = gateway.rooms.get(&key);
            let attempt = match (route(&target, held.as_deref()), held) {
                (Route::Here, Some(room)) => self.admit_here(&request, &room),
                (Route::Orderer, Some(room)) => match self.ask_orderer(&request, &room).await {
                    // The orderer is gone and its successor not there yet.
                    Attempt::NoOrderer => Attempt::Refused(ErrorCode::ClusterUnavailable),
                    attempt => attempt,
                },
                (Route::Create, _) => self.create(&request).await,
                (Route::Elsewhere, _) => self.join_elsewhere(&request).await,
                (Route::NewCode | Route::Here | Route::Orderer, _) => Attempt::Retry,
            };
            match attempt {
                Attempt::Joined(joined) => return Ok(joined),
                Attempt::Refused(ErrorCode::RoomNotFound) => {
                    // Whether the room is ordered here, elsewhere or nowhere, and whatever
                    // was wrong, the refusal comes no sooner than an admission to a room
                    // ordered elsewhere would: its timing tells a guesser nothing.
                    let wait = self.join_time().saturating_sub(started.elapsed());
                    tokio::time::sleep(wait).await;
                    return Err(ErrorCode::RoomNotFound);
                }
                Attempt::Refused(code) => return Err(code),
                Attempt::NoOrderer | Attempt::Retry => {}
            }
        }
        Err(ErrorCode::ClusterUnavailable)
    }

    fn admit_here(&self, request: &Request<'_>, room: &Arc<Room>) -> Attempt {
        let capacity = request.gateway.rooms.max_members();
        let me = self.transport.node();
        let handle = Some(request.handle.clone());
        match room.admit(me, 0, handle, request.admission, capacity) {
            Ok(admitted) => Attempt::Joined(Joined {
                room: room.clone(),
                key: request.key,
                member: admitted.member,
                others: admitted.others,
            }),
            Err(JoinError::NotFound) if room.is_retired() => Attempt::Retry,
            Err(error) => error.into(),
        }
    }

    /// Creates the room by claiming its ordering, then admits the creator.
    async fn create(self: &Arc<Self>, request: &Request<'_>) -> Attempt {
        let gateway = request.gateway;
        let claimed = match claim(&self.transport, &self.nodes, &request.subjects, None).await {
            Ok(claimed) => claimed,
            // Someone orders that room: a new free room tries another code; a paid room
            // is joined where it is ordered.
            Err(ClaimError::Lost) => return Attempt::Retry,
            Err(ClaimError::Unavailable) => return Attempt::Refused(ErrorCode::ClusterUnavailable),
        };
        let link = ClusterLink::new(self.transport.clone(), request.subjects.clone());
        let me = self.transport.node();
        let verifier = request.target.verifier();
        let incarnation = rand::random();
        let elsewhere = self.nodes.rooms_elsewhere();
        let inserted = gateway
            .rooms
            .insert(request.key, elsewhere, true, |reference| {
                Room::ordered_here(reference, verifier, me, link.clone(), incarnation)
            });
        let room = match inserted {
            Ok((room, true)) => room,
            Ok((_, false)) => return Attempt::Retry,
            Err(error) => return error.into(),
        };
        let orderer = Orderer::new(
            self.clone(),
            gateway.clone(),
            request.key,
            room.clone(),
            link,
        );
        tokio::spawn(orderer.serve(claimed.subscription, claimed.held));
        self.admit_here(request, &room)
    }

    /// Starts following the room, asks its orderer, and creates it if nobody orders it.
    async fn join_elsewhere(self: &Arc<Self>, request: &Request<'_>) -> Attempt {
        let gateway = request.gateway;
        let link = ClusterLink::new(self.transport.clone(), request.subjects.clone());
        let me = self.transport.node();
        let inserted = gateway.rooms.insert(request.key, 0, false, |reference| {
            Room::followed(reference, me, link.clone())
        });
        let room = match inserted {
            Ok((room, true)) => room,
            Ok((_, false)) => return Attempt::Retry,
            Err(error) => return error.into(),
        };
        // Subscribed before asking: every event after the admission reaches this gateway.
        let events = self
            .transport
            .client
            .subscribe(request.subjects.events.clone())
            .await;
        let Ok(events) = events else {
            gateway.rooms.remove(request.key, &room);
            return Attempt::Refused(ErrorCode::ClusterUnavailable);
        };
        let follower = follow(
            self.clone(),
            gateway.clone(),
            request.key,
            room.clone(),
            link.clone(),
            events,
        );
        tokio::spawn(follower);
        match self.ask_orderer(request, &room).await {
            Attempt::NoOrderer => {
                room.close_here(crate::rooms::Kick::ClusterUnavailable);
                gateway.rooms.remove(request.key, &room);
                if request.target.creates() {
                    return self.create(request).await;
                }
                Attempt::Refused(ErrorCode::RoomNotFound)
            }
            attempt => attempt,
        }
    }

    /// Asks the orderer of a room followed here to admit the joiner.
    async fn ask_orderer(&self, request: &Request<'_>, room: &Arc<Room>) -> Attempt {
        let gateway = request.gateway;
        let join_id = rand::random::<u64>().max(1);
        room.expect_join(join_id, request.handle.clone());
        let ask = ToOrderer::Join {
            node: self.transport.node(),
            beat: self.transport.beat(),
            join_id,
            admission: wire_admission(request.admission),
        };
        let subject = &request.subjects.orderer;
        let started = Instant::now();
        let answer = match self
            .transport
            .ask::<JoinAnswer>(subject, join_id, &ask, JOIN_TIMEOUT)
            .await
        {
            Asked::Answer(answer) => Some(answer),
            Asked::NoResponders => {
                room.forget_join(join_id);
                gateway.rooms.remove_if_done(request.key, room);
                return Attempt::NoOrderer;
            }
            Asked::NoAnswer => None,
        };
        let outcome = match answer {
            Some(JoinAnswer::Admitted {
                member,
                others,
                snapshot,
            }) => {
                self.record_join_time(started.elapsed());
                if room.install(snapshot).is_err() {
                    room.close_here(crate::rooms::Kick::ClusterUnavailable);
                    gateway.rooms.remove(request.key, room);
                    return Attempt::Refused(ErrorCode::ClusterUnavailable);
                }
                return Attempt::Joined(Joined {
                    room: room.clone(),
                    key: request.key,
                    member,
                    others,
                });
            }
            Some(JoinAnswer::NotFound) => Attempt::Refused(ErrorCode::RoomNotFound),
            Some(JoinAnswer::Full) => Attempt::Refused(ErrorCode::RoomFull),
            Some(JoinAnswer::Ended) => Attempt::Retry,
            None => {
                // No answer: if the orderer admitted the joiner anyway, it leaves again.
                room.abandon(join_id);
                gateway.rooms.remove_if_done(request.key, room);
                return Attempt::Refused(ErrorCode::ClusterUnavailable);
            }
        };
        room.forget_join(join_id);
        gateway.rooms.remove_if_done(request.key, room);
        outcome
    }

    /// The usual time an orderer takes to answer a join.
    fn join_time(&self) -> Duration {
        Duration::from_micros(self.join_micros.load(Ordering::Relaxed))
    }

    fn record_join_time(&self, took: Duration) {
        // A moving average, weighted 1/8 to the newest.
        let took = u64::try_from(took.as_micros()).unwrap_or(u64::MAX);
        let old = self.join_micros.load(Ordering::Relaxed);
        let new = if old == 0 {
            took
        } else {
            old - old / 8 + took / 8
        };
        self.join_micros.store(new, Ordering::Relaxed);
    }
}

/// Where a join goes, given the room this gateway holds under the target's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route {
    /// Admitted by this gateway, which orders the room.
    Here,
    /// Asked of the room's orderer, which this gateway follows.
    Orderer,
    /// A new free room: created by claiming it.
    Create,
    /// Asked of whichever gateway orders it (or created, if it may be and nobody does).
    Elsewhere,
    /// A new free room whose fresh code turned out taken (another join created a room
    /// under it in between): another code is tried. The creator brings no invite proof, so
    /// it must never enter a room that already exists.
    NewCode,
}

fn route(target: &JoinTarget, held: Option<&Room>) -> Route {
    let new_free = matches!(target, JoinTarget::NewFree(_));
    match held {
        Some(_) if new_free => Route::NewCode,
        Some(room) if room.is_ordered_here() => Route::Here,
        Some(_) => Route::Orderer,
        None if new_free => Route::Create,
        None => Route::Elsewhere,
    }
}

fn wire_admission(admission: &Admission) -> WireAdmission {
    match admission {
        Admission::Proof { message, signature } => WireAdmission::Proof {
            message: message.clone(),
            signature: signature.map(|s| s.to_bytes().to_vec()),
        },
        Admission::Creator | Admission::Checked => WireAdmission::Checked,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rooms::{Event, Input, NodeId, RoomLink};

    /// A link that sends nothing anywhere.
    #[derive(Debug)]
    struct Silent;

    impl RoomLink for Silent {
        fn publish(&self, _: u64, _: NodeId, _: u64, _: &Event) -> bool {
            true
        }
        fn forward(&self, _: u64, _: NodeId, _: &Input) -> bool {
            true
        }
        fn ended(&self) {}
        fn promote(&self, _: NodeId) {}
    }

    #[test]
    fn a_new_free_room_whose_code_is_taken_tries_another_code_and_enters_nothing() {
        let verifier = ed25519_dalek::SigningKey::from_bytes(&[7; 32]).verifying_key();
        let new_free = JoinTarget::NewFree(verifier);
        let ordered = Room::ordered_here(1, Some(verifier), 10, Arc::new(Silent), 5);
        let followed = Room::followed(2, 10, Arc::new(Silent));
        assert_eq!(route(&new_free, Some(&ordered)), Route::NewCode);
        assert_eq!(route(&new_free, Some(&followed)), Route::NewCode);
        assert_eq!(route(&new_free, None), Route::Create);

        let free = JoinTarget::Free(123_456);
        assert_eq!(route(&free, Some(&ordered)), Route::Here);
        assert_eq!(route(&free, Some(&followed)), Route::Orderer);
        assert_eq!(route(&free, None), Route::Elsewhere);
    }
}
