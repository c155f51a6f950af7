//! Helpers for tests that drive the localnet over JSON-RPC with the real client.

use anchor_lang::solana_program::system_instruction;
use anchor_spl::associated_token::spl_associated_token_account::instruction::create_associated_token_account;
use anchor_spl::token_2022::spl_token_2022::instruction as token_ix;
use anchor_spl::token_2022::spl_token_2022::state::Mint;
use anchor_spl::token_2022::ID as TOKEN_2022;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_sdk::program_pack::Pack;
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::{Keypair, Signature, Signer};
use solana_sdk::transaction::Transaction;

/// Creates a plain Token-2022 mint (0 decimals) with `holder` as its authority, and mints
/// one token to the holder's associated account: the kind of holding a wallet lists.
/// Returns the mint and the (unconfirmed) signature. Panics on failure.
pub async fn token_2022_mint_with_holding(
    rpc: &RpcClient,
    holder: &Keypair,
) -> (Pubkey, Signature) {
    let mint = Keypair::new();
    let (m, h) = (mint.pubkey(), holder.pubkey());
    let rent = rpc
        .get_minimum_balance_for_rent_exemption(Mint::LEN)
        .await
        .expect("rent quote");
    let holding = anchor_spl::associated_token::get_associated_token_address_with_program_id(
        &h,
        &m,
        &TOKEN_2022,
    );
    let instructions = [
        system_instruction::create_account(&h, &m, rent, Mint::LEN as u64, &TOKEN_2022),
        token_ix::initialize_mint2(&TOKEN_2022, &m, &h, None, 0).expect("instruction"),
        create_associated_token_account(&h, &h, &m, &TOKEN_2022),
        token_ix::mint_to(&TOKEN_2022, &m, &holding, &h, &[], 1).expect("instruction"),
    ];
    let blockhash = rpc.get_latest_blockhash().await.expect("blockhash");
    let transaction =
        Transaction::new_signed_with_payer(&instructions, Some(&h), &[holder, &mint], blockhash);
    let signature = rpc
        .send_transaction(&transaction)
        .await
        .expect("mint and holding created");
    (m, signature)
}
