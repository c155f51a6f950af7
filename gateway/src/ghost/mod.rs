//! ghostIds: a wallet encrypted under a key that rotates every period, readable by this
//! gateway only while the key is among the last `window` keys.
//!
//! ```text
//! ghostId = base58( version (1) = 1 | epoch (8, big-endian) | nonce (12)
//!                   | AES-256-GCM(K(epoch), nonce, wallet (32), aad = version | epoch) )
//! K(e + 1) = SHA3-256("anoghost/ghost-epoch/v1" | K(e))
//! ```
//!
//! The chain runs one way: a key held today derives tomorrow's but not yesterday's. Keys
//! that leave the window are zeroized, so a later compromise cannot open old ghostIds.
//! "Was this ghost here recently?" is answered by whether its ghostId still opens; there is
//! no presence table.

mod epoch_keys;
mod ghost_id;

pub use epoch_keys::GhostEpochKeys;
pub use ghost_id::{GhostError, GHOST_ID_LEN};
