use anchor_lang::prelude::*;
use anchor_spl::token_2022::spl_token_2022::extension::mint_close_authority::MintCloseAuthority;
use anchor_spl::token_2022::spl_token_2022::extension::{
    BaseStateWithExtensions, StateWithExtensions,
};
use anchor_spl::token_2022::{self, spl_token_2022, Token2022};
use anchor_spl::token_interface::Mint;

use crate::errors::AnoGhostError;
use crate::seeds::{SEED_CONFIG, SEED_KEY_AUTHORITY};
use crate::state::Config;

/// Closes a key mint whose single token was burned some other way than `key_burn` (a plain
/// Token-2022 burn), returning its rent to the gateway authority, which fronted it at
/// `key_mint`. Anyone may call it; the rent can go nowhere else, and the program signs only
/// through the one Token-2022 program id.
///
/// Accounts:
/// 0. `[signer]` closer: any signer (pays the fee).
/// 1. `[]` config: PDA `[SEED_CONFIG]`.
/// 2. `[]` key_authority: PDA `[SEED_KEY_AUTHORITY]`; the mint's close authority.
/// 3. `[writable]` mint: a key mint with zero supply.
/// 4. `[writable]` rent_recipient: the config's gateway authority.
/// 5. `[]` token_program: Token-2022.
#[derive(Accounts)]
pub struct KeyClose<'info> {
    pub closer: Signer<'info>,

    #[account(
        seeds = [SEED_CONFIG],
        bump = config.bump,
        constraint = config.gateway_authority == rent_recipient.key()
            @ AnoGhostError::NotGatewayAuthority,
    )]
    pub config: Account<'info, Config>,

    /// CHECK: a PDA with no data; it only signs.
    #[account(seeds = [SEED_KEY_AUTHORITY], bump)]
    pub key_authority: UncheckedAccount<'info>,

    #[account(
        mut,
        mint::token_program = token_program,
        constraint = mint.supply == 0 @ AnoGhostError::KeyNotBurned,
    )]
    pub mint: InterfaceAccount<'info, Mint>,

    /// CHECK: must be the config's gateway authority (checked on `config`); only credited.
    #[account(mut)]
    pub rent_recipient: UncheckedAccount<'info>,

    pub token_program: Program<'info, Token2022>,
}

pub fn process_key_close(ctx: Context<KeyClose>) -> Result<()> {
    let accounts = &ctx.accounts;
    require_keys_eq!(
        close_authority_of(&accounts.mint.to_account_info())?,
        accounts.key_authority.key(),
        AnoGhostError::NotAnoGhostKey
    );
    let authority_seeds: &[&[u8]] = &[SEED_KEY_AUTHORITY, &[ctx.bumps.key_authority]];
    token_2022::close_account(CpiContext::new_with_signer(
        Token2022::id(),
        token_2022::CloseAccount {
            account: accounts.mint.to_account_info(),
            destination: accounts.rent_recipient.to_account_info(),
            authority: accounts.key_authority.to_account_info(),
        },
        &[authority_seeds],
    ))
}

/// The mint's close authority, or an error if it has none.
fn close_authority_of(mint: &AccountInfo) -> Result<Pubkey> {
    let data = mint.try_borrow_data()?;
    let state = StateWithExtensions::<spl_token_2022::state::Mint>::unpack(&data)?;
    let extension = state
        .get_extension::<MintCloseAuthority>()
        .map_err(|_| error!(AnoGhostError::NotAnoGhostKey))?;
    Option::<Pubkey>::from(extension.close_authority)
        .ok_or_else(|| error!(AnoGhostError::NotAnoGhostKey))
}
