//! Rate limits: a token bucket per connection, and attempt windows per connection and per
//! client address (IP addresses stay in memory only and are never logged); which client a
//! request comes from behind trusted proxies; and the connection cap fitted to the
//! process's open-files limit.

mod client_ip;
mod descriptors;
mod per_address;
mod rate;

pub use client_ip::{client_ip, ClientKey};
pub use descriptors::{fit_to_open_files, DescriptorBudget};
pub use per_address::{JoinWindow, PerAddressLimiter};
pub use rate::TokenBucket;
