//! The layout of a key NFT: its Token-2022 extensions, its metadata fields and the rent they
//! need. Shared by `key_mint` and by clients that read keys back.
//!
//! Every key carries the same name and fields of fixed length, so every key mint has the
//! same size and rent: nothing about a room (its name, its size) shows in a key.

use anchor_lang::prelude::*;
use anchor_spl::token_2022::spl_token_2022::extension::ExtensionType;
use anchor_spl::token_2022::spl_token_2022::state::Mint;
use anchor_spl::token_interface::solana_nullable::MaybeNull;
use anchor_spl::token_interface::spl_token_metadata_interface::state::TokenMetadata;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use spl_type_length_value::variable_len_pack::VariableLenPack;

use crate::errors::AnoGhostError;

/// Metadata field holding the room binding (key id and MAC of the mint address), base64.
pub const FIELD_ROOM: &str = "room";
/// Metadata field holding the HPKE-sealed invite for the holder, base64.
pub const FIELD_INVITE: &str = "invite";
/// The name every key carries: the room's name travels end to end, never on chain.
pub const KEY_NAME: &str = "AnoGhost key";
/// Symbol every key carries.
pub const KEY_SYMBOL: &str = "GHOST";
/// Bytes of a room binding: master key id (1) and HMAC-SHA256 (32).
pub const ROOM_BINDING_LEN: usize = 33;
/// Bytes of a sealed invite: HPKE encapsulated key (32), ciphertext (49) and tag (16).
pub const INVITE_LEN: usize = 97;

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

/// The metadata a key mint ends up with once `key_mint` has run.
pub fn key_metadata(
    mint: Pubkey,
    authority: Pubkey,
    room_binding: &[u8; ROOM_BINDING_LEN],
    invite: &[u8; INVITE_LEN],
) -> Result<TokenMetadata> {
    let update_authority =
        MaybeNull::try_from(Some(authority)).map_err(|_| error!(AnoGhostError::NotAnoGhostKey))?;
    Ok(TokenMetadata {
        update_authority,
        mint,
        name: KEY_NAME.to_owned(),
        symbol: KEY_SYMBOL.to_owned(),
        uri: String::new(),
        additional_metadata: vec![
            (FIELD_ROOM.to_owned(), BASE64.encode(room_binding)),
            (FIELD_INVITE.to_owned(), BASE64.encode(invite)),
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
