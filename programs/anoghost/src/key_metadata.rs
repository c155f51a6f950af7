//! The layout of a key NFT: its Token-2022 extensions, its metadata fields and the rent they
//! need. Shared by `key_mint` and by clients that read keys back.

use anchor_lang::prelude::*;
use anchor_spl::token_2022::spl_token_2022::extension::ExtensionType;
use anchor_spl::token_2022::spl_token_2022::state::Mint;
use anchor_spl::token_interface::solana_nullable::MaybeNull;
use anchor_spl::token_interface::spl_token_metadata_interface::state::TokenMetadata;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use spl_type_length_value::variable_len_pack::VariableLenPack;

use crate::errors::AnoGhostError;

/// Metadata field holding the sealed room id, base64.
pub const FIELD_ROOM: &str = "room";
/// Metadata field holding the sealed ghostId of the holder, base64.
pub const FIELD_GHOST: &str = "ghost";
/// Symbol every key carries.
pub const KEY_SYMBOL: &str = "GHOST";
/// Longest sealed field accepted, in bytes (before base64).
pub const MAX_SEALED_LEN: usize = 96;
/// Longest key name accepted, in bytes.
pub const MAX_KEY_NAME_LEN: usize = 32;

/// Token-2022 prefixes each extension with a 2-byte type and a 2-byte length. (The
/// `tlv_size_of` helper of the metadata interface assumes the 8-byte discriminator layout of
/// standalone TLV accounts and would over-fund every key by 8 bytes of rent.)
const TOKEN_2022_TLV_HEADER_LEN: usize = 4;

/// The fixed-size extensions every key mint carries, initialised before the mint itself.
pub const KEY_MINT_EXTENSIONS: [ExtensionType; 3] = [
    ExtensionType::NonTransferable,
    ExtensionType::MetadataPointer,
    ExtensionType::MintCloseAuthority,
];

/// Refuses empty or oversized sealed fields.
pub fn check_sealed(sealed: &[u8]) -> Result<()> {
    require!(
        (1..=MAX_SEALED_LEN).contains(&sealed.len()),
        AnoGhostError::InvalidSealedField
    );
    Ok(())
}

/// Refuses empty or oversized names.
pub fn check_name(name: &str) -> Result<()> {
    require!(
        (1..=MAX_KEY_NAME_LEN).contains(&name.len()),
        AnoGhostError::InvalidKeyName
    );
    Ok(())
}

/// The metadata a key mint ends up with once `key_mint` has run.
pub fn key_metadata(
    mint: Pubkey,
    authority: Pubkey,
    name: &str,
    sealed_room: &[u8],
    sealed_ghost: &[u8],
) -> Result<TokenMetadata> {
    let update_authority =
        MaybeNull::try_from(Some(authority)).map_err(|_| error!(AnoGhostError::NotAnoGhostKey))?;
    Ok(TokenMetadata {
        update_authority,
        mint,
        name: name.to_owned(),
        symbol: KEY_SYMBOL.to_owned(),
        uri: String::new(),
        additional_metadata: vec![
            (FIELD_ROOM.to_owned(), BASE64.encode(sealed_room)),
            (FIELD_GHOST.to_owned(), BASE64.encode(sealed_ghost)),
        ],
    })
}

/// Byte sizes of a key mint: `base` when the mint is created (Token-2022 requires the exact
/// size of the fixed extensions at `InitializeMint`), `full` after the metadata has been
/// written (Token-2022 reallocs the account itself, but the lamports must already be there).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyMintSize {
    /// Size at creation: the mint plus its fixed extensions.
    pub base: usize,
    /// Size once the variable-length metadata entry has been appended.
    pub full: usize,
}

/// Computes [`KeyMintSize`] for the given metadata.
pub fn key_mint_size(metadata: &TokenMetadata) -> Result<KeyMintSize> {
    let base = ExtensionType::try_calculate_account_len::<Mint>(&KEY_MINT_EXTENSIONS)?;
    let full = base
        .checked_add(TOKEN_2022_TLV_HEADER_LEN)
        .and_then(|len| len.checked_add(metadata.get_packed_len().ok()?))
        .ok_or_else(|| error!(AnoGhostError::ArithmeticOverflow))?;
    Ok(KeyMintSize { base, full })
}
