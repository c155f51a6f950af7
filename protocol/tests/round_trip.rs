//! Every control message survives encoding and decoding unchanged, in both directions, and
//! the sizes the limits promise fit in one control message.
//!
//! `variant_index` matches exhaustively, so adding a message without a sample here fails
//! to compile (a new arm is needed) and then fails the coverage assertion.

use anoghost_protocol::limits::{
    DEFAULT_MAX_CONTROL_BYTES, GHOST_ID_MAX_CHARS, MAX_INVITEES, MAX_PRESENCE_IDS,
};
use anoghost_protocol::samples::{client_samples, paid_invitee, server_samples};
use anoghost_protocol::{ClientMessage, ErrorCode, ServerMessage};

fn ghost_id() -> String {
    "4".repeat(GHOST_ID_MAX_CHARS)
}

const CLIENT_VARIANTS: usize = 11;
const SERVER_VARIANTS: usize = 14;

fn client_index(message: &ClientMessage) -> usize {
    match message {
        ClientMessage::Hello { .. } => 0,
        ClientMessage::Auth { .. } => 1,
        ClientMessage::GhostIssue { .. } => 2,
        ClientMessage::Presence { .. } => 3,
        ClientMessage::RoomCreate { .. } => 4,
        ClientMessage::RoomJoin { .. } => 5,
        ClientMessage::RoomCreatePaid { .. } => 6,
        ClientMessage::RoomJoinPaid { .. } => 7,
        ClientMessage::RoomLeave { .. } => 8,
        ClientMessage::Sync {} => 9,
        ClientMessage::Unknown => 10,
    }
}

fn server_index(message: &ServerMessage) -> usize {
    match message {
        ServerMessage::Welcome { .. } => 0,
        ServerMessage::Authenticated {} => 1,
        ServerMessage::Ghost { .. } => 2,
        ServerMessage::Presence { .. } => 3,
        ServerMessage::Joined { .. } => 4,
        ServerMessage::PaidRoomCreated { .. } => 5,
        ServerMessage::Left { .. } => 6,
        ServerMessage::MemberJoined { .. } => 7,
        ServerMessage::MemberLeft { .. } => 8,
        ServerMessage::Synced {} => 9,
        ServerMessage::Error { .. } => 10,
        ServerMessage::Unknown => 11,
        ServerMessage::Committed { .. } => 12,
        ServerMessage::CommitRefused { .. } => 13,
    }
}

#[test]
fn every_client_message_round_trips() {
    let samples = client_samples();
    let mut covered = [false; CLIENT_VARIANTS];
    for sample in &samples {
        covered[client_index(sample)] = true;
        let text = sample.to_json();
        assert_eq!(
            ClientMessage::from_json(&text).as_ref(),
            Ok(sample),
            "{text}"
        );
    }
    // `Unknown` is what a newer client's message decodes to; it is never encoded.
    covered[client_index(&ClientMessage::Unknown)] = true;
    assert!(covered.iter().all(|c| *c), "a client message has no sample");
}

#[test]
fn every_server_message_round_trips() {
    let samples = server_samples();
    let mut covered = [false; SERVER_VARIANTS];
    for sample in &samples {
        covered[server_index(sample)] = true;
        let text = sample.to_json();
        let decoded = ServerMessage::from_json(&text).map_err(|e| e.to_string());
        assert_eq!(decoded.as_ref(), Ok(sample), "{text}");
    }
    covered[server_index(&ServerMessage::Unknown)] = true;
    assert!(covered.iter().all(|c| *c), "a server message has no sample");
}

#[test]
fn unknown_types_are_told_apart_from_malformed_messages() {
    assert_eq!(
        ClientMessage::from_json(r#"{"type":"teleport","to":"mars"}"#),
        Err(ErrorCode::UnknownType)
    );
    for malformed in [
        "{nope",
        r#"{"v":1}"#,
        r#"{"type":7}"#,
        r#"{"type":"room_join","code":7}"#,
        r#"{"type":"hello","v":1,"extra":true}"#,
        r#"[1,2]"#,
    ] {
        assert_eq!(
            ClientMessage::from_json(malformed),
            Err(ErrorCode::BadJson),
            "{malformed}"
        );
    }
    let newer = ServerMessage::from_json(r#"{"type":"weather","sunny":true}"#);
    assert_eq!(newer.ok(), Some(ServerMessage::Unknown));
}

#[test]
fn the_largest_presence_and_fifty_invitees_fit_in_one_control_message() {
    let presence = ClientMessage::Presence {
        ghost_ids: vec![ghost_id(); MAX_PRESENCE_IDS],
    };
    assert!(presence.to_json().len() <= DEFAULT_MAX_CONTROL_BYTES);
    let create = ClientMessage::RoomCreatePaid {
        escrow_nonce: "1".repeat(44),
        room_tag: "1".repeat(44),
        invitees: vec![paid_invitee(); MAX_INVITEES],
    };
    assert_eq!(MAX_INVITEES, 50);
    assert!(
        create.to_json().len() <= DEFAULT_MAX_CONTROL_BYTES,
        "{} bytes",
        create.to_json().len()
    );
}
