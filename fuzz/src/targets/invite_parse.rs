//! Parsing a free-room invite (`client-sdk/src/invite.rs`): text a user pastes from
//! anywhere.
//!
//! Invariants: parsing never panics; what parses is six ASCII digits and a 16-byte secret,
//! and prints back to text that parses to the same invite; an invite built field by field,
//! with any surrounding whitespace, reads back.

use anoghost_sdk::invite::Invite;
use anoghost_sdk::mls::{Admission, RoomSecret};
use arbitrary::Arbitrary;

#[derive(Debug, Arbitrary)]
enum Input<'a> {
    Text(&'a str),
    Built {
        digits: [u8; 6],
        secret: [u8; 16],
        knock: bool,
        leading_spaces: u8,
        trailing_newline: bool,
    },
}

fn check_round_trip(invite: &Invite) {
    assert_eq!(invite.code.len(), 6);
    assert!(invite.code.bytes().all(|b| b.is_ascii_digit()));
    let text = invite.to_string();
    assert_eq!(text.parse::<Invite>().as_ref(), Ok(invite), "{text}");
}

fn run(input: Input<'_>) {
    match input {
        Input::Text(text) => {
            if let Ok(invite) = text.parse::<Invite>() {
                check_round_trip(&invite);
            }
        }
        Input::Built {
            digits,
            secret,
            knock,
            leading_spaces,
            trailing_newline,
        } => {
            let code: String = digits.iter().map(|d| char::from(b'0' + d % 10)).collect();
            let invite = Invite {
                code,
                secret: RoomSecret::new(secret),
                admission: if knock {
                    Admission::Knock
                } else {
                    Admission::Open
                },
            };
            let mut text = " ".repeat(usize::from(leading_spaces % 4));
            text.push_str(&invite.to_string());
            if trailing_newline {
                text.push('\n');
            }
            assert_eq!(text.parse::<Invite>(), Ok(invite.clone()));
            check_round_trip(&invite);
        }
    }
}

/// The target on the bytes libFuzzer gives it: `false` when they do not make an input.
pub fn fuzz(bytes: &[u8]) -> bool {
    crate::structured(bytes, run)
}
