//! Becoming a room's orderer. Core NATS keeps no state, so nothing can say "this subject is
//! taken"; instead a gateway subscribes to the room's orderer subject, then asks everyone
//! else listening there, and listens for a claim window:
//!
//! - a gateway that already orders the room answers "established": the claimant backs off
//!   and joins it instead;
//! - two gateways creating the same room at once each hear the other (each subscribed before
//!   asking, and NATS delivers in order on one connection), and the lower node id wins;
//! - a gateway taking over from an orderer that went away claims as "established" (it holds
//!   the room's state) and backs off only from another established claimant. The old
//!   orderer, if it was not gone after all, does not answer such a claim: it closes the room
//!   on its side (its members get `cluster_unavailable`), so the room never has two orderers.
//!
//! Claims and their answers are published past the transport's queue, so a backlog of room
//! events cannot hold an answer back beyond the window.
//!
//! The window must outlast a round trip through NATS; two claims further apart than the
//! window never race, because the later one hears the earlier one's answer.

use std::time::Duration;

use async_nats::{Message, Subscriber};
use futures_util::StreamExt;

use super::keys::RoomSubjects;
use super::nodes::Nodes;
use super::transport::{answer_aad, Transport};
use super::wire::{ClaimAnswer, Takeover, ToOrderer};
use crate::rooms::NodeId;

/// How long a claimant listens for other orderers and claimants.
pub const CLAIM_WINDOW: Duration = Duration::from_millis(100);

/// Why a claim did not make this gateway the orderer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ClaimError {
    /// Raised if another gateway orders the room, or wins the race to.
    #[error("another gateway orders the room")]
    Lost,
    /// Raised if NATS could not be reached.
    #[error("the cluster could not be reached")]
    Unavailable,
}

/// A won claim: the subscription to the room's orderer subject, and what arrived on it
/// during the window (joins and inputs, to handle first, in order).
pub struct Claimed {
    /// The orderer subject's subscription.
    pub subscription: Subscriber,
    /// Messages that arrived during the window.
    pub held: Vec<Message>,
}

/// Claims the ordering of the room with `subjects` for this gateway; `takes_over` when it
/// already holds the room's state and takes the ordering over from a gateway gone.
pub async fn claim(
    transport: &Transport,
    nodes: &Nodes,
    subjects: &RoomSubjects,
    takes_over: Option<Takeover>,
) -> Result<Claimed, ClaimError> {
    let me = transport.node();
    let established = takes_over.is_some();
    let client = &transport.client;
    fn unavailable<E>(_: E) -> ClaimError {
        ClaimError::Unavailable
    }
    // Subscribe before asking, so a rival that asks after this sees this claim.
    let mut subscription = client
        .subscribe(subjects.orderer.clone())
        .await
        .map_err(unavailable)?;
    let inbox = client.new_inbox();
    let mut answers = client.subscribe(inbox.clone()).await.map_err(unavailable)?;
    let claim_id = rand::random::<u64>();
    let claim = ToOrderer::Claim {
        node: me,
        beat: transport.beat(),
        claim: claim_id,
        takes_over,
    };
    let sealed = transport
        .seal(&subjects.orderer, &claim)
        .ok_or(ClaimError::Unavailable)?;
    client
        .publish_with_reply(subjects.orderer.clone(), inbox, sealed)
        .await
        .map_err(unavailable)?;
    client.flush().await.map_err(unavailable)?;

    let our_answers = answer_aad(&subjects.orderer, claim_id);
    let beaten_by =
        |node: NodeId, theirs: bool| node != me && (theirs || (!established && node < me));
    let window = tokio::time::sleep(CLAIM_WINDOW);
    tokio::pin!(window);
    let mut held = Vec::new();
    loop {
        tokio::select! {
            () = &mut window => return Ok(Claimed { subscription, held }),
            answer = answers.next() => {
                let answer = answer.ok_or(ClaimError::Unavailable)?;
                if let Some(a) = transport.open::<ClaimAnswer>(&our_answers, &answer.payload) {
                    if beaten_by(a.node, a.established) {
                        return Err(ClaimError::Lost);
                    }
                }
            }
            message = subscription.next() => {
                let message = message.ok_or(ClaimError::Unavailable)?;
                match transport.open::<ToOrderer>(&subjects.orderer, &message.payload) {
                    // A rival's claim recorded long ago and replayed is not a rival.
                    Some(ToOrderer::Claim { node, beat, .. }) if !nodes.is_fresh(node, beat) => {}
                    Some(ToOrderer::Claim { node, claim, takes_over: rival, .. }) => {
                        let theirs = rival.is_some();
                        if let Some(reply) = &message.reply {
                            let ours = ClaimAnswer { node: me, established };
                            let theirs_aad = answer_aad(&subjects.orderer, claim);
                            transport.send_now(reply, &theirs_aad, &ours).await;
                        }
                        if beaten_by(node, theirs) {
                            return Err(ClaimError::Lost);
                        }
                    }
                    Some(_) => held.push(message),
                    None => {}
                }
            }
        }
    }
}
