//! ghostIds: a one-time key holder address encrypted under a key that rotates every period,
//! readable by this gateway only while the key is among the last `window` keys.
//!
//! ```text
//! ghostId = base58( version (1) = 2 | epoch (8, big-endian) | nonce (12)
//!                   | AES-256-GCM(K(epoch), nonce, holder (32), aad = version | epoch) )
//! K(e + 1) = SHA3-256("anoghost/ghost-epoch/v1" | K(e))
//! ```
//!
//! The holder is an address the invitee's client derives from its wallet (`docs/protocol.md`
//! §2.3); the gateway mints the invitee's key to it. Neither the ghostId nor the key names
//! the wallet.
//!
//! The chain runs one way: a key held today derives tomorrow's but not yesterday's. Keys
//! that leave the window are zeroized, so a later compromise cannot open old ghostIds.
//! "Was this ghost here recently?" is answered by whether its ghostId still opens; there is
//! no presence table.

mod epoch_keys;
mod ghost_id;

pub use epoch_keys::GhostEpochKeys;
pub use ghost_id::{GhostError, GHOST_ID_LEN};
