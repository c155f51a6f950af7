use anchor_lang::prelude::*;
use anchor_spl::associated_token::get_associated_token_address_with_program_id;
use anchor_spl::token_2022::{self, Token2022};

use crate::errors::AnoGhostError;
use crate::seeds::{SEED_CONFIG, SEED_KEY, SEED_KEY_AUTHORITY};
use crate::state::Config;

/// Burns a holder's key and closes its token account and its mint. Both rents go to the
/// config's gateway authority, which fronted them at `key_mint`.
///
/// Only the holder signs for the key; it need not pay the fee, so a holder address needs no
/// lamports (funding it from the wallet would link the two). The gateway offers
/// `POST /v1/keys/burn` to co-sign as fee payer.
///
/// Accounts:
/// 0. `[signer]` holder: the key's one-time holder address.
/// 1. `[]` config: PDA `[SEED_CONFIG]`.
/// 2. `[]` key_authority: PDA `[SEED_KEY_AUTHORITY]`; the mint's close authority.
/// 3. `[writable]` mint: PDA `[SEED_KEY, holder]`; closed here.
/// 4. `[writable]` holder_token_account: the holder's Token-2022 ATA for `mint`; closed here.
/// 5. `[writable]` rent_recipient: the config's gateway authority.
/// 6. `[]` token_program: Token-2022.
#[derive(Accounts)]
pub struct KeyBurn<'info> {
    pub holder: Signer<'info>,

    #[account(seeds = [SEED_CONFIG], bump = config.bump)]
    pub config: Account<'info, Config>,

    /// CHECK: a PDA with no data; it only signs.
    #[account(seeds = [SEED_KEY_AUTHORITY], bump)]
    pub key_authority: UncheckedAccount<'info>,

    /// CHECK: the key PDA of `holder`; Token-2022 checks it is a mint when it burns.
    #[account(mut, seeds = [SEED_KEY, holder.key().as_ref()], bump)]
    pub mint: UncheckedAccount<'info>,

    /// CHECK: must be the holder's ATA for `mint`; Token-2022 checks its owner and mint.
    #[account(
        mut,
        address = get_associated_token_address_with_program_id(
            &holder.key(),
            &mint.key(),
            &Token2022::id(),
        ),
    )]
    pub holder_token_account: UncheckedAccount<'info>,

    /// CHECK: must be the config's gateway authority; only credited.
    #[account(
        mut,
        address = config.gateway_authority @ AnoGhostError::NotGatewayAuthority,
    )]
    pub rent_recipient: UncheckedAccount<'info>,

    pub token_program: Program<'info, Token2022>,
}

pub fn process_key_burn(ctx: Context<KeyBurn>) -> Result<()> {
    let accounts = &ctx.accounts;
    let token_program = Token2022::id();
    token_2022::burn(
        CpiContext::new(
            token_program,
            token_2022::Burn {
                mint: accounts.mint.to_account_info(),
                from: accounts.holder_token_account.to_account_info(),
                authority: accounts.holder.to_account_info(),
            },
        ),
        1,
    )?;
    token_2022::close_account(CpiContext::new(
        token_program,
        token_2022::CloseAccount {
            account: accounts.holder_token_account.to_account_info(),
            destination: accounts.rent_recipient.to_account_info(),
            authority: accounts.holder.to_account_info(),
        },
    ))?;
    let authority_seeds: &[&[u8]] = &[SEED_KEY_AUTHORITY, &[ctx.bumps.key_authority]];
    token_2022::close_account(CpiContext::new_with_signer(
        token_program,
        token_2022::CloseAccount {
            account: accounts.mint.to_account_info(),
            destination: accounts.rent_recipient.to_account_info(),
            authority: accounts.key_authority.to_account_info(),
        },
        &[authority_seeds],
    ))
}
