//! The program's limits and layout constants, declared once in the program and re-exported
//! here for clients and the gateway.

pub use anoghost::key_metadata::{INVITE_LEN, KEY_NAME, KEY_SYMBOL, ROOM_BINDING_LEN};
pub use anoghost::state::{
    ESCROW_NONCE_OFFSET, ESCROW_PAYER_OFFSET, ESCROW_STATE_OFFSET, MAX_KEYS_PER_ROOM,
    MAX_PAYMENT_LIFETIME_SECS, MAX_REFUND_TIMEOUT_SECS, MIN_REFUND_TIMEOUT_SECS,
};
