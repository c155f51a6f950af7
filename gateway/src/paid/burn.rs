//! Co-signing a holder's `key_burn` as fee payer (`POST /v1/keys/burn`).
//!
//! A holder address holds no lamports: funding it from the wallet would tie the two on
//! chain. So the gateway authority pays the burn's fee, which the rents it gets back cover
//! many times over. It signs only a transaction that is exactly one `key_burn` for the
//! holder that signed it, paid by the gateway authority, for a key that exists: anything
//! else could spend the authority's lamports or use its signature.

use anchor_lang::prelude::Pubkey;
use anchor_spl::token_2022::ID as TOKEN_2022;
use anoghost_program_client::key::read_key_holding;
use anoghost_program_client::{instructions as ix, key_token_account, pda};
use solana_sdk::message::Message;
use solana_sdk::signature::{Keypair, Signature, Signer};
use solana_sdk::transaction::Transaction;

use super::chain::{Chain, ChainError};

/// Why a burn transaction was not co-signed.
#[derive(Debug, thiserror::Error)]
pub enum BurnRefused {
    /// Raised if the transaction is anything but one `key_burn`, for the holder that signs
    /// it, paid by this gateway's authority.
    #[error("not a key_burn paid by this gateway")]
    NotAKeyBurn,
    /// Raised if the holder's signature does not verify.
    #[error("the holder's signature does not verify")]
    BadSignature,
    /// Raised if the holder has no live key to burn.
    #[error("no key to burn")]
    NoKey,
    /// Raised if the chain could not be read, or the burn failed.
    #[error(transparent)]
    Chain(#[from] ChainError),
}

/// The holder whose key `transaction` burns, if it is exactly what the gateway co-signs.
pub fn check_burn(transaction: &Transaction, authority: &Pubkey) -> Result<Pubkey, BurnRefused> {
    let message = &transaction.message;
    let [instruction] = message.instructions.as_slice() else {
        return Err(BurnRefused::NotAKeyBurn);
    };
    let holder = instruction
        .accounts
        .first()
        .and_then(|index| message.account_keys.get(usize::from(*index)))
        .copied()
        .ok_or(BurnRefused::NotAKeyBurn)?;
    // Rebuilt from scratch: every account, flag and byte must be what the builder makes.
    let expected = Message::new_with_blockhash(
        &[ix::key_burn(&holder, authority)],
        Some(authority),
        &message.recent_blockhash,
    );
    if !same_up_to_key_order(message, &expected) || transaction.signatures.len() != 2 {
        return Err(BurnRefused::NotAKeyBurn);
    }
    let holder_index = message
        .account_keys
        .iter()
        .position(|key| *key == holder)
        .ok_or(BurnRefused::NotAKeyBurn)?;
    let signature = transaction.signatures[holder_index];
    if !signature.verify(holder.as_ref(), &message.serialize()) {
        return Err(BurnRefused::BadSignature);
    }
    Ok(holder)
}

/// Whether `message` runs exactly what `expected` runs: the same fee payer, the same
/// accounts with the same signer and writable flags, and the same instructions. Only the
/// order of the accounts after the fee payer may differ: clients order them differently
/// (Rust sorts them by bytes, `@solana/kit` by their base58 text), and the chain does not
/// care.
fn same_up_to_key_order(message: &Message, expected: &Message) -> bool {
    let keys = &message.account_keys;
    let unique: std::collections::HashSet<&Pubkey> = keys.iter().collect();
    if message.header != expected.header
        || message.recent_blockhash != expected.recent_blockhash
        || keys.len() != expected.account_keys.len()
        || unique.len() != keys.len()
        || keys.first() != expected.account_keys.first()
        || message.instructions.len() != expected.instructions.len()
    {
        return false;
    }
    let flags = |m: &Message, i: usize| (m.is_signer(i), m.is_maybe_writable(i, None));
    let same_account = |ours: u8, theirs: u8| {
        let (ours, theirs) = (usize::from(ours), usize::from(theirs));
        keys.get(ours) == expected.account_keys.get(theirs)
            && flags(message, ours) == flags(expected, theirs)
    };
    let every_key_alike = expected
        .account_keys
        .iter()
        .enumerate()
        .all(|(theirs, key)| {
            keys.iter()
                .position(|k| k == key)
                .is_some_and(|ours| flags(message, ours) == flags(expected, theirs))
        });
    every_key_alike
        && message
            .instructions
            .iter()
            .zip(&expected.instructions)
            .all(|(ours, theirs)| {
                ours.data == theirs.data
                    && same_account(ours.program_id_index, theirs.program_id_index)
                    && ours.accounts.len() == theirs.accounts.len()
                    && ours
                        .accounts
                        .iter()
                        .zip(&theirs.accounts)
                        .all(|(a, b)| same_account(*a, *b))
            })
}

/// Checks `transaction`, checks the key is there to burn (so the authority never pays for a
/// burn that fails), co-signs it as fee payer and sends it.
pub async fn co_sign_and_send(
    chain: &dyn Chain,
    authority: &Keypair,
    mut transaction: Transaction,
) -> Result<Signature, BurnRefused> {
    let holder = check_burn(&transaction, &authority.pubkey())?;
    let mint = pda::key_mint(&holder);
    let accounts = chain
        .get_multiple_accounts(&[mint, key_token_account(&holder, &mint)])
        .await?;
    let held = accounts
        .get(1)
        .and_then(Option::as_ref)
        .is_some_and(|account| {
            account.owner == TOKEN_2022
                && read_key_holding(&account.data).is_ok_and(|holding| holding.amount == 1)
        });
    if accounts.first().and_then(Option::as_ref).is_none() || !held {
        return Err(BurnRefused::NoKey);
    }
    let blockhash = transaction.message.recent_blockhash;
    transaction
        .try_partial_sign(&[authority], blockhash)
        .map_err(|_| BurnRefused::NotAKeyBurn)?;
    Ok(chain.send_and_confirm(transaction).await?)
}

#[cfg(test)]
mod tests {
    use solana_sdk::hash::Hash;

    use super::*;

    fn burn(holder: &Keypair, authority: &Pubkey) -> Transaction {
        let message = Message::new_with_blockhash(
            &[ix::key_burn(&holder.pubkey(), authority)],
            Some(authority),
            &Hash::new_from_array([5; 32]),
        );
        let mut transaction = Transaction::new_unsigned(message);
        transaction
            .try_partial_sign(&[holder], Hash::new_from_array([5; 32]))
            .unwrap();
        transaction
    }

    #[test]
    fn a_holder_signed_key_burn_paid_by_the_authority_passes() {
        let (holder, authority) = (Keypair::new(), Keypair::new());
        let transaction = burn(&holder, &authority.pubkey());
        assert_eq!(
            check_burn(&transaction, &authority.pubkey()).unwrap(),
            holder.pubkey()
        );
    }

    /// Another client's order of the accounts (here: every non-payer key in reverse, its
    /// indices remapped and the header kept valid by moving within each flag group).
    #[test]
    fn the_same_burn_with_its_accounts_in_another_order_passes() {
        let (holder, authority) = (Keypair::new(), Keypair::new());
        let original = burn(&holder, &authority.pubkey());
        let mut message = original.message.clone();
        let header = message.header;
        let signers = usize::from(header.num_required_signatures);
        let total = message.account_keys.len();
        let unsigned_writable =
            total - signers - usize::from(header.num_readonly_unsigned_accounts);
        // The readonly non-signers (config, key authority, programs) reversed.
        let mut order: Vec<usize> = (0..total).collect();
        order[signers + unsigned_writable..].reverse();
        assert!(
            total - signers - unsigned_writable >= 2,
            "something to reorder"
        );
        message.account_keys = order
            .iter()
            .map(|&i| original.message.account_keys[i])
            .collect();
        let new_index = |old: u8| order.iter().position(|&i| i == usize::from(old)).unwrap() as u8;
        for instruction in &mut message.instructions {
            instruction.program_id_index = new_index(instruction.program_id_index);
            for account in &mut instruction.accounts {
                *account = new_index(*account);
            }
        }
        assert_ne!(message, original.message);
        let mut reordered = Transaction::new_unsigned(message);
        reordered
            .try_partial_sign(&[&holder], Hash::new_from_array([5; 32]))
            .unwrap();
        assert_eq!(
            check_burn(&reordered, &authority.pubkey()).unwrap(),
            holder.pubkey()
        );
    }

    #[test]
    fn other_payers_extra_instructions_and_bad_signatures_are_refused() {
        let (holder, authority) = (Keypair::new(), Keypair::new());
        let other_payer = Keypair::new().pubkey();
        let refused =
            |transaction: &Transaction| check_burn(transaction, &authority.pubkey()).unwrap_err();

        let paid_by_other = burn(&holder, &other_payer);
        assert!(matches!(refused(&paid_by_other), BurnRefused::NotAKeyBurn));

        let mut two = Transaction::new_unsigned(Message::new_with_blockhash(
            &[
                ix::key_burn(&holder.pubkey(), &authority.pubkey()),
                anchor_lang::solana_program::system_instruction::transfer(
                    &authority.pubkey(),
                    &holder.pubkey(),
                    1,
                ),
            ],
            Some(&authority.pubkey()),
            &Hash::default(),
        ));
        two.try_partial_sign(&[&holder], Hash::default()).unwrap();
        assert!(matches!(refused(&two), BurnRefused::NotAKeyBurn));

        let mut forged = burn(&holder, &authority.pubkey());
        forged.signatures[1] = Signature::from([7; 64]);
        assert!(matches!(refused(&forged), BurnRefused::BadSignature));

        // Rent sent elsewhere: the instruction no longer matches the builder's.
        let mut redirected = burn(&holder, &authority.pubkey());
        let last = redirected.message.account_keys.len() - 1;
        redirected.message.account_keys.swap(1, last);
        assert!(matches!(refused(&redirected), BurnRefused::NotAKeyBurn));
    }
}
