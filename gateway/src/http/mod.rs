//! Plain HTTP endpoints: health, the sign-in challenge, and Solana Pay transaction requests.

mod challenge;
mod health;
pub mod solana_pay;

pub use challenge::challenge;
pub use health::health;
