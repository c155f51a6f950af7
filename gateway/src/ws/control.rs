//! Control messages: one handler per message type.

use std::time::Instant;

use time::OffsetDateTime;

use super::connection::{Connection, Flow, Membership};
use anchor_lang::prelude::Pubkey;

use crate::auth::siws::{verify_signature, SiwsMessage};
use crate::paid::minting::CreateError;
use crate::paid::{check_key, KeyRefused};
use crate::protocol::{ClientMessage, ErrorCode, ServerMessage, PROTOCOL_VERSION};
use crate::rooms::{JoinError, Joined, RoomKey, ROOM_CODES};

/// Most ghostIds one `presence` request may ask about.
pub const MAX_PRESENCE_IDS: usize = 64;

impl Connection {
    /// Handles one control message.
    pub(super) async fn on_control(&mut self, text: &str) -> Flow {
        let message = match ClientMessage::parse(text) {
            Ok(message) => message,
            Err(code) => return self.reply(ServerMessage::error(code)).await,
        };
        if !self.said_hello && !matches!(message, ClientMessage::Hello { .. }) {
            return self
                .reply(ServerMessage::error(ErrorCode::HelloRequired))
                .await;
        }
        let answer = match message {
            ClientMessage::Hello { v } => self.hello(v),
            ClientMessage::Auth { message, signature } => self.sign_in(&message, &signature),
            ClientMessage::GhostRotate {} => self.rotate_ghost(),
            ClientMessage::Presence { ghost_ids } => self.presence(&ghost_ids),
            ClientMessage::RoomCreate {} => self.create_room(),
            ClientMessage::RoomJoin { code } => self.join_room(&code),
            ClientMessage::RoomJoinPaid { mint } => self.join_paid_room(&mint).await,
            ClientMessage::RoomCreatePaid {
                name,
                escrow_nonce,
                invitees,
            } => match self.create_paid_room(name, &escrow_nonce, &invitees) {
                // The reply comes from the minting task, through the outbound queue.
                Ok(()) => return Flow::Continue,
                Err(code) => Err(code),
            },
            ClientMessage::RoomLeave { room } => self.leave_room(room),
        };
        let message = answer.unwrap_or_else(ServerMessage::error);
        self.reply(message).await
    }

    fn hello(&mut self, version: u8) -> Result<ServerMessage, ErrorCode> {
        if self.said_hello {
            return Err(ErrorCode::AlreadyHello);
        }
        if version != PROTOCOL_VERSION {
            return Err(ErrorCode::UnsupportedVersion);
        }
        self.said_hello = true;
        let config = &self.gateway.config;
        Ok(ServerMessage::Welcome {
            v: PROTOCOL_VERSION,
            limits: config.limits(),
            ghost_period_secs: config.ghost_period_secs,
            ghost_window: config.ghost_window as usize,
        })
    }

    fn sign_in(&mut self, text: &str, signature: &str) -> Result<ServerMessage, ErrorCode> {
        if self.wallet.is_some() {
            return Err(ErrorCode::AlreadyAuthenticated);
        }
        let message = SiwsMessage::parse(text)?;
        message.check(&self.gateway.config.domain, OffsetDateTime::now_utc())?;
        verify_signature(&message.address, text, signature)?;
        // The nonce is spent last, so a message refused for any other reason cannot burn it.
        self.gateway
            .nonces
            .consume(&message.nonce, &message.address, Instant::now())?;
        let ghost_id = self.gateway.issue_ghost(&message.address);
        self.wallet = Some(message.address);
        tracing::debug!("sign-in accepted");
        Ok(ServerMessage::Authenticated { ghost_id })
    }

    fn rotate_ghost(&mut self) -> Result<ServerMessage, ErrorCode> {
        let wallet = self.wallet.as_ref().ok_or(ErrorCode::NotAuthenticated)?;
        Ok(ServerMessage::Ghost {
            ghost_id: self.gateway.issue_ghost(wallet),
        })
    }

    fn presence(&mut self, ghost_ids: &[String]) -> Result<ServerMessage, ErrorCode> {
        if self.wallet.is_none() {
            return Err(ErrorCode::NotAuthenticated);
        }
        if ghost_ids.len() > MAX_PRESENCE_IDS {
            return Err(ErrorCode::TooManyGhostIds);
        }
        let present = ghost_ids
            .iter()
            .map(|id| self.gateway.ghost_is_present(id))
            .collect();
        Ok(ServerMessage::Presence { present })
    }

    fn create_room(&mut self) -> Result<ServerMessage, ErrorCode> {
        self.check_room_slot()?;
        let joined = self
            .gateway
            .rooms
            .create_free(self.handle.clone())
            .map_err(join_error_code)?;
        tracing::debug!(rooms = self.gateway.rooms.room_count(), "room created");
        Ok(self.enter(joined))
    }

    fn join_room(&mut self, code: &str) -> Result<ServerMessage, ErrorCode> {
        self.check_join_budget()?;
        let key = parse_room_code(code).ok_or(ErrorCode::RoomNotFound)?;
        if self.memberships.values().any(|m| m.key == key) {
            return Err(ErrorCode::AlreadyInRoom);
        }
        self.check_room_slot()?;
        let joined = self
            .gateway
            .rooms
            .join(key, self.handle.clone())
            .map_err(join_error_code)?;
        Ok(self.enter(joined))
    }

    /// Starts minting a paid room's keys in the background; the result arrives later as
    /// `paid_room_created` (or an `error`), so this connection keeps serving meanwhile.
    fn create_paid_room(
        &mut self,
        name: String,
        escrow_nonce: &str,
        invitees: &[String],
    ) -> Result<(), ErrorCode> {
        let initiator = self.wallet.clone().ok_or(ErrorCode::NotAuthenticated)?;
        if self.gateway.paid.is_none() {
            return Err(ErrorCode::PaidRoomsUnavailable);
        }
        if invitees.len() > MAX_PRESENCE_IDS {
            return Err(ErrorCode::TooManyGhostIds);
        }
        let mut nonce = [0u8; 32];
        match bs58::decode(escrow_nonce).onto(&mut nonce) {
            Ok(32) => {}
            _ => return Err(ErrorCode::EscrowNotFound),
        }
        // Opening a ghostId yields its wallet in memory only, for this request.
        let opened: Vec<_> = invitees
            .iter()
            .map(|ghost| self.gateway.open_ghost(ghost))
            .collect();
        let gateway = self.gateway.clone();
        let reply_to = self.handle.clone();
        tokio::spawn(async move {
            let Some(paid) = gateway.paid.as_ref() else {
                return;
            };
            let result = paid
                .minter
                .create_room(
                    paid.chain.as_ref(),
                    &paid.sealer,
                    &initiator,
                    nonce,
                    &name,
                    &opened,
                )
                .await;
            let reply = match result {
                Ok(mints) => ServerMessage::PaidRoomCreated {
                    mints: mints.iter().map(|m| m.map(|m| m.to_string())).collect(),
                },
                Err(error) => ServerMessage::error(create_error_code(&error)),
            };
            tracing::debug!("paid room minted");
            reply_to.deliver(crate::rooms::Outbound::Text(reply.to_json().into()));
        });
        Ok(())
    }

    /// Checks the key on chain, opens its room seal and joins that room.
    async fn join_paid_room(&mut self, mint: &str) -> Result<ServerMessage, ErrorCode> {
        let wallet = self.wallet.clone().ok_or(ErrorCode::NotAuthenticated)?;
        let gateway = self.gateway.clone();
        let paid = gateway
            .paid
            .as_ref()
            .ok_or(ErrorCode::PaidRoomsUnavailable)?;
        self.check_join_budget()?;
        let mint = mint.parse::<Pubkey>().map_err(|_| ErrorCode::KeyRefused)?;
        let room_id = match check_key(paid.chain.as_ref(), &paid.sealer, &wallet, mint).await {
            Ok(room_id) => room_id,
            Err(KeyRefused::Invalid(_)) => return Err(ErrorCode::KeyRefused),
            Err(KeyRefused::Chain(_)) => return Err(ErrorCode::ChainUnavailable),
        };
        let key = RoomKey::Paid(room_id);
        if self.memberships.values().any(|m| m.key == key) {
            return Err(ErrorCode::AlreadyInRoom);
        }
        self.check_room_slot()?;
        let joined = gateway
            .rooms
            .join_paid(room_id, self.handle.clone())
            .map_err(join_error_code)?;
        tracing::debug!("paid room joined");
        Ok(self.enter(joined))
    }

    fn leave_room(&mut self, room: u32) -> Result<ServerMessage, ErrorCode> {
        let membership = self.memberships.remove(&room).ok_or(ErrorCode::NotInRoom)?;
        self.leave(membership);
        Ok(ServerMessage::Left { room })
    }

    /// Records a membership, tells the room, and builds the `joined` reply.
    fn enter(&mut self, joined: Joined) -> ServerMessage {
        let reference = joined.room.reference();
        let announcement = ServerMessage::MemberJoined {
            room: reference,
            member: joined.member,
        };
        joined
            .room
            .announce(joined.member, announcement.to_json().into());
        let code = match joined.key {
            RoomKey::Free(code) => Some(format!("{code:06}")),
            RoomKey::Paid(_) => None,
        };
        self.memberships.insert(
            reference,
            Membership {
                key: joined.key,
                room: joined.room,
                member: joined.member,
            },
        );
        ServerMessage::Joined {
            room: reference,
            code,
            member: joined.member,
            members: joined.others,
        }
    }

    fn check_room_slot(&self) -> Result<(), ErrorCode> {
        if self.memberships.len() >= self.gateway.config.max_rooms_per_connection {
            return Err(ErrorCode::TooManyRoomsPerConnection);
        }
        Ok(())
    }

    /// Join attempts are limited per connection and per address, so guessing codes is slow.
    fn check_join_budget(&mut self) -> Result<(), ErrorCode> {
        let now = Instant::now();
        let config = &self.gateway.config;
        if !self.join_window.try_record(config.joins_per_minute, now) {
            return Err(ErrorCode::JoinRateLimited);
        }
        if let Some(ip) = self.peer_ip {
            if !self.gateway.join_limiter.try_record(ip, now) {
                return Err(ErrorCode::JoinRateLimited);
            }
        }
        Ok(())
    }
}

/// Parses six ASCII digits into a free-room key.
fn parse_room_code(code: &str) -> Option<RoomKey> {
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let value: u32 = code.parse().ok()?;
    (value < ROOM_CODES).then_some(RoomKey::Free(value))
}

fn create_error_code(error: &CreateError) -> ErrorCode {
    match error {
        CreateError::EscrowNotFound => ErrorCode::EscrowNotFound,
        CreateError::EscrowTooSmall => ErrorCode::EscrowTooSmall,
        CreateError::EscrowUsed => ErrorCode::EscrowUsed,
        CreateError::BadName => ErrorCode::BadRoomName,
        CreateError::Chain(_) => ErrorCode::ChainUnavailable,
    }
}

fn join_error_code(error: JoinError) -> ErrorCode {
    match error {
        JoinError::NotFound => ErrorCode::RoomNotFound,
        JoinError::Full => ErrorCode::RoomFull,
        JoinError::TooManyRooms => ErrorCode::TooManyRooms,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn room_codes_are_exactly_six_digits() {
        assert_eq!(parse_room_code("012345"), Some(RoomKey::Free(12345)));
        for bad in ["12345", "1234567", "12a456", "+12345", " 12345", "١٢٣٤٥٦"] {
            assert_eq!(parse_room_code(bad), None, "{bad}");
        }
    }
}
