//! Following a room another gateway orders: its events arrive on the room's events
//! subject. If the orderer goes away and this gateway is its successor, the same task
//! claims the ordering and goes on as the room's orderer.

use std::sync::Arc;

use async_nats::Subscriber;
use futures_util::StreamExt;

use super::claim::claim;
use super::link::ClusterLink;
use super::orderer::Orderer;
use super::wire::{Sequenced, Takeover};
use super::Cluster;
use crate::rooms::{Event, Kick, Room, RoomKey};
use crate::state::Gateway;
use crate::sync::lock;

/// Applies the room's events until it ends here, or this gateway takes its ordering over.
pub(super) async fn follow(
    cluster: Arc<Cluster>,
    gateway: Arc<Gateway>,
    key: RoomKey,
    room: Arc<Room>,
    link: Arc<ClusterLink>,
    mut subscription: Subscriber,
) {
    let subject = link.subjects.events.clone();
    loop {
        let message = tokio::select! {
            () = link.ended.notified() => return,
            () = link.promoted.notified() => break,
            message = subscription.next() => match message {
                Some(message) => message,
                None => return,
            },
        };
        let Some(sequenced) = cluster
            .transport
            .open::<Sequenced>(&subject, &message.payload)
        else {
            continue;
        };
        let may_end = matches!(sequenced.event, Event::Left { .. });
        let applied = room.follow(
            sequenced.incarnation,
            sequenced.orderer,
            sequenced.seq,
            sequenced.event,
        );
        if let Err(broken) = applied {
            tracing::warn!("cluster: {broken}; the room closes on this gateway");
            room.close_here(Kick::ClusterUnavailable);
            gateway.rooms.remove(key, &room);
            return;
        }
        if may_end {
            gateway.rooms.remove_if_done(key, &room);
        }
    }
    drop(subscription);
    let Some(gone) = lock(&link.gone).take() else {
        return;
    };
    take_over(cluster, gateway, key, room, link, gone).await;
}

/// Claims the ordering of `room` from gateway `gone` and serves it.
async fn take_over(
    cluster: Arc<Cluster>,
    gateway: Arc<Gateway>,
    key: RoomKey,
    room: Arc<Room>,
    link: Arc<ClusterLink>,
    gone: crate::rooms::NodeId,
) {
    let takes_over = Takeover {
        from: gone,
        incarnation: room.incarnation(),
    };
    let claimed = claim(
        &cluster.transport,
        &cluster.nodes,
        &link.subjects,
        Some(takes_over),
    )
    .await;
    let claimed = match claimed {
        Ok(claimed) if room.take_over(gone) => claimed,
        _ => {
            // The old orderer answered after all, or the link is down: the room cannot be
            // kept in one order here.
            room.close_here(Kick::ClusterUnavailable);
            gateway.rooms.remove(key, &room);
            return;
        }
    };
    tracing::info!("cluster: took over a room's ordering");
    gateway.rooms.remove_if_done(key, &room);
    let orderer = Orderer::new(cluster, gateway, key, room, link);
    orderer.serve(claimed.subscription, claimed.held).await;
}
