//! Reading an AnoGhost key NFT back from its Token-2022 mint account.
//!
//! The gateway uses this to check a key at join time, and tests use it to assert what
//! `key_mint` wrote.

use anchor_lang::prelude::Pubkey;
use anchor_spl::token_2022::spl_token_2022::extension::metadata_pointer::MetadataPointer;
use anchor_spl::token_2022::spl_token_2022::extension::mint_close_authority::MintCloseAuthority;
use anchor_spl::token_2022::spl_token_2022::extension::non_transferable::NonTransferable;
use anchor_spl::token_2022::spl_token_2022::extension::{
    BaseStateWithExtensions, StateWithExtensions,
};
use anchor_spl::token_2022::spl_token_2022::state::{Account as TokenAccount, Mint};
use anchor_spl::token_interface::spl_token_metadata_interface::state::TokenMetadata;
use anoghost::key_metadata::{FIELD_INVITE, FIELD_ROOM, INVITE_LEN, ROOM_BINDING_LEN};
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;

/// Why a mint account is not a well-formed AnoGhost key.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum KeyReadError {
    /// Raised if the bytes are not a Token-2022 mint.
    #[error("not a Token-2022 mint")]
    NotAMint,
    /// Raised if the mint has no TokenMetadata entry.
    #[error("the mint carries no token metadata")]
    NoMetadata,
    /// Raised if the `room` or `invite` field is missing, not base64, or of the wrong length.
    #[error("metadata field `{0}` is missing, not base64, or of the wrong length")]
    BadField(&'static str),
    /// Raised if the bytes are not a Token-2022 token account.
    #[error("not a Token-2022 token account")]
    NotATokenAccount,
}

/// What a key mint says about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyMintInfo {
    /// Tokens in circulation: 1 while the key lives, 0 once burned.
    pub supply: u64,
    /// Always 0 for keys.
    pub decimals: u8,
    /// `None` once `key_mint` has revoked it.
    pub mint_authority: Option<Pubkey>,
    /// Whether the NonTransferable extension is present (the key is soulbound).
    pub non_transferable: bool,
    /// The MintCloseAuthority extension's authority.
    pub close_authority: Option<Pubkey>,
    /// The MetadataPointer extension: (authority, metadata address).
    pub metadata_pointer: Option<(Option<Pubkey>, Option<Pubkey>)>,
    /// The metadata's update authority.
    pub metadata_update_authority: Option<Pubkey>,
    /// The key's display name.
    pub name: String,
    /// The key's symbol.
    pub symbol: String,
    /// The room binding: master key id and MAC of the mint address (decoded from base64).
    pub room_binding: [u8; ROOM_BINDING_LEN],
    /// The HPKE-sealed invite for the holder (decoded from base64).
    pub invite: [u8; INVITE_LEN],
}

/// Parses a key mint account's data.
pub fn read_key_mint(data: &[u8]) -> Result<KeyMintInfo, KeyReadError> {
    let state = StateWithExtensions::<Mint>::unpack(data).map_err(|_| KeyReadError::NotAMint)?;
    let metadata = state
        .get_variable_len_extension::<TokenMetadata>()
        .map_err(|_| KeyReadError::NoMetadata)?;
    let field = |name: &'static str| -> Result<Vec<u8>, KeyReadError> {
        let (_, value) = metadata
            .additional_metadata
            .iter()
            .find(|(key, _)| key == name)
            .ok_or(KeyReadError::BadField(name))?;
        BASE64
            .decode(value)
            .map_err(|_| KeyReadError::BadField(name))
    };
    Ok(KeyMintInfo {
        supply: state.base.supply,
        decimals: state.base.decimals,
        mint_authority: state.base.mint_authority.into(),
        non_transferable: state.get_extension::<NonTransferable>().is_ok(),
        close_authority: state
            .get_extension::<MintCloseAuthority>()
            .ok()
            .and_then(|ext| Option::<Pubkey>::from(ext.close_authority)),
        metadata_pointer: state.get_extension::<MetadataPointer>().ok().map(|ext| {
            (
                Option::<Pubkey>::from(ext.authority),
                Option::<Pubkey>::from(ext.metadata_address),
            )
        }),
        metadata_update_authority: Option::<Pubkey>::from(metadata.update_authority),
        name: metadata.name.clone(),
        symbol: metadata.symbol.clone(),
        room_binding: field(FIELD_ROOM)?
            .try_into()
            .map_err(|_| KeyReadError::BadField(FIELD_ROOM))?,
        invite: field(FIELD_INVITE)?
            .try_into()
            .map_err(|_| KeyReadError::BadField(FIELD_INVITE))?,
    })
}

/// The owner, mint and amount of a Token-2022 token account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyHolding {
    /// The wallet that owns the token account.
    pub owner: Pubkey,
    /// The mint it holds.
    pub mint: Pubkey,
    /// How many tokens it holds.
    pub amount: u64,
}

/// Parses a Token-2022 token account's data.
pub fn read_key_holding(data: &[u8]) -> Result<KeyHolding, KeyReadError> {
    let state = StateWithExtensions::<TokenAccount>::unpack(data)
        .map_err(|_| KeyReadError::NotATokenAccount)?;
    Ok(KeyHolding {
        owner: state.base.owner,
        mint: state.base.mint,
        amount: state.base.amount,
    })
}
