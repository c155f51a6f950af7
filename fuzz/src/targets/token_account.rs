//! The token-account decoder (`program-client/src/key.rs`, `read_key_holding`), which the
//! gateway runs at every paid join on the holder's account as an RPC node returns it.
//!
//! Inputs are Token-2022 token accounts built with the real writers (with or without the
//! ImmutableOwner and NonTransferableAccount extensions a key's account carries), then
//! damaged byte by byte, or any bytes at all.
//!
//! Invariants: decoding never panics; an undamaged account decodes to exactly its owner,
//! mint and amount; what decodes from any bytes is the base state those bytes hold.

use crate::Damage;
use anchor_lang::prelude::Pubkey;
use anchor_spl::token_2022::spl_token_2022::extension::immutable_owner::ImmutableOwner;
use anchor_spl::token_2022::spl_token_2022::extension::non_transferable::NonTransferableAccount;
use anchor_spl::token_2022::spl_token_2022::extension::{
    BaseStateWithExtensionsMut, ExtensionType, StateWithExtensionsMut,
};
use anchor_spl::token_2022::spl_token_2022::state::{Account, AccountState};
use anoghost_program_client::key::read_key_holding;
use arbitrary::Arbitrary;

#[derive(Debug, Arbitrary)]
enum Input<'a> {
    Raw(&'a [u8]),
    Built {
        owner: [u8; 32],
        mint: [u8; 32],
        amount: u64,
        frozen: bool,
        immutable_owner: bool,
        non_transferable: bool,
        damage: Damage,
    },
}

fn build(base: Account, immutable_owner: bool, non_transferable: bool) -> Option<Vec<u8>> {
    let mut extensions = Vec::new();
    if immutable_owner {
        extensions.push(ExtensionType::ImmutableOwner);
    }
    if non_transferable {
        extensions.push(ExtensionType::NonTransferableAccount);
    }
    let len = ExtensionType::try_calculate_account_len::<Account>(&extensions).ok()?;
    let mut data = vec![0u8; len];
    let mut state = StateWithExtensionsMut::<Account>::unpack_uninitialized(&mut data).ok()?;
    if immutable_owner {
        state.init_extension::<ImmutableOwner>(false).ok()?;
    }
    if non_transferable {
        state.init_extension::<NonTransferableAccount>(false).ok()?;
    }
    state.base = base;
    state.pack_base();
    state.init_account_type().ok()?;
    Some(data)
}

fn run(input: Input<'_>) {
    match input {
        Input::Raw(bytes) => {
            let _ = read_key_holding(bytes);
        }
        Input::Built {
            owner,
            mint,
            amount,
            frozen,
            immutable_owner,
            non_transferable,
            damage,
        } => {
            let base = Account {
                mint: Pubkey::new_from_array(mint),
                owner: Pubkey::new_from_array(owner),
                amount,
                state: if frozen {
                    AccountState::Frozen
                } else {
                    AccountState::Initialized
                },
                ..Account::default()
            };
            let Some(mut data) = build(base, immutable_owner, non_transferable) else {
                return;
            };
            let intact = damage.is_none();
            damage.apply(&mut data);
            let decoded = read_key_holding(&data);
            if intact {
                let holding = decoded.expect("an intact token account decodes");
                assert_eq!(
                    (holding.owner, holding.mint, holding.amount),
                    (base.owner, base.mint, base.amount)
                );
            } else if let Ok(holding) = decoded {
                // Whatever decodes is read from the first 72 bytes, where the base state sits.
                assert_eq!(&data[..32], holding.mint.as_ref());
                assert_eq!(&data[32..64], holding.owner.as_ref());
                assert_eq!(data[64..72], holding.amount.to_le_bytes());
            }
        }
    }
}

/// The target on the bytes libFuzzer gives it: `false` when they do not make an input.
pub fn fuzz(bytes: &[u8]) -> bool {
    crate::structured(bytes, run)
}
