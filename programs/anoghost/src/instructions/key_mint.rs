use anchor_lang::prelude::*;
use anchor_lang::system_program;
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

use crate::errors::AnoGhostError;
use crate::key_metadata::{self, KEY_SYMBOL};
use crate::seeds::{SEED_CONFIG, SEED_KEY, SEED_KEY_AUTHORITY};
use crate::state::Config;

/// The second seed of a key mint's address: `sha256(sealed_ghost)`. Binding the address to
/// the sealed field means only this program can have created a mint at that address, so a
/// look-alike mint with copied metadata is refused by its address alone.
pub fn key_seed(sealed_ghost: &[u8]) -> [u8; 32] {
    solana_sha256_hasher::hash(sealed_ghost).to_bytes()
}

/// Mints one soulbound key NFT to `holder`: a Token-2022 mint with NonTransferable,
/// MetadataPointer (to itself), MintCloseAuthority (the key authority PDA) and TokenMetadata
/// carrying the sealed `room` and `ghost` fields; then the holder's ATA, a supply of exactly
/// one, and no mint authority left.
///
/// It deliberately takes no room escrow: linking each key to its room's escrow on chain would
/// reveal which keys belong to one room. The gateway fronts the rent and settles escrows
/// separately.
///
/// Accounts:
/// 0. `[writable, signer]` gateway_authority: the config's gateway authority; pays the rent.
/// 1. `[]` config: PDA `[SEED_CONFIG]`; must not be paused.
/// 2. `[]` key_authority: PDA `[SEED_KEY_AUTHORITY]`; mint, metadata and close authority.
/// 3. `[writable]` mint: PDA `[SEED_KEY, sha256(sealed_ghost)]`, created here.
/// 4. `[]` holder: the wallet that receives the key.
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

    /// CHECK: must be the PDA `[SEED_KEY, key_seed(sealed_ghost)]` (checked in `validate`,
    /// because the seed is a hash of an argument); created and initialised here.
    #[account(mut)]
    pub mint: UncheckedAccount<'info>,

    /// CHECK: any wallet may hold a key; the ATA program binds the token account to it.
    pub holder: UncheckedAccount<'info>,

    /// CHECK: created by the associated token program, which checks its address.
    #[account(mut)]
    pub holder_token_account: UncheckedAccount<'info>,

    pub token_program: Program<'info, Token2022>,
    pub associated_token_program: Program<'info, AssociatedToken>,
    pub system_program: Program<'info, System>,
}

impl KeyMint<'_> {
    /// Checks the arguments and the mint address; returns the mint's seed and bump.
    fn validate(
        &self,
        sealed_room: &[u8],
        sealed_ghost: &[u8],
        name: &str,
    ) -> Result<([u8; 32], u8)> {
        self.config.require_active()?;
        key_metadata::check_sealed(sealed_room)?;
        key_metadata::check_sealed(sealed_ghost)?;
        key_metadata::check_name(name)?;
        let seed = key_seed(sealed_ghost);
        let (expected, bump) = Pubkey::find_program_address(&[SEED_KEY, &seed], &crate::ID);
        require_keys_eq!(self.mint.key(), expected, AnoGhostError::WrongKeyAddress);
        Ok((seed, bump))
    }
}

pub fn process_key_mint(
    ctx: Context<KeyMint>,
    sealed_room: Vec<u8>,
    sealed_ghost: Vec<u8>,
    name: String,
) -> Result<()> {
    let (seed, mint_bump) = ctx.accounts.validate(&sealed_room, &sealed_ghost, &name)?;
    let accounts = &ctx.accounts;
    let mint = accounts.mint.key();
    let authority = accounts.key_authority.key();
    let metadata = key_metadata::key_metadata(mint, authority, &name, &sealed_room, &sealed_ghost)?;
    let size = key_metadata::key_mint_size(&metadata)?;

    let mint_seeds: &[&[u8]] = &[SEED_KEY, seed.as_ref(), &[mint_bump]];
    let authority_seeds: &[&[u8]] = &[SEED_KEY_AUTHORITY, &[ctx.bumps.key_authority]];

    create_mint_account(accounts, size.base, size.full, mint_seeds)?;
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

fn create_mint_account(
    accounts: &KeyMint,
    base_len: usize,
    full_len: usize,
    mint_seeds: &[&[u8]],
) -> Result<()> {
    let lamports = Rent::get()?.minimum_balance(full_len);
    let space = u64::try_from(base_len).map_err(|_| error!(AnoGhostError::ArithmeticOverflow))?;
    system_program::create_account(
        CpiContext::new_with_signer(
            system_program::ID,
            system_program::CreateAccount {
                from: accounts.gateway_authority.to_account_info(),
                to: accounts.mint.to_account_info(),
            },
            &[mint_seeds],
        ),
        lamports,
        space,
        &Token2022::id(),
    )
}

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
