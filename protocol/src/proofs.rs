//! The exact bytes a client signs to prove something to the gateway. Each starts with its
//! own label, so a signature made for one purpose is worthless for another, and each covers
//! the connection's `challenge` (from `welcome`), so it is worthless on any other connection.

/// What a free room's joiner signs with the room's admission key: the label, the
/// connection's challenge, then the six-digit code as ASCII.
pub fn room_join(challenge: &[u8; 32], code: &str) -> Vec<u8> {
    labelled(b"anoghost/room-join/v1", challenge, code.as_bytes())
}

fn labelled(label: &[u8], challenge: &[u8; 32], subject: &[u8]) -> Vec<u8> {
    let mut message = Vec::with_capacity(label.len() + 32 + subject.len());
    message.extend_from_slice(label);
    message.extend_from_slice(challenge);
    message.extend_from_slice(subject);
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_room_join_proof_covers_label_challenge_and_code_in_that_order() {
        let message = room_join(&[7; 32], "042817");
        assert!(message.starts_with(b"anoghost/room-join/v1"));
        assert_eq!(&message[21..53], &[7; 32]);
        assert!(message.ends_with(b"042817"));
        assert_eq!(message.len(), 21 + 32 + 6);
    }
}
