//! Rate limits: a token bucket per connection, and join-attempt windows per connection and
//! per IP address (IP addresses stay in memory only and are never logged); and the
//! connection cap fitted to the process's open-files limit.

mod descriptors;
mod join;
mod rate;

pub use descriptors::{fit_to_open_files, DescriptorBudget};
pub use join::{JoinLimiter, JoinWindow};
pub use rate::TokenBucket;
