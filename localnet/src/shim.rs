//! Native entry for the Anchor program inside `solana-program-test`.
//!
//! Anchor's generated `entry` ties `program_id`, `accounts` and `data` to one lifetime, while
//! the bank's builtin signature gives each its own. Leaking copies of all three to the
//! account-info lifetime satisfies Anchor without `unsafe`. The clones share the same
//! `Rc<RefCell<..>>` lamports and data, so every write reaches the bank. The leak is a few
//! hundred bytes per instruction, in tests only.

use anchor_lang::prelude::{AccountInfo, Pubkey};
use anchor_lang::solana_program::entrypoint::ProgramResult;

/// Calls `anoghost::entry` with leaked copies of its arguments.
pub fn anoghost_entry<'a>(
    program_id: &Pubkey,
    accounts: &[AccountInfo<'a>],
    data: &[u8],
) -> ProgramResult {
    let program_id: &'a Pubkey = Box::leak(Box::new(*program_id));
    let accounts: &'a [AccountInfo<'a>] = Box::leak(accounts.to_vec().into_boxed_slice());
    let data: &'a [u8] = Box::leak(data.to_vec().into_boxed_slice());
    anoghost::entry(program_id, accounts, data)
}
