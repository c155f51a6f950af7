use anchor_lang::prelude::*;
use anchor_spl::associated_token::{self, AssociatedToken};
use anchor_spl::token_2022::spl_token_2022::instruction::AuthorityType;
use anchor_spl::token_2022::{self, Token2022};
use anchor_spl::token_interface::spl_token_metadata_interface::state::Field;
use anchor_spl::token_interface::{
    metadata_pointer_initialize, mint_close_authority_initialize, non_transferable_mint_initialize,
    token_metadata_initialize, token_metadata_update_field, MetadataPointerInitialize,
    MintCloseAuthorityInitialize, NonTransferableMintInitialize, TokenMetadataInitialize,
    TokenMetadataUpdateField,
};

use crate::create_account::{create_pda_account, NewAccount};
use crate::errors::AnoGhostError;
use crate::key_metadata::{self, INVITE_LEN, KEY_SYMBOL, ROOM_BINDING_LEN};
use crate::seeds::{SEED_CONFIG, SEED_KEY, SEED_KEY_AUTHORITY};
use crate::state::Config;

/// Mints one soulbound key NFT to `holder`: a Token-2022 mint at `[SEED_KEY, holder]` with
/// NonTransferable, MetadataPointer (to itself), MintCloseAuthority (the key authority PDA)
/// and TokenMetadata carrying the constant name, the `room` binding and the sealed
/// `invite`; then the holder's ATA, a supply of exactly one, and no mint authority left.
///
/// `holder` is a one-time address the invitee derived from its wallet; nothing here names
/// the wallet or the room. The instruction takes no room escrow (that would tie a room's
/// keys together on chain); the gateway locks and settles escrows in their own
/// instructions. A holder has at most one key: a second mint for it fails with
/// `AddressTaken`. Lamports sent to the mint's or the ATA's address beforehand do not block
/// the mint.
///
/// Accounts:
/// 0. `[writable, signer]` gateway_authority: the config's gateway authority; pays the rent.
/// 1. `[]` config: PDA `[SEED_CONFIG]`; must not be paused.
/// 2. `[]` key_authority: PDA `[SEED_KEY_AUTHORITY]`; mint, metadata and close authority.
/// 3. `[writable]` mint: PDA `[SEED_KEY, holder]`, created here.
/// 4. `[]` holder: the one-time address that receives the key.
/// 5. `[writable]` holder_token_account: the holder's Token-2022 ATA for `mint`, created here.
/// 6. `[]` token_program: Token-2022.
/// 7. `[]` associated_token_program.
/// 8. `[]` system_program.
#[derive(Accounts)]
pub struct KeyMint<'info> {
    #[account(mut)]
    pub gateway_authority: Signer<'info>,

    #[account(
        seeds = [SEED_CONFIG],
        bump = config.bump,
        has_one = gateway_authority @ AnoGhostError::NotGatewayAuthority,
    )]
    pub config: Account<'info, Config>,

    /// CHECK: a PDA with no data; it only signs.
    #[account(seeds = [SEED_KEY_AUTHORITY], bump)]
    pub key_authority: UncheckedAccount<'info>,

    /// CHECK: the key PDA of `holder`; created and initialised here.
    #[account(mut, seeds = [SEED_KEY, holder.key().as_ref()], bump)]
    pub mint: UncheckedAccount<'info>,

    /// CHECK: any address may hold a key; the ATA program binds the token account to it.
    pub holder: UncheckedAccount<'info>,

    /// CHECK: created by the associated token program, which checks its address.
    #[account(mut)]
    pub holder_token_account: UncheckedAccount<'info>,

    pub token_program: Program<'info, Token2022>,
    pub associated_token_program: Program<'info, AssociatedToken>,
    pub system_program: Program<'info, System>,
}

pub fn process_key_mint(
    ctx: Context<KeyMint>,
    room_binding: [u8; ROOM_BINDING_LEN],
    invite: [u8; INVITE_LEN],
) -> Result<()> {
    let accounts = &ctx.accounts;
    accounts.config.require_active()?;
    let mint = accounts.mint.key();
    let holder = accounts.holder.key();
    let authority = accounts.key_authority.key();
    let metadata = key_metadata::key_metadata(mint, authority, &room_binding, &invite)?;
    let size = key_metadata::key_mint_size(&metadata)?;

    let mint_seeds: &[&[u8]] = &[SEED_KEY, holder.as_ref(), &[ctx.bumps.mint]];
    let authority_seeds: &[&[u8]] = &[SEED_KEY_AUTHORITY, &[ctx.bumps.key_authority]];

    // Funded for the final size; created at the base size Token-2022 expects.
    create_pda_account(
        NewAccount {
            payer: &accounts.gateway_authority.to_account_info(),
            target: &accounts.mint.to_account_info(),
            system_program: &accounts.system_program.to_account_info(),
            seeds: mint_seeds,
        },
        Rent::get()?.minimum_balance(size.full),
        size.base,
        &Token2022::id(),
    )?;
    init_fixed_extensions(accounts)?;
    token_2022::initialize_mint2(
        CpiContext::new(
            Token2022::id(),
            token_2022::InitializeMint2 {
                mint: accounts.mint.to_account_info(),
            },
        ),
        0,
        &authority,
        None,
    )?;
    write_metadata(accounts, metadata, authority_seeds)?;
    mint_one_and_revoke(accounts, authority_seeds)
}

#[inline(never)]
fn init_fixed_extensions(accounts: &KeyMint) -> Result<()> {
    let token_program = accounts.token_program.to_account_info();
    let mint = accounts.mint.to_account_info();
    let authority = accounts.key_authority.key();
    non_transferable_mint_initialize(CpiContext::new(
        Token2022::id(),
        NonTransferableMintInitialize {
            token_program_id: token_program.clone(),
            mint: mint.clone(),
        },
    ))?;
    metadata_pointer_initialize(
        CpiContext::new(
            Token2022::id(),
            MetadataPointerInitialize {
                token_program_id: token_program.clone(),
                mint: mint.clone(),
            },
        ),
        Some(authority),
        Some(mint.key()),
    )?;
    mint_close_authority_initialize(
        CpiContext::new(
            Token2022::id(),
            MintCloseAuthorityInitialize {
                token_program_id: token_program,
                mint,
            },
        ),
        Some(&authority),
    )
}

#[inline(never)]
fn write_metadata(
    accounts: &KeyMint,
    metadata: anchor_spl::token_interface::spl_token_metadata_interface::state::TokenMetadata,
    authority_seeds: &[&[u8]],
) -> Result<()> {
    let signer: &[&[&[u8]]] = &[authority_seeds];
    let token_program = accounts.token_program.to_account_info();
    let mint = accounts.mint.to_account_info();
    let authority = accounts.key_authority.to_account_info();
    token_metadata_initialize(
        CpiContext::new_with_signer(
            Token2022::id(),
            TokenMetadataInitialize {
                program_id: token_program.clone(),
                metadata: mint.clone(),
                update_authority: authority.clone(),
                mint_authority: authority.clone(),
                mint: mint.clone(),
            },
            signer,
        ),
        metadata.name,
        KEY_SYMBOL.to_owned(),
        metadata.uri,
    )?;
    for (key, value) in metadata.additional_metadata {
        token_metadata_update_field(
            CpiContext::new_with_signer(
                Token2022::id(),
                TokenMetadataUpdateField {
                    program_id: token_program.clone(),
                    metadata: mint.clone(),
                    update_authority: authority.clone(),
                },
                signer,
            ),
            Field::Key(key),
            value,
        )?;
    }
    Ok(())
}

#[inline(never)]
fn mint_one_and_revoke(accounts: &KeyMint, authority_seeds: &[&[u8]]) -> Result<()> {
    let signer: &[&[&[u8]]] = &[authority_seeds];
    associated_token::create(CpiContext::new(
        AssociatedToken::id(),
        associated_token::Create {
            payer: accounts.gateway_authority.to_account_info(),
            associated_token: accounts.holder_token_account.to_account_info(),
            authority: accounts.holder.to_account_info(),
            mint: accounts.mint.to_account_info(),
            system_program: accounts.system_program.to_account_info(),
            token_program: accounts.token_program.to_account_info(),
        },
    ))?;
    token_2022::mint_to(
        CpiContext::new_with_signer(
            Token2022::id(),
            token_2022::MintTo {
                mint: accounts.mint.to_account_info(),
                to: accounts.holder_token_account.to_account_info(),
                authority: accounts.key_authority.to_account_info(),
            },
            signer,
        ),
        1,
    )?;
    token_2022::set_authority(
        CpiContext::new_with_signer(
            Token2022::id(),
            token_2022::SetAuthority {
                current_authority: accounts.key_authority.to_account_info(),
                account_or_mint: accounts.mint.to_account_info(),
            },
            signer,
        ),
        AuthorityType::MintTokens,
        None,
    )
}
