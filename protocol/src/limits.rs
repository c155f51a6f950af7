//! The numbers both sides of the protocol must agree on. The gateway's configurable limits
//! start from these defaults and are announced in `welcome` ([`crate::Limits`]).

/// The protocol version spoken: the first byte of every binary frame, and `v` in `hello`.
pub const PROTOCOL_VERSION: u8 = 2;

/// Lowest member number: members are four-digit numbers.
pub const MEMBER_MIN: u16 = 1000;
/// Highest member number.
pub const MEMBER_MAX: u16 = 9999;
/// Most members a room can ever hold: one per four-digit number.
pub const MEMBER_NUMBERS: usize = (MEMBER_MAX - MEMBER_MIN + 1) as usize;

/// Digits in a free room's code.
pub const ROOM_CODE_DIGITS: usize = 6;
/// Distinct free-room codes: `000000` to `999999`.
pub const ROOM_CODES: u32 = 1_000_000;

/// Default largest binary frame, header included.
pub const DEFAULT_MAX_FRAME_BYTES: usize = 64 * 1024;
/// Default largest control message: a `room_create_paid` with [`MAX_INVITEES`] invitees of
/// the longest length fits (a test in this crate checks it).
pub const DEFAULT_MAX_CONTROL_BYTES: usize = 16 * 1024;

/// Characters of a ghostId in base58, at most: 69 bytes encode to 93 or 94 characters.
pub const GHOST_ID_MAX_CHARS: usize = 94;

/// Most ghostIds one `presence` request may ask about.
pub const MAX_PRESENCE_IDS: usize = 40;

/// Most invitees one `room_create_paid` may name; they fit in one control message of the
/// default size.
pub const MAX_INVITEES: usize = 50;

/// Characters of a sealed paid invite in base64: 97 bytes encode to 132 characters.
pub const INVITE_CHARS: usize = 132;
