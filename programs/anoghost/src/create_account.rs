//! Creating the accounts this program owns (and the key mints it hands to Token-2022) in a
//! way nobody can block by sending lamports to the address first.
//!
//! The System Program's `create_account` fails on an address that already holds lamports,
//! and Anchor 1.2.2's `init` falls back to `CreateAccountAllowPrefund` (SIMD-0312), which
//! clusters without that feature refuse. Every address here is derived from public values
//! (the program id, a payer and a nonce, a claim key, a holder), so anyone could pre-fund it.
//! Instead: when the address is empty, `create_account`; when it holds lamports, transfer
//! the shortfall, then `allocate` and `assign` signed with the PDA's seeds, which only this
//! program can produce.

use anchor_lang::prelude::*;
use anchor_lang::system_program;

use crate::errors::AnoGhostError;

/// What to create and who pays for it.
pub struct NewAccount<'a, 'info> {
    /// Pays the rent (signer, owned by the System Program).
    pub payer: &'a AccountInfo<'info>,
    /// The PDA to create.
    pub target: &'a AccountInfo<'info>,
    /// The System Program.
    pub system_program: &'a AccountInfo<'info>,
    /// The PDA's seeds, bump included.
    pub seeds: &'a [&'a [u8]],
}

/// Creates `account.target` with `space` bytes, owned by `owner` and holding at least
/// `lamports`, whether or not someone sent lamports there first. Fails with
/// [`AnoGhostError::AddressTaken`] if an account with data or another owner is already there.
#[inline(never)]
pub fn create_pda_account(
    account: NewAccount<'_, '_>,
    lamports: u64,
    space: usize,
    owner: &Pubkey,
) -> Result<()> {
    let target = account.target;
    // A pre-funded address is a System Program account without data: only the address's
    // own signature (the PDA seeds, which only this program has) can allocate or assign it.
    require!(
        target.owner == &system_program::ID && target.data_is_empty(),
        AnoGhostError::AddressTaken
    );
    let space = u64::try_from(space).map_err(|_| error!(AnoGhostError::ArithmeticOverflow))?;
    let signer: &[&[&[u8]]] = &[account.seeds];
    let held = target.lamports();
    if held == 0 {
        return system_program::create_account(
            CpiContext::new_with_signer(
                system_program::ID,
                system_program::CreateAccount {
                    from: account.payer.clone(),
                    to: target.clone(),
                },
                signer,
            ),
            lamports,
            space,
            owner,
        );
    }
    let shortfall = lamports.saturating_sub(held);
    if shortfall > 0 {
        system_program::transfer(
            CpiContext::new(
                system_program::ID,
                system_program::Transfer {
                    from: account.payer.clone(),
                    to: target.clone(),
                },
            ),
            shortfall,
        )?;
    }
    system_program::allocate(
        CpiContext::new_with_signer(
            system_program::ID,
            system_program::Allocate {
                account_to_allocate: target.clone(),
            },
            signer,
        ),
        space,
    )?;
    system_program::assign(
        CpiContext::new_with_signer(
            system_program::ID,
            system_program::Assign {
                account_to_assign: target.clone(),
            },
            signer,
        ),
        owner,
    )
}

/// Creates a program-owned account for `value` at `account.target`, rent-exempt at its
/// exact size, and writes `value` (discriminator included) into it.
pub fn create_program_account<T: AccountSerialize + Space>(
    account: NewAccount<'_, '_>,
    value: &T,
) -> Result<()> {
    let space = 8 + T::INIT_SPACE;
    let lamports = Rent::get()?.minimum_balance(space);
    let target = account.target.clone();
    create_pda_account(account, lamports, space, &crate::ID)?;
    let mut data = target.try_borrow_mut_data()?;
    let mut writer: &mut [u8] = &mut data;
    value.try_serialize(&mut writer)
}
