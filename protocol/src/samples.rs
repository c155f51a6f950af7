//! One of every control message, with every optional part present: the shared fixtures of
//! the round-trip tests here and of the cross-crate test that feeds the SDK's encoding to
//! the gateway's decoder and back.

use crate::limits::{GHOST_ID_MAX_CHARS, INVITE_CHARS};
use crate::{ClientMessage, ErrorCode, Limits, PaidInvitee, ServerMessage};

fn ghost_id() -> String {
    "4".repeat(GHOST_ID_MAX_CHARS)
}

/// An invitee with a ghostId and an invite of the longest length.
pub fn paid_invitee() -> PaidInvitee {
    PaidInvitee {
        ghost_id: ghost_id(),
        invite: "A".repeat(INVITE_CHARS),
    }
}

/// One of each client message, with every optional part present.
pub fn client_samples() -> Vec<ClientMessage> {
    vec![
        ClientMessage::Hello { v: 2 },
        ClientMessage::Auth {
            message: "localhost wants you to sign in…".into(),
            signature: "5x".into(),
        },
        ClientMessage::GhostIssue {
            holder: "9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin".into(),
            signature: "5x".into(),
        },
        ClientMessage::Presence {
            ghost_ids: vec![ghost_id(), ghost_id()],
        },
        ClientMessage::RoomCreate {
            verifier: "9Ua2cK3o9jMRY4nAbqNQ1kkQ7uS4s4wZH3Yu9hMB8Lw1".into(),
        },
        ClientMessage::RoomJoin {
            code: "042817".into(),
            proof: "5Zq1CHxUoJdqHV8ThdYb4y".into(),
        },
        ClientMessage::RoomCreatePaid {
            escrow_nonce: "8b3T".into(),
            room_tag: "4Fq".into(),
            invitees: vec![paid_invitee()],
        },
        ClientMessage::RoomJoinPaid {
            holder: "9xQe".into(),
            room_tag: "4Fq".into(),
            signature: "5x".into(),
        },
        ClientMessage::RoomLeave {
            room: 2_734_119_012,
        },
        ClientMessage::Sync {},
    ]
}

/// One of each server message, with every optional part present.
pub fn server_samples() -> Vec<ServerMessage> {
    vec![
        ServerMessage::Welcome {
            v: 2,
            limits: Limits {
                max_frame_bytes: 65_536,
                max_control_bytes: 16_384,
                messages_per_second: 50,
                joins_per_minute: 10,
                max_members_per_room: 200,
                max_rooms_per_connection: 8,
                idle_timeout_secs: 900,
                heartbeat_interval_secs: 15,
            },
            ghost_period_secs: 120,
            ghost_window: 5,
            challenge: "9Ua2cK3o9jMRY4nAbqNQ1kkQ7uS4s4wZH3Yu9hMB8Lw1".into(),
        },
        ServerMessage::Authenticated {},
        ServerMessage::Ghost {
            ghost_id: ghost_id(),
        },
        ServerMessage::Presence {
            present: vec![true, false],
        },
        ServerMessage::Joined {
            room: 7,
            code: Some("042817".into()),
            member: 4821,
            members: vec![1377, 9002],
        },
        ServerMessage::PaidRoomCreated {
            minted: vec![true, false],
        },
        ServerMessage::Left { room: 7 },
        ServerMessage::MemberJoined {
            room: 7,
            member: 5310,
        },
        ServerMessage::MemberLeft {
            room: 7,
            member: 5310,
        },
        ServerMessage::Committed { room: 7, epoch: 3 },
        ServerMessage::CommitRefused {
            room: 7,
            epoch: 3,
            current: 4,
        },
        ServerMessage::Synced {},
        ServerMessage::error(ErrorCode::RoomFull),
    ]
}
