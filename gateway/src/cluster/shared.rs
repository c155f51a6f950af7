//! What the gateways of one cluster share besides rooms, so a client may reach any of them:
//!
//! - **Sign-in nonces.** Every gateway issues them under one key derived from the cluster
//!   secret (a challenge fetched from one gateway is answered on another), and announces each
//!   nonce it accepts on `ag.spent`, so the others refuse it too. Two sign-ins with one nonce
//!   on two gateways within a NATS round trip can both pass: a replay needs the wallet's
//!   signature, which only travels inside the TLS connection it was made for.
//! - **The ghostId key chain.** A ghostId issued by one gateway must open on the gateway an
//!   initiator creates the paid room on. The chain is never derived from the cluster secret
//!   (then anyone holding the secret could open every old ghostId): it starts random on one
//!   gateway, and a gateway that joins asks for it on `ag.ghost` with a fresh X25519 key; the
//!   answer is HPKE-sealed to that key (RFC 9180, as `docs/crypto.md` uses it), so a recording
//!   of NATS traffic opens nothing even with the cluster secret. The chain then moves forward
//!   on every gateway alike, dropping old keys. If two gateways started chains at once, the
//!   heartbeats show it (each carries its chain's origin and a hash mark) and the one with
//!   the higher origin adopts the other's.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use hpke::aead::AesGcm128;
use hpke::kdf::HkdfSha256;
use hpke::kem::X25519HkdfSha256;
use hpke::{Deserializable, Kem, OpModeR, OpModeS, Serializable};
use zeroize::Zeroizing;

use super::wire::{ChainMark, GhostAsk, GhostChain};
use super::Cluster;
use crate::auth::SpentNonce;
use crate::rooms::NodeId;
use crate::secret::SecretBytes32;
use crate::state::{unix_now, Gateway};

/// Where accepted sign-in nonces are announced.
pub(super) const SPENT: &str = "ag.spent";
/// Where a gateway asks for the ghostId key chain.
pub(super) const GHOST_CHAIN: &str = "ag.ghost";
/// HPKE `info` of a ghost chain handed over.
const CHAIN_INFO: &[u8] = b"anoghost/cluster/ghost-chain/v1";
/// How long a gateway waits for the chain before keeping its own.
const ASK_TIMEOUT: Duration = Duration::from_secs(1);

type ChainKem = X25519HkdfSha256;

impl Cluster {
    /// Tells the other gateways that `nonce` was spent here.
    pub fn announce_spent(&self, nonce: SpentNonce) {
        self.transport.send(SPENT, SPENT, &nonce);
    }

    pub(super) fn on_spent(&self, gateway: &Gateway, payload: &[u8]) {
        if let Some(nonce) = self.transport.open::<SpentNonce>(SPENT, payload) {
            gateway.nonces.mark_spent(nonce, unix_now());
        }
    }

    /// This gateway's chain, as its heartbeat shows it.
    pub(super) fn chain_mark(&self, gateway: &Gateway) -> ChainMark {
        let (epoch, mark) = gateway.ghost_mark();
        ChainMark {
            origin: self.chain_origin.load(Ordering::Acquire),
            epoch,
            mark,
        }
    }

    /// A peer's heartbeat showed its chain: if it is another chain of a lower origin, this
    /// gateway adopts it.
    pub(super) fn on_peer_chain(self: &Arc<Self>, gateway: &Arc<Gateway>, theirs: ChainMark) {
        let ours = self.chain_mark(gateway);
        let other_chain = theirs.epoch == ours.epoch && theirs.mark != ours.mark;
        if ours.origin == 0 || theirs.origin == 0 || !other_chain || theirs.origin >= ours.origin {
            return;
        }
        if !self.asking.swap(true, Ordering::AcqRel) {
            tokio::spawn(
                self.clone()
                    .ask_for_chain(gateway.clone(), Some(theirs.origin)),
            );
        }
    }

    /// Asks the cluster for the ghost chain (of origin `want`, or any); keeps its own,
    /// becoming its origin, when nobody answers.
    pub(super) async fn ask_for_chain(
        self: Arc<Self>,
        gateway: Arc<Gateway>,
        want: Option<NodeId>,
    ) {
        let (secret, public) = ChainKem::gen_keypair(&mut rand::rngs::OsRng);
        let mut reply_key = [0u8; 32];
        reply_key.copy_from_slice(&public.to_bytes());
        let ask = GhostAsk {
            node: self.transport.node(),
            want,
            reply_key,
        };
        let request = self
            .transport
            .seal(GHOST_CHAIN, &ask)
            .map(|sealed| self.transport.client.request(GHOST_CHAIN, sealed));
        let answer = match request {
            Some(request) => tokio::time::timeout(ASK_TIMEOUT, request).await.ok(),
            // An ask is a few dozen bytes: it always seals.
            None => None,
        };
        let answer = match answer {
            Some(Ok(reply)) => self
                .transport
                .open::<GhostChain>(&super::transport::reply_aad(GHOST_CHAIN), &reply.payload),
            _ => None,
        };
        let adopted = answer.and_then(|chain| {
            let key = open_chain(&chain, &secret, &reply_key)?;
            gateway.adopt_ghost_chain(chain.epoch, key);
            Some(chain.origin)
        });
        match adopted {
            Some(origin) => {
                self.chain_origin.store(origin, Ordering::Release);
                tracing::info!("cluster: adopted the cluster's ghostId key chain");
            }
            None if want.is_none() => {
                self.chain_origin
                    .store(self.transport.node(), Ordering::Release);
            }
            None => {}
        }
        self.asking.store(false, Ordering::Release);
    }

    /// Answers another gateway's ask with this gateway's chain, sealed to its key.
    pub(super) fn on_chain_ask(&self, gateway: &Gateway, message: &async_nats::Message) {
        let Some(ask) = self
            .transport
            .open::<GhostAsk>(GHOST_CHAIN, &message.payload)
        else {
            return;
        };
        let origin = self.chain_origin.load(Ordering::Acquire);
        let holds_it = origin != 0 && ask.want.is_none_or(|want| want == origin);
        let (Some(reply), true) = (&message.reply, holds_it) else {
            return;
        };
        let (epoch, key) = gateway.ghost_chain();
        let Some(chain) = seal_chain(origin, epoch, &key, &ask.reply_key) else {
            return;
        };
        let aad = super::transport::reply_aad(GHOST_CHAIN);
        self.transport.send(reply, &aad, &chain);
    }
}

/// Associated data binding a sealed chain key to its origin, epoch and recipient.
fn chain_aad(origin: NodeId, epoch: u64, reply_key: &[u8; 32]) -> Vec<u8> {
    let mut aad = Vec::with_capacity(48);
    aad.extend_from_slice(&origin.to_be_bytes());
    aad.extend_from_slice(&epoch.to_be_bytes());
    aad.extend_from_slice(reply_key);
    aad
}

fn seal_chain(
    origin: NodeId,
    epoch: u64,
    key: &SecretBytes32,
    reply_key: &[u8; 32],
) -> Option<GhostChain> {
    let public = <ChainKem as Kem>::PublicKey::from_bytes(reply_key).ok()?;
    let (encapped, sealed) = hpke::single_shot_seal::<AesGcm128, HkdfSha256, ChainKem, _>(
        &OpModeS::Base,
        &public,
        CHAIN_INFO,
        key.expose(),
        &chain_aad(origin, epoch, reply_key),
        &mut rand::rngs::OsRng,
    )
    .ok()?;
    let mut enc = [0u8; 32];
    enc.copy_from_slice(&encapped.to_bytes());
    Some(GhostChain {
        origin,
        epoch,
        enc,
        sealed,
    })
}

fn open_chain(
    chain: &GhostChain,
    secret: &<ChainKem as Kem>::PrivateKey,
    reply_key: &[u8; 32],
) -> Option<SecretBytes32> {
    let encapped = <ChainKem as Kem>::EncappedKey::from_bytes(&chain.enc).ok()?;
    let opened = Zeroizing::new(
        hpke::single_shot_open::<AesGcm128, HkdfSha256, ChainKem>(
            &OpModeR::Base,
            secret,
            &encapped,
            CHAIN_INFO,
            &chain.sealed,
            &chain_aad(chain.origin, chain.epoch, reply_key),
        )
        .ok()?,
    );
    let key: [u8; 32] = opened.as_slice().try_into().ok()?;
    Some(SecretBytes32::new(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chain_opens_only_with_the_askers_key_and_for_its_origin_and_epoch() {
        let (secret, public) = ChainKem::gen_keypair(&mut rand::rngs::OsRng);
        let mut reply_key = [0u8; 32];
        reply_key.copy_from_slice(&public.to_bytes());
        let key = SecretBytes32::new([9; 32]);
        let chain = seal_chain(7, 100, &key, &reply_key).unwrap();
        assert!(!chain.sealed.windows(32).any(|w| w == [9; 32]));
        let opened = open_chain(&chain, &secret, &reply_key).unwrap();
        assert_eq!(opened.expose(), key.expose());

        let (other, _) = ChainKem::gen_keypair(&mut rand::rngs::OsRng);
        assert!(
            open_chain(&chain, &other, &reply_key).is_none(),
            "another key"
        );
        let mut moved = chain.clone();
        moved.epoch = 101;
        assert!(
            open_chain(&moved, &secret, &reply_key).is_none(),
            "another epoch"
        );
        let mut renamed = chain;
        renamed.origin = 8;
        assert!(
            open_chain(&renamed, &secret, &reply_key).is_none(),
            "another origin"
        );
    }
}
