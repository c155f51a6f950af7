//! The paid-room requests of [`GatewayClient`]: ghostIds for holders, presence, creating a
//! paid room, joining one with a held key; and burning a key through the gateway's HTTP
//! endpoint.

use std::time::Duration;

use anoghost_protocol::{ClientMessage, PaidInvitee, ServerMessage};
use base64::Engine as _;
use rand_core::{CryptoRng, RngCore};
use solana_sdk::hash::Hash;
use solana_sdk::message::Message;
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::{Keypair, Signature, Signer};
use solana_sdk::transaction::Transaction;

use super::client::{http_base, joined};
use super::{ClientError, GatewayClient, Joined};
use crate::paid::{GhostContact, InviteError, PaidInvite, RoomTag};

/// How long creating a paid room may take: the gateway mints every room's keys one at a
/// time, after random pauses, from one pool.
const MINT_TIMEOUT: Duration = Duration::from_secs(600);

/// Label of the proof that asks for a ghostId.
const GHOST_ISSUE_LABEL: &[u8] = b"anoghost/ghost-issue/v1";
/// Label of the proof that joins a paid room.
const PAID_JOIN_LABEL: &[u8] = b"anoghost/paid-join/v1";

/// The invitee entry for `contact`: its ghostId and `invite` sealed to its invite key.
pub fn paid_invitee(
    contact: &GhostContact,
    invite: &PaidInvite,
    rng: &mut (impl RngCore + CryptoRng),
) -> Result<PaidInvitee, InviteError> {
    let sealed = invite.seal(&contact.invite_key, rng)?;
    Ok(PaidInvitee {
        ghost_id: contact.ghost_id.clone(),
        invite: base64::engine::general_purpose::STANDARD.encode(sealed),
    })
}

/// `label ‖ challenge ‖ payload`, signed by `holder`: a proof that is good on the connection
/// whose challenge is `challenge` only.
fn holder_proof(holder: &Keypair, label: &[u8], challenge: &[u8; 32], payload: &[u8]) -> Signature {
    let mut message = label.to_vec();
    message.extend_from_slice(challenge);
    message.extend_from_slice(payload);
    holder.sign_message(&message)
}

/// `ghost_issue`'s proof that `holder` asks for a ghostId on the connection of `challenge`.
pub fn ghost_issue_proof(holder: &Keypair, challenge: &[u8; 32]) -> Signature {
    holder_proof(
        holder,
        GHOST_ISSUE_LABEL,
        challenge,
        holder.pubkey().as_ref(),
    )
}

/// `room_join_paid`'s proof that `holder` joins the room `room_tag` on the connection of
/// `challenge`.
pub fn paid_join_proof(holder: &Keypair, challenge: &[u8; 32], room_tag: &RoomTag) -> Signature {
    holder_proof(holder, PAID_JOIN_LABEL, challenge, room_tag)
}

impl GatewayClient {
    /// A ghostId for `holder`, which proves control of it on this connection. No sign-in:
    /// the gateway never learns the wallet behind the holder.
    pub async fn issue_ghost(&mut self, holder: &Keypair) -> Result<String, ClientError> {
        let address = holder.pubkey();
        let request = ClientMessage::GhostIssue {
            holder: address.to_string(),
            signature: ghost_issue_proof(holder, self.challenge()).to_string(),
        };
        match self.request(request).await? {
            ServerMessage::Ghost { ghost_id } => Ok(ghost_id),
            other => Err(ClientError::Protocol(format!("{other:?}"))),
        }
    }

    /// Asks which of `ghost_ids` this gateway issued within its window.
    pub async fn presence(&mut self, ghost_ids: &[String]) -> Result<Vec<bool>, ClientError> {
        let request = ClientMessage::Presence {
            ghost_ids: ghost_ids.to_vec(),
        };
        match self.request(request).await? {
            ServerMessage::Presence { present } => Ok(present),
            other => Err(ClientError::Protocol(format!("{other:?}"))),
        }
    }

    /// Has the gateway lock the signed-in wallet's escrow under `escrow_nonce` and mint one
    /// key per invitee. Returns, per invitee, whether its key was minted; never a mint
    /// address. Keys are minted from a pool shared by every room, so this can take minutes.
    pub async fn create_paid_room(
        &mut self,
        escrow_nonce: &[u8; 32],
        room_tag: &RoomTag,
        invitees: &[PaidInvitee],
    ) -> Result<Vec<bool>, ClientError> {
        let request = ClientMessage::RoomCreatePaid {
            escrow_nonce: bs58::encode(escrow_nonce).into_string(),
            room_tag: bs58::encode(room_tag).into_string(),
            invitees: invitees.to_vec(),
        };
        match self.request_within(request, MINT_TIMEOUT).await? {
            ServerMessage::PaidRoomCreated { minted } => Ok(minted),
            other => Err(ClientError::Protocol(format!("{other:?}"))),
        }
    }

    /// Joins the paid room with `room_tag` with the key `holder` holds.
    pub async fn join_paid_room(
        &mut self,
        holder: &Keypair,
        room_tag: &RoomTag,
    ) -> Result<Joined, ClientError> {
        let request = ClientMessage::RoomJoinPaid {
            holder: holder.pubkey().to_string(),
            room_tag: bs58::encode(room_tag).into_string(),
            signature: paid_join_proof(holder, self.challenge(), room_tag).to_string(),
        };
        joined(self.request(request).await?)
    }
}

/// Burns the key of `holder` through the gateway at `gateway_url` (its WebSocket URL),
/// which pays the fee as `gateway_authority` and gets both rents back: the holder signs
/// `key_burn` and needs no lamports. Returns the transaction signature.
pub async fn burn_key(
    gateway_url: &str,
    holder: &Keypair,
    gateway_authority: &Pubkey,
    blockhash: Hash,
) -> Result<String, ClientError> {
    let burn = anoghost_program_client::instructions::key_burn(&holder.pubkey(), gateway_authority);
    let message = Message::new_with_blockhash(&[burn], Some(gateway_authority), &blockhash);
    let mut transaction = Transaction::new_unsigned(message);
    transaction
        .try_partial_sign(&[holder], blockhash)
        .map_err(|e| ClientError::Protocol(e.to_string()))?;
    // unwrap: serialising a transaction into memory cannot fail.
    #[allow(clippy::unwrap_used)]
    let bytes = bincode::serialize(&transaction).unwrap();
    let url = format!("{}/v1/keys/burn", http_base(gateway_url)?);
    let failed = |reason: String| ClientError::Http {
        url: url.clone(),
        reason,
    };
    let response = super::tls::http_client(&url)?
        .post(&url)
        .json(&serde_json::json!({
            "transaction": base64::engine::general_purpose::STANDARD.encode(bytes),
        }))
        .send()
        .await
        .map_err(|e| failed(e.to_string()))?;
    let status = response.status();
    let body: serde_json::Value = response
        .json()
        .await
        .map_err(|e| failed(format!("the answer is not JSON: {e}")))?;
    match body["signature"].as_str() {
        Some(signature) if status.is_success() => Ok(signature.to_owned()),
        _ => Err(failed(format!(
            "HTTP {status}: {}",
            body["message"].as_str().unwrap_or_default()
        ))),
    }
}
