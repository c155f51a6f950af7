//! The control-message parsers (`protocol/src/client.rs`, `server.rs`): the gateway reads
//! every text frame with `ClientMessage::from_json`, the SDK every gateway message with
//! `ServerMessage::from_json`.
//!
//! Invariants: parsing never panics; a client message that parses re-encodes to JSON that
//! parses to the same message; a refusal is `bad_json` or `unknown_type` and nothing else;
//! a message built field by field survives the trip through its JSON; a server message
//! that parses (and is not one this side does not know) round-trips the same way.

use anoghost_protocol::client::PaidInvitee;
use anoghost_protocol::{ClientMessage, ErrorCode, Limits, ServerMessage};
use arbitrary::Arbitrary;

#[derive(Debug, Arbitrary)]
enum Input<'a> {
    ClientText(&'a str),
    ServerText(&'a str),
    Client(Client),
    Server(Server),
}

#[derive(Debug, Arbitrary)]
enum Client {
    Hello(u8),
    Auth(String, String),
    GhostIssue(String, String),
    Presence(Vec<String>),
    RoomCreate(String),
    RoomJoin(String, String),
    RoomCreatePaid(String, String, Vec<(String, String)>),
    RoomJoinPaid(String, String, String),
    RoomLeave(u32),
    Sync,
}

impl Client {
    fn message(self) -> ClientMessage {
        match self {
            Self::Hello(v) => ClientMessage::Hello { v },
            Self::Auth(message, signature) => ClientMessage::Auth { message, signature },
            Self::GhostIssue(holder, signature) => ClientMessage::GhostIssue { holder, signature },
            Self::Presence(ghost_ids) => ClientMessage::Presence { ghost_ids },
            Self::RoomCreate(verifier) => ClientMessage::RoomCreate { verifier },
            Self::RoomJoin(code, proof) => ClientMessage::RoomJoin { code, proof },
            Self::RoomCreatePaid(escrow_nonce, room_tag, invitees) => {
                ClientMessage::RoomCreatePaid {
                    escrow_nonce,
                    room_tag,
                    invitees: invitees
                        .into_iter()
                        .map(|(ghost_id, invite)| PaidInvitee { ghost_id, invite })
                        .collect(),
                }
            }
            Self::RoomJoinPaid(holder, room_tag, signature) => ClientMessage::RoomJoinPaid {
                holder,
                room_tag,
                signature,
            },
            Self::RoomLeave(room) => ClientMessage::RoomLeave { room },
            Self::Sync => ClientMessage::Sync {},
        }
    }
}

#[derive(Debug, Arbitrary)]
enum Server {
    Welcome([u64; 8], u64, usize, String),
    Authenticated,
    Ghost(String),
    Presence(Vec<bool>),
    Joined(u32, Option<String>, u16, Vec<u16>),
    PaidRoomCreated(Vec<bool>),
    Left(u32),
    MemberJoined(u32, u16),
    MemberLeft(u32, u16),
    Committed(u32, u64),
    CommitRefused(u32, u64, u64),
    Synced,
    Error(u8, String),
}

/// Wire names of a few error codes, and one this side does not know.
const CODES: [&str; 8] = [
    "bad_json",
    "room_not_found",
    "commit_refused",
    "no_such_member",
    "key_refused",
    "rate_limited",
    "bad_frame",
    "invented_later",
];

impl Server {
    fn message(self) -> ServerMessage {
        match self {
            Self::Welcome(l, ghost_period_secs, ghost_window, challenge) => {
                ServerMessage::Welcome {
                    v: 2,
                    limits: Limits {
                        max_frame_bytes: l[0] as usize,
                        max_control_bytes: l[1] as usize,
                        messages_per_second: l[2] as u32,
                        joins_per_minute: l[3] as u32,
                        max_members_per_room: l[4] as usize,
                        max_rooms_per_connection: l[5] as usize,
                        idle_timeout_secs: l[6],
                        heartbeat_interval_secs: l[7],
                    },
                    ghost_period_secs,
                    ghost_window,
                    challenge,
                }
            }
            Self::Authenticated => ServerMessage::Authenticated {},
            Self::Ghost(ghost_id) => ServerMessage::Ghost { ghost_id },
            Self::Presence(present) => ServerMessage::Presence { present },
            Self::Joined(room, code, member, members) => ServerMessage::Joined {
                room,
                code,
                member,
                members,
            },
            Self::PaidRoomCreated(minted) => ServerMessage::PaidRoomCreated { minted },
            Self::Left(room) => ServerMessage::Left { room },
            Self::MemberJoined(room, member) => ServerMessage::MemberJoined { room, member },
            Self::MemberLeft(room, member) => ServerMessage::MemberLeft { room, member },
            Self::Committed(room, epoch) => ServerMessage::Committed { room, epoch },
            Self::CommitRefused(room, epoch, current) => ServerMessage::CommitRefused {
                room,
                epoch,
                current,
            },
            Self::Synced => ServerMessage::Synced {},
            Self::Error(code, message) => {
                let name = CODES[usize::from(code) % CODES.len()];
                let code: ErrorCode =
                    serde_json::from_value(name.into()).unwrap_or(ErrorCode::Unknown);
                ServerMessage::Error { code, message }
            }
        }
    }
}

fn client_round_trip(message: &ClientMessage) {
    let json = message.to_json();
    assert_eq!(
        ClientMessage::from_json(&json).as_ref(),
        Ok(message),
        "{json}"
    );
}

fn server_round_trip(message: &ServerMessage) {
    let json = message.to_json();
    let parsed = ServerMessage::from_json(&json).expect("an encoded server message parses");
    assert_eq!(&parsed, message, "{json}");
}

fn run(input: Input<'_>) {
    match input {
        Input::ClientText(text) => match ClientMessage::from_json(text) {
            Ok(message) => client_round_trip(&message),
            Err(code) => assert!(
                matches!(code, ErrorCode::BadJson | ErrorCode::UnknownType),
                "{code:?}"
            ),
        },
        Input::ServerText(text) => {
            if let Ok(message) = ServerMessage::from_json(text) {
                if message != ServerMessage::Unknown {
                    server_round_trip(&message);
                }
            }
        }
        Input::Client(client) => client_round_trip(&client.message()),
        Input::Server(server) => server_round_trip(&server.message()),
    }
}

/// The target on the bytes libFuzzer gives it: `false` when they do not make an input.
pub fn fuzz(bytes: &[u8]) -> bool {
    crate::structured(bytes, run)
}
