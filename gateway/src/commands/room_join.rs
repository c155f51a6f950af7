//! `room_join`: a free room by its six-digit code and a proof of the invite's secret. The
//! code alone admits nobody: a wrong proof, a malformed code and a missing room all get the
//! same `room_not_found`, after the same work, so a guesser learns nothing about which rooms
//! exist. Every attempt is spent from the join budgets first.

use anoghost_protocol::limits::ROOM_CODE_DIGITS;
use anoghost_protocol::{proofs, ErrorCode, ServerMessage};
use ed25519_dalek::Signature;

use crate::rooms::{Admission, JoinTarget, ROOM_CODES};
use crate::session::Session;

pub(super) async fn run(
    session: &mut Session,
    code: &str,
    proof: &str,
) -> Result<ServerMessage, ErrorCode> {
    session.spend_join_attempt()?;
    let admission = Admission::Proof {
        message: proofs::room_join(session.challenge(), code),
        signature: parse_signature(proof),
    };
    // A malformed code still costs a verification, against a stand-in key.
    let target = parse_room_code(code).unwrap_or(ROOM_CODES);
    session.join(JoinTarget::Free(target), admission).await
}

fn parse_signature(text: &str) -> Option<Signature> {
    let mut bytes = [0u8; 64];
    match bs58::decode(text).onto(&mut bytes) {
        Ok(64) => Some(Signature::from_bytes(&bytes)),
        _ => None,
    }
}

/// Parses exactly six ASCII digits.
fn parse_room_code(code: &str) -> Option<u32> {
    if code.len() != ROOM_CODE_DIGITS || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let value: u32 = code.parse().ok()?;
    (value < ROOM_CODES).then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn room_codes_are_exactly_six_digits() {
        assert_eq!(parse_room_code("012345"), Some(12345));
        for bad in ["12345", "1234567", "12a456", "+12345", " 12345", "١٢٣٤٥٦"] {
            assert_eq!(parse_room_code(bad), None, "{bad}");
        }
    }
}
