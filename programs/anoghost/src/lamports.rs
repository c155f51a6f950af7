//! Moving lamports out of accounts this program owns.

use anchor_lang::prelude::*;

use crate::errors::AnoGhostError;

/// Moves `amount` lamports from `from` (owned by this program) to `to`, with checked
/// arithmetic on both sides. A program may debit its own accounts directly, which is cheaper
/// and simpler than a system-program CPI signed by a PDA.
pub fn move_lamports(from: &AccountInfo, to: &AccountInfo, amount: u64) -> Result<()> {
    if amount == 0 {
        return Ok(());
    }
    let debited = from
        .lamports()
        .checked_sub(amount)
        .ok_or_else(|| error!(AnoGhostError::ArithmeticOverflow))?;
    let credited = to
        .lamports()
        .checked_add(amount)
        .ok_or_else(|| error!(AnoGhostError::ArithmeticOverflow))?;
    **from.try_borrow_mut_lamports()? = debited;
    **to.try_borrow_mut_lamports()? = credited;
    Ok(())
}
