//! The key-mint decoder (`program-client/src/key.rs`, `read_key_mint`), which the gateway
//! runs at every paid join on account data from an RPC node it does not control.
//!
//! Inputs are Token-2022 mints built with the real extension writers (any mix of
//! NonTransferable, MintCloseAuthority, MetadataPointer and TokenMetadata, with any fields),
//! then damaged byte by byte: raw bytes would never get past the account-type check.
//!
//! Invariants: decoding never panics; an undamaged mint with both fields of their exact
//! lengths decodes to exactly what was written (supply, decimals, authorities, extensions,
//! name, symbol, room binding, sealed invite); one with a field missing or of another
//! length is refused as `BadField`.

use crate::Damage;
use anchor_lang::prelude::Pubkey;
use anchor_spl::token_2022::spl_token_2022::extension::metadata_pointer::MetadataPointer;
use anchor_spl::token_2022::spl_token_2022::extension::mint_close_authority::MintCloseAuthority;
use anchor_spl::token_2022::spl_token_2022::extension::non_transferable::NonTransferable;
use anchor_spl::token_2022::spl_token_2022::extension::{
    BaseStateWithExtensionsMut, ExtensionType, StateWithExtensionsMut,
};
use anchor_spl::token_2022::spl_token_2022::state::Mint;
use anchor_spl::token_interface::spl_token_metadata_interface::state::TokenMetadata;
use anoghost::key_metadata::{FIELD_INVITE, FIELD_ROOM, INVITE_LEN, ROOM_BINDING_LEN};
use anoghost_program_client::key::{read_key_mint, KeyReadError};
use arbitrary::Arbitrary;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;

/// A metadata pointer's authority and address, each present or not.
type PointerFields = (Option<[u8; 32]>, Option<[u8; 32]>);

#[derive(Debug, Arbitrary)]
struct Input {
    supply: u64,
    decimals: u8,
    mint_authority: Option<[u8; 32]>,
    non_transferable: bool,
    close_authority: Option<Option<[u8; 32]>>,
    metadata_pointer: Option<PointerFields>,
    metadata: Option<Metadata>,
    damage: Damage,
}

#[derive(Debug, Arbitrary)]
struct Metadata {
    update_authority: Option<[u8; 32]>,
    name: String,
    symbol: String,
    uri: String,
    room: Field,
    invite: Field,
    others: Vec<(String, String)>,
}

#[derive(Debug, Arbitrary)]
enum Field {
    Missing,
    /// Bytes cut or zero-padded to the field's exact length.
    Fitting(Vec<u8>),
    Bytes(Vec<u8>),
    Text(String),
}

impl Field {
    /// The metadata value written for a field of `len` bytes.
    fn value(&self, len: usize) -> Option<String> {
        match self {
            Self::Missing => None,
            Self::Fitting(bytes) => {
                let mut bytes = bytes.clone();
                bytes.resize(len, 0);
                Some(BASE64.encode(bytes))
            }
            Self::Bytes(bytes) => Some(BASE64.encode(bytes)),
            Self::Text(text) => Some(text.clone()),
        }
    }

    /// The bytes the field must decode to, if its value is base64 of exactly `len` bytes.
    fn expected(&self, len: usize) -> Option<Vec<u8>> {
        let bytes = BASE64.decode(self.value(len)?).ok()?;
        (bytes.len() == len).then_some(bytes)
    }
}

fn key(bytes: Option<[u8; 32]>) -> Option<Pubkey> {
    bytes.map(Pubkey::new_from_array)
}

/// The mint's bytes, as Token-2022 lays them out; `None` where the writers refuse.
fn build(input: &Input, metadata: Option<&TokenMetadata>) -> Option<Vec<u8>> {
    let mut fixed = Vec::new();
    if input.non_transferable {
        fixed.push(ExtensionType::NonTransferable);
    }
    if input.close_authority.is_some() {
        fixed.push(ExtensionType::MintCloseAuthority);
    }
    if input.metadata_pointer.is_some() {
        fixed.push(ExtensionType::MetadataPointer);
    }
    let mut len = if fixed.is_empty() && metadata.is_some() {
        // The account type byte and padding up to a token account's size come first.
        166
    } else {
        ExtensionType::try_calculate_account_len::<Mint>(&fixed).ok()?
    };
    if let Some(metadata) = metadata {
        // A Token-2022 TLV entry is a 2-byte type and a 2-byte length; `tlv_size_of`
        // counts the 12 bytes of a standalone TLV account's header instead.
        len += metadata.tlv_size_of().ok()? - 8;
    }
    let mut data = vec![0u8; len];
    let mut state = StateWithExtensionsMut::<Mint>::unpack_uninitialized(&mut data).ok()?;
    if input.non_transferable {
        state.init_extension::<NonTransferable>(false).ok()?;
    }
    if let Some(authority) = input.close_authority {
        let extension = state.init_extension::<MintCloseAuthority>(false).ok()?;
        extension.close_authority = key(authority).try_into().ok()?;
    }
    if let Some((authority, address)) = input.metadata_pointer {
        let extension = state.init_extension::<MetadataPointer>(false).ok()?;
        extension.authority = key(authority).try_into().ok()?;
        extension.metadata_address = key(address).try_into().ok()?;
    }
    state.base = Mint {
        mint_authority: key(input.mint_authority).into(),
        supply: input.supply,
        decimals: input.decimals,
        is_initialized: true,
        freeze_authority: None.into(),
    };
    state.pack_base();
    if let Some(metadata) = metadata {
        state.init_variable_len_extension(metadata, false).ok()?;
    }
    state.init_account_type().ok()?;
    Some(data)
}

fn run(input: Input) {
    let metadata = input.metadata.as_ref().map(|m| {
        let mut additional_metadata: Vec<(String, String)> = Vec::new();
        let fields = [
            (FIELD_ROOM, &m.room, ROOM_BINDING_LEN),
            (FIELD_INVITE, &m.invite, INVITE_LEN),
        ];
        for (name, field, len) in fields {
            if let Some(value) = field.value(len) {
                additional_metadata.push((name.to_owned(), value));
            }
        }
        // Other entries never share the two fields' names: which entry a reader takes when
        // a name repeats is the writer's business (the program writes each once).
        let others = m
            .others
            .iter()
            .filter(|(name, _)| name != FIELD_ROOM && name != FIELD_INVITE);
        additional_metadata.extend(others.cloned());
        TokenMetadata {
            update_authority: key(m.update_authority).try_into().unwrap_or_default(),
            mint: Pubkey::new_from_array([9; 32]),
            name: m.name.clone(),
            symbol: m.symbol.clone(),
            uri: m.uri.clone(),
            additional_metadata,
        }
    });
    let Some(mut data) = build(&input, metadata.as_ref()) else {
        return;
    };
    let intact = input.damage.is_none();
    input.damage.apply(&mut data);
    let decoded = read_key_mint(&data);
    let (Some(metadata), Some(fields), true) = (&input.metadata, &metadata, intact) else {
        return;
    };
    let Some(room) = metadata.room.expected(ROOM_BINDING_LEN) else {
        return assert_eq!(decoded, Err(KeyReadError::BadField(FIELD_ROOM)));
    };
    let Some(invite) = metadata.invite.expected(INVITE_LEN) else {
        return assert_eq!(decoded, Err(KeyReadError::BadField(FIELD_INVITE)));
    };
    let key = decoded.expect("an intact key mint decodes");
    assert_eq!((key.supply, key.decimals), (input.supply, input.decimals));
    assert_eq!(key.mint_authority, self::key(input.mint_authority));
    assert_eq!(key.non_transferable, input.non_transferable);
    assert_eq!(
        key.close_authority,
        input.close_authority.flatten().map(Pubkey::new_from_array)
    );
    assert_eq!(
        key.metadata_pointer,
        input
            .metadata_pointer
            .map(|(a, m)| (self::key(a), self::key(m)))
    );
    assert_eq!(
        key.metadata_update_authority,
        Option::<Pubkey>::from(fields.update_authority)
    );
    assert_eq!((&key.name, &key.symbol), (&fields.name, &fields.symbol));
    assert_eq!(key.room_binding.as_slice(), room.as_slice());
    assert_eq!(key.invite.as_slice(), invite.as_slice());
}

/// The target on the bytes libFuzzer gives it: `false` when they do not make an input.
pub fn fuzz(bytes: &[u8]) -> bool {
    crate::structured(bytes, run)
}
