//! `room_join`: a free room by its six-digit code. Every attempt, well-formed or not, is
//! spent from the join budgets first, and a malformed code is answered like a missing room.

use anoghost_protocol::limits::ROOM_CODE_DIGITS;
use anoghost_protocol::{ErrorCode, ServerMessage};

use crate::rooms::{JoinTarget, ROOM_CODES};
use crate::session::Session;

pub(super) fn run(session: &mut Session, code: &str) -> Result<ServerMessage, ErrorCode> {
    session.spend_join_attempt()?;
    let code = parse_room_code(code).ok_or(ErrorCode::RoomNotFound)?;
    session.join(JoinTarget::Free(code))
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
