//! The program's limits, declared once in the program and re-exported here for clients and
//! the gateway.

pub use anoghost::key_metadata::{MAX_KEY_NAME_LEN, MAX_SEALED_LEN};
pub use anoghost::state::{MAX_KEYS_PER_ROOM, MAX_PAYMENT_LIFETIME_SECS, MAX_REFUND_TIMEOUT_SECS};
