//! Plain HTTP endpoints: health and the sign-in challenge.

mod challenge;
mod health;

pub use challenge::challenge;
pub use health::health;
