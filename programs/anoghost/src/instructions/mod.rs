//! One file per instruction: its accounts (documented in the SPL style), its checks and its
//! handler.

pub mod admin_accept;
pub mod admin_propose;
pub mod config_init;
pub mod config_update;
pub mod key_burn;
pub mod key_close;
pub mod key_mint;
pub mod payment_claim;
pub mod payment_deposit;
pub mod payment_reclaim;
pub mod room_deposit;
pub mod room_lock;
pub mod room_refund;
pub mod room_settle;

pub use admin_accept::*;
pub use admin_propose::*;
pub use config_init::*;
pub use config_update::*;
pub use key_burn::*;
pub use key_close::*;
pub use key_mint::*;
pub use payment_claim::*;
pub use payment_deposit::*;
pub use payment_reclaim::*;
pub use room_deposit::*;
pub use room_lock::*;
pub use room_refund::*;
pub use room_settle::*;
