//! Rate limits: a token bucket per connection, and join-attempt windows per connection and
//! per IP address (IP addresses stay in memory only and are never logged).

mod join;
mod rate;

pub use join::{JoinLimiter, JoinWindow};
pub use rate::TokenBucket;
