//! State-machine properties of the gateway's rooms: five connections send arbitrary
//! sequences of control messages and relay frames through the command layer a socket uses
//! (`commands::dispatch`, `commands::relay`, `Session`), two of them reading their queues
//! only now and then. After every step:
//! - nothing panicked, and every reply is the one the model predicts (joined, left,
//!   committed, commit_refused, or the exact error);
//! - member numbers are four digits and unique in each room, and the registry's rooms hold
//!   exactly the members the model holds;
//! - every queue holds exactly what the model expects, in order: a group frame reaches
//!   every other member and nobody else, a directed frame its one recipient, so no frame
//!   ever reaches a non-member;
//! - no queue holds more than its bound; a reader that falls behind is kicked, and closed
//!   as its socket task would close it;
//! - a room disappears (with its reference) when its last member leaves;
//! - when everyone disconnects, no room and no reference is left.
#![allow(clippy::unwrap_used)] // tests: a panic is the failure report

mod model;
mod steps;

use model::{World, CONNECTIONS};
use proptest::prelude::*;
use steps::{Op, Proof, Target};

fn op() -> impl Strategy<Value = Op> {
    let c = 0..CONNECTIONS;
    let slot = 0..4usize;
    // Mostly commits: the room's order is where most of the state is.
    let content = prop_oneof![1 => Just(0u8), 1 => Just(1), 1 => Just(2), 4 => Just(3)];
    let proof = prop_oneof![
        6 => Just(Proof::Valid),
        1 => Just(Proof::WrongKey),
        1 => Just(Proof::MalformedCode),
    ];
    let target = prop_oneof![
        4 => (0..CONNECTIONS).prop_map(Target::Member),
        1 => Just(Target::Itself),
        1 => any::<u16>().prop_map(Target::Number),
    ];
    prop_oneof![
        3 => c.clone().prop_map(Op::Create),
        6 => (c.clone(), slot.clone(), proof).prop_map(|(c, room, proof)| Op::Join { c, room, proof }),
        2 => (c.clone(), slot.clone()).prop_map(|(c, room)| Op::Leave { c, room }),
        16 => (c.clone(), slot.clone(), content, 0..=5u8, prop::option::of(0..=3u8)).prop_map(
            |(c, room, content, group, epoch)| Op::Group { c, room, content, group, epoch }
        ),
        4 => (c.clone(), slot.clone(), 2..=5u8, target)
            .prop_map(|(c, room, kind, to)| Op::Directed { c, room, kind, to }),
        1 => (c.clone(), prop::collection::vec(any::<u8>(), 0..12))
            .prop_map(|(c, bytes)| Op::Garbage { c, bytes }),
        1 => c.clone().prop_map(Op::Sync),
        1 => c.clone().prop_map(Op::BadJson),
        1 => c.clone().prop_map(Op::Read),
        1 => c.prop_map(Op::Disconnect),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 120, ..ProptestConfig::default() })]

    #[test]
    fn rooms_keep_their_invariants_under_any_sequence_of_messages(
        ops in prop::collection::vec(op(), 1..120)
    ) {
        let mut world = World::new();
        for op in ops {
            steps::apply(&mut world, op);
            world.check();
        }
        world.disconnect_everyone();
    }
}
