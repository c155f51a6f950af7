//! Compute units per instruction, as far as the bank can count them. The anoghost program
//! runs natively here and counts as 1 unit; what the bank measures is the BPF programs it
//! calls (Token-2022, the associated token program) and the System Program. `docs/program.md`
//! adds an estimate for the program's own SBF code. Run with `--nocapture` to see the table.

use anchor_spl::token_2022::spl_token_2022;
use anchor_spl::token_2022::ID as TOKEN_2022;
use anoghost_program_client::{instructions as ix, ConfigUpdateArgs};
use anoghost_tests::bank::{default_params, random_binding, random_invite, Bank};
use solana_sdk::instruction::Instruction;
use solana_sdk::signature::{Keypair, Signer};

/// A transaction's default compute budget: 200,000 units per instruction.
const DEFAULT_BUDGET: u64 = 200_000;

async fn measure(
    bank: &mut Bank,
    name: &str,
    instruction: Instruction,
    fee_payer: &Keypair,
    signers: &[&Keypair],
) -> u64 {
    let (units, lines) = bank
        .send_measured(&[instruction], fee_payer, signers)
        .await
        .unwrap_or_else(|e| panic!("{name}: {e:?}"));
    println!("{name:<16} {units:>7} CU measured");
    for line in lines {
        println!("    {line}");
    }
    assert!(units < DEFAULT_BUDGET, "{name} needs {units} CU");
    units
}

#[tokio::test]
async fn every_instruction_fits_the_default_budget_with_room_for_its_own_code() {
    let mut fresh = Bank::start_uninitialised().await;
    let admin = fresh.admin.insecure_clone();
    let params = default_params(fresh.gateway.pubkey(), fresh.treasury);
    let init = ix::config_init(&admin.pubkey(), params);
    measure(&mut fresh, "config_init", init, &admin, &[]).await;

    let mut bank = Bank::start().await;
    let admin = bank.admin.insecure_clone();
    let gateway = bank.gateway.insecure_clone();
    let next_admin = bank.funded_wallet().await;
    let update = ix::config_update(
        &admin.pubkey(),
        ConfigUpdateArgs {
            price_per_key: Some(20_000_000),
            ..Default::default()
        },
    );
    measure(&mut bank, "config_update", update, &admin, &[]).await;
    let propose = ix::admin_propose(&admin.pubkey(), &next_admin.pubkey());
    measure(&mut bank, "admin_propose", propose, &admin, &[]).await;
    let accept = ix::admin_accept(&next_admin.pubkey());
    measure(&mut bank, "admin_accept", accept, &next_admin, &[]).await;

    let payer = bank.funded_wallet().await;
    let nonce = [7; 32];
    let deposit = ix::room_deposit(&payer.pubkey(), nonce, 3);
    measure(&mut bank, "room_deposit", deposit, &payer, &[]).await;
    let lock = ix::room_lock(&gateway.pubkey(), &payer.pubkey(), nonce, 3, [7; 16]);
    measure(&mut bank, "room_lock", lock, &gateway, &[]).await;
    let holder = Keypair::new();
    let (mint, _) = ix::key_mint(
        &gateway.pubkey(),
        &holder.pubkey(),
        random_binding(),
        random_invite(),
    );
    measure(&mut bank, "key_mint", mint, &gateway, &[]).await;
    let settle = ix::room_settle(&gateway.pubkey(), &payer.pubkey(), &bank.treasury, nonce);
    measure(&mut bank, "room_settle", settle, &gateway, &[]).await;
    let burn = ix::key_burn(&holder.pubkey(), &gateway.pubkey());
    measure(&mut bank, "key_burn", burn, &gateway, &[&holder]).await;

    let other = bank.funded_wallet().await;
    let key = bank.mint_key(&other.pubkey()).await.expect("key_mint");
    let plain_burn = spl_token_2022::instruction::burn(
        &TOKEN_2022,
        &key.token_account,
        &key.mint,
        &other.pubkey(),
        &[],
        1,
    )
    .expect("burn instruction");
    bank.send_paid_by(&[plain_burn], &other, &[])
        .await
        .expect("burn");
    let close = ix::key_close(&other.pubkey(), &key.mint, &gateway.pubkey());
    measure(&mut bank, "key_close", close, &other, &[]).await;

    let refunded = bank.deposit(&payer, 1).await.expect("deposit");
    let claim = Keypair::new();
    let expiry = bank.now().await + 60;
    let pay = ix::payment_deposit(&payer.pubkey(), &claim.pubkey(), 1_000_000, expiry);
    measure(&mut bank, "payment_deposit", pay, &payer, &[]).await;
    let claim_ix = ix::payment_claim(&claim.pubkey(), &Keypair::new().pubkey(), &payer.pubkey());
    measure(&mut bank, "payment_claim", claim_ix, &payer, &[&claim]).await;
    let late = Keypair::new();
    let pay = ix::payment_deposit(&payer.pubkey(), &late.pubkey(), 1_000_000, expiry);
    bank.send_paid_by(&[pay], &payer, &[])
        .await
        .expect("deposit");
    bank.advance_clock(3_600).await;
    let reclaim = ix::payment_reclaim(&payer.pubkey(), &late.pubkey());
    measure(&mut bank, "payment_reclaim", reclaim, &payer, &[]).await;
    let refund = ix::room_refund(&payer.pubkey(), refunded);
    measure(&mut bank, "room_refund", refund, &payer, &[]).await;
}
