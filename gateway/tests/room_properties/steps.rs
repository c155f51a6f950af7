//! One step of the property: what a connection sends, what the model predicts, and the
//! comparison of the gateway's reply with the prediction.

use std::collections::BTreeSet;

use anoghost_protocol::frame::{ClientFrame, FrameKind};
use anoghost_protocol::{proofs, ErrorCode, ServerMessage};
use ed25519_dalek::{Signer, SigningKey};
use serde_json::json;

use crate::model::{
    error, Expected, ModelRoom, World, GROUPS_PER_ROOM, MAX_MEMBERS, MAX_ROOMS,
    ROOMS_PER_CONNECTION,
};

#[derive(Debug, Clone)]
pub enum Op {
    Create(usize),
    Join {
        c: usize,
        room: usize,
        proof: Proof,
    },
    Leave {
        c: usize,
        room: usize,
    },
    /// A group frame; `content` 1 to 3 is an MLS content type, 0 a payload that is not MLS.
    /// `epoch` is `None` for the epoch the model says the group is in (a commit that should
    /// be ordered), or a given one.
    /// `group` 5 is an id longer than the gateway tracks; 0 to 4 are five ids, one more than
    /// a room's order remembers.
    Group {
        c: usize,
        room: usize,
        content: u8,
        group: u8,
        epoch: Option<u8>,
    },
    Directed {
        c: usize,
        room: usize,
        kind: u8,
        to: Target,
    },
    Garbage {
        c: usize,
        bytes: Vec<u8>,
    },
    Sync(usize),
    BadJson(usize),
    Read(usize),
    Disconnect(usize),
}

#[derive(Debug, Clone)]
pub enum Proof {
    Valid,
    WrongKey,
    MalformedCode,
}

#[derive(Debug, Clone)]
pub enum Target {
    Member(usize),
    Itself,
    Number(u16),
}

pub fn apply(world: &mut World, op: Op) {
    match op {
        Op::Create(c) => create(world, c),
        Op::Join { c, room, proof } => {
            if !world.rooms.is_empty() {
                join(world, c, room % world.rooms.len(), proof);
            }
        }
        Op::Leave { c, room } => {
            if !world.rooms.is_empty() {
                leave(world, c, room % world.rooms.len());
            }
        }
        Op::Group {
            c,
            room,
            content,
            group,
            epoch,
        } => {
            if let Some(slot) = sending_slot(world, c, room) {
                let epoch = epoch.map_or_else(|| current_epoch(world, slot, group), u64::from);
                group_frame(world, c, slot, content, group, epoch);
            }
        }
        Op::Directed { c, room, kind, to } => {
            if let Some(slot) = sending_slot(world, c, room) {
                directed(world, c, slot, kind, to);
            }
        }
        Op::Garbage { c, mut bytes } => {
            // Never this protocol's version: the frame cannot decode.
            if let Some(first) = bytes.first_mut() {
                *first = first.wrapping_add(1).max(3);
            }
            let expected = refusal_before_decoding(world, c).unwrap_or(ErrorCode::BadFrame);
            assert_eq!(world.relay(c, &bytes), Some(error(expected)));
        }
        Op::Sync(c) => assert_eq!(
            world.dispatch(c, r#"{"type":"sync"}"#),
            ServerMessage::Synced {}
        ),
        Op::BadJson(c) => assert_eq!(world.dispatch(c, "{\"type\":"), error(ErrorCode::BadJson)),
        Op::Read(c) => world.read(c),
        Op::Disconnect(c) => world.disconnect(c),
    }
}

/// The room a frame is sent to: mostly one the sender is in, so that frames get past the
/// membership check often enough to reach the order; sometimes any room at all.
fn sending_slot(world: &World, c: usize, pick: usize) -> Option<usize> {
    let own: Vec<usize> = world.connections[c]
        .memberships
        .values()
        .map(|(slot, _)| *slot)
        .collect();
    match own.get(pick % (own.len() + 1)) {
        Some(slot) => Some(*slot),
        None if world.rooms.is_empty() => None,
        None => Some(pick % world.rooms.len()),
    }
}

fn create(world: &mut World, c: usize) {
    let key = SigningKey::from_bytes(&[world.rooms.len() as u8 + 1; 32]);
    let verifier = bs58::encode(key.verifying_key().to_bytes()).into_string();
    let reply = world.dispatch(
        c,
        &json!({"type": "room_create", "verifier": verifier}).to_string(),
    );
    let live = world.rooms.iter().filter(|r| r.alive()).count();
    if world.connections[c].memberships.len() >= ROOMS_PER_CONNECTION {
        assert_eq!(reply, error(ErrorCode::TooManyRoomsPerConnection));
        return;
    }
    if live >= MAX_ROOMS {
        assert_eq!(reply, error(ErrorCode::TooManyRooms));
        return;
    }
    let ServerMessage::Joined {
        room,
        code: Some(code),
        member,
        members,
    } = reply
    else {
        panic!("expected joined, got {reply:?}");
    };
    assert!(members.is_empty(), "a new room is empty");
    assert!(world
        .rooms
        .iter()
        .all(|r| !r.alive() || r.reference != room));
    assert!(
        world.live_room(&code).is_none(),
        "a live room's code was given again"
    );
    world.connections[c]
        .memberships
        .insert(room, (world.rooms.len(), member));
    world.rooms.push(ModelRoom {
        key,
        code,
        reference: room,
        members: [(c, member)].into(),
        groups: Vec::new(),
    });
}

fn join(world: &mut World, c: usize, slot: usize, proof: Proof) {
    let code = match proof {
        Proof::MalformedCode => "12a456".to_owned(),
        _ => world.rooms[slot].code.clone(),
    };
    // A valid proof is signed with the key of the live room under the code, which is the
    // slot's room unless that room died and its code was given to a newer one.
    let live_key = world.live_room(&code).map(|t| world.rooms[t].key.clone());
    let key = match proof {
        Proof::WrongKey => SigningKey::from_bytes(&[0xee; 32]),
        _ => live_key.unwrap_or_else(|| world.rooms[slot].key.clone()),
    };
    let challenge = *world.connections[c].session.challenge();
    let signature = key.sign(&proofs::room_join(&challenge, &code));
    let text = json!({
        "type": "room_join",
        "code": code,
        "proof": bs58::encode(signature.to_bytes()).into_string(),
    });
    let reply = world.dispatch(c, &text.to_string());
    let target = world.live_room(&code);
    let memberships = &world.connections[c].memberships;
    let expected_error = if target.is_some_and(|t| memberships.values().any(|(s, _)| *s == t)) {
        Some(ErrorCode::AlreadyInRoom)
    } else if memberships.len() >= ROOMS_PER_CONNECTION {
        Some(ErrorCode::TooManyRoomsPerConnection)
    } else if target.is_none() || !matches!(proof, Proof::Valid) {
        Some(ErrorCode::RoomNotFound)
    } else if target.is_some_and(|t| world.rooms[t].members.len() >= MAX_MEMBERS) {
        Some(ErrorCode::RoomFull)
    } else {
        None
    };
    if let Some(code) = expected_error {
        assert_eq!(reply, error(code));
        return;
    }
    let slot = target.expect("a live room");
    let room = &world.rooms[slot];
    let ServerMessage::Joined {
        room: reference,
        code: Some(code),
        member,
        members,
    } = reply
    else {
        panic!("expected joined, got {reply:?}");
    };
    assert_eq!(
        (reference, code.as_str()),
        (room.reference, room.code.as_str())
    );
    let before: BTreeSet<u16> = room.members.values().copied().collect();
    assert_eq!(members.iter().copied().collect::<BTreeSet<_>>(), before);
    assert!(
        !before.contains(&member),
        "member number {member} handed out twice"
    );
    let announcement = Expected::Text(ServerMessage::MemberJoined {
        room: reference,
        member,
    });
    world.expect_for_others(slot, c, &announcement);
    world.rooms[slot].members.insert(c, member);
    world.connections[c]
        .memberships
        .insert(reference, (slot, member));
}

fn leave(world: &mut World, c: usize, slot: usize) {
    let reference = world.rooms[slot].reference;
    let reply = world.dispatch(
        c,
        &json!({"type": "room_leave", "room": reference}).to_string(),
    );
    let Some((slot, member)) = world.connections[c].memberships.remove(&reference) else {
        assert_eq!(reply, error(ErrorCode::NotInRoom));
        return;
    };
    assert_eq!(reply, ServerMessage::Left { room: reference });
    world.rooms[slot].members.remove(&c);
    let left = Expected::Text(ServerMessage::MemberLeft {
        room: reference,
        member,
    });
    world.expect_for_others(slot, c, &left);
}

/// The refusal every binary frame gets before it is read, if any.
fn refusal_before_decoding(world: &World, c: usize) -> Option<ErrorCode> {
    world.connections[c]
        .memberships
        .is_empty()
        .then_some(ErrorCode::BinaryBeforeJoin)
}

/// The sender's member number in the room at `slot`, or the refusal its frame gets.
fn sender(world: &World, c: usize, slot: usize) -> Result<u16, ErrorCode> {
    if let Some(refusal) = refusal_before_decoding(world, c) {
        return Err(refusal);
    }
    let reference = world.rooms[slot].reference;
    match world.connections[c].memberships.get(&reference) {
        Some((_, member)) => Ok(*member),
        None => Err(ErrorCode::NotInRoom),
    }
}

/// The epoch the model says `group` is in, in the room at `slot` (0 if it is new).
fn current_epoch(world: &World, slot: usize, group: u8) -> u64 {
    world.rooms[slot]
        .groups
        .iter()
        .find(|(id, _)| *id == group_id(group))
        .map_or(0, |(_, epoch)| *epoch)
}

fn group_id(group: u8) -> Vec<u8> {
    if group == 5 {
        vec![7; 33]
    } else {
        vec![group; 16]
    }
}

fn group_frame(world: &mut World, c: usize, slot: usize, content: u8, group: u8, epoch: u64) {
    let group_id = group_id(group);
    let mut payload = vec![0, 1, 0, 2, group_id.len() as u8];
    payload.extend_from_slice(&group_id);
    payload.extend_from_slice(&epoch.to_be_bytes());
    payload.push(content);
    payload.extend_from_slice(b"ciphertext");
    if content == 0 {
        payload = b"not an MLS message".to_vec();
    }
    let reference = world.rooms[slot].reference;
    let reply = world.relay(
        c,
        &ClientFrame::to_room(reference, FrameKind::Group, &payload).encode(),
    );
    let member = match sender(world, c, slot) {
        Err(code) => return assert_eq!(reply, Some(error(code))),
        Ok(_) if content == 0 || group == 5 => {
            return assert_eq!(reply, Some(error(ErrorCode::BadFrame)))
        }
        Ok(member) => member,
    };
    if content == 3 {
        let groups = &mut world.rooms[slot].groups;
        let verdict = match groups.iter().position(|(id, _)| *id == group_id) {
            None => {
                if groups.len() >= GROUPS_PER_ROOM {
                    groups.remove(0);
                }
                groups.push((group_id, epoch + 1));
                Ok(())
            }
            // A refused commit leaves the order as it was, its recency too.
            Some(at) if groups[at].1 != epoch => Err(groups[at].1),
            Some(at) => {
                let (id, _) = groups.remove(at);
                groups.push((id, epoch + 1));
                Ok(())
            }
        };
        if let Err(current) = verdict {
            // Refused in the room's order, so the refusal is queued like everything else.
            assert_eq!(reply, None);
            let refused = ServerMessage::CommitRefused {
                room: reference,
                epoch,
                current,
            };
            world.connections[c].pending.push(Expected::Text(refused));
            return;
        }
        let committed = Expected::Text(ServerMessage::Committed {
            room: reference,
            epoch,
        });
        world.connections[c].pending.push(committed);
    }
    assert_eq!(reply, None);
    let frame = Expected::Frame {
        room: reference,
        sender: member,
        kind: FrameKind::Group,
        payload,
    };
    world.expect_for_others(slot, c, &frame);
}

fn directed(world: &mut World, c: usize, slot: usize, kind: u8, target: Target) {
    let kind = FrameKind::from_byte(kind).expect("a directed kind");
    let reference = world.rooms[slot].reference;
    let own = world.rooms[slot].members.get(&c).copied();
    let to = match target {
        Target::Member(t) => world.rooms[slot].members.get(&t).copied().unwrap_or(999),
        Target::Itself => own.unwrap_or(999),
        Target::Number(n) => n,
    };
    let payload = b"for one member".to_vec();
    let reply = world.relay(
        c,
        &ClientFrame::to_member(reference, kind, to, &payload).encode(),
    );
    let member = match sender(world, c, slot) {
        Err(code) => return assert_eq!(reply, Some(error(code))),
        Ok(member) => member,
    };
    let recipient = world.rooms[slot]
        .members
        .iter()
        .find(|(_, n)| **n == to)
        .map(|(c, _)| *c);
    match recipient {
        Some(r) if to != member => {
            assert_eq!(reply, None);
            let frame = Expected::Frame {
                room: reference,
                sender: member,
                kind,
                payload,
            };
            world.connections[r].pending.push(frame);
        }
        // Naming oneself is refused at once; naming nobody, in the room's order.
        _ if to == member => assert_eq!(reply, Some(error(ErrorCode::NoSuchMember))),
        _ => {
            assert_eq!(reply, None);
            let refused = Expected::Text(error(ErrorCode::NoSuchMember));
            world.connections[c].pending.push(refused);
        }
    }
}
