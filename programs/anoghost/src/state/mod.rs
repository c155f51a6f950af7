//! Account types the program owns. Each type owns the rules for its own transitions, so
//! handlers never poke at fields directly.

mod config;
mod payment_vault;
mod room_escrow;

pub use config::*;
pub use payment_vault::*;
pub use room_escrow::*;
