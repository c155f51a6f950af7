//! In-chat payments: the sender locks lamports on chain for a one-time claim key and sends
//! the key's secret inside the end-to-end encrypted chat, to one member only. Whoever holds
//! the voucher claims to any wallet; after expiry the sender takes the money back.
//!
//! The sender also puts a small float on the claim key (the rent-exempt minimum plus one
//! signature fee), so the claim key pays its own fee and sweeps the float to the recipient:
//! the recipient needs no wallet in the chat, and no wallet of theirs signs the claim. The
//! float goes back to the sender on reclaim.

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::solana_program::system_instruction;
use anoghost_program_client::accounts::{decode_payment, PaymentVault};
use anoghost_program_client::{instructions as ix, pda};
use ed25519_dalek::SigningKey;
use rand_core::{CryptoRng, RngCore};
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_sdk::signature::{Keypair, Signer};
use zeroize::Zeroizing;

pub use crate::chain::cluster_of;
use crate::chain::{send_signed, ChainError};

mod voucher;

pub use voucher::PaymentVoucher;

/// The fee for one signature on every Solana cluster today.
pub const SIGNATURE_FEE: u64 = 5_000;

/// Why a payment operation failed.
#[derive(Debug, thiserror::Error)]
pub enum PaymentError {
    /// Raised if the chain could not be reached or a transaction failed.
    #[error(transparent)]
    Chain(#[from] ChainError),
    /// Raised if the payment account is gone: already claimed or reclaimed.
    #[error("that payment is no longer on chain (already claimed or reclaimed)")]
    Gone,
    /// Raised if the account at the payment's address is not a payment.
    #[error("the account at the payment's address is not an AnoGhost payment")]
    NotAPayment,
    /// Raised if the voucher names another cluster than the RPC endpoint serves.
    #[error("the payment lives on {voucher}, but this client talks to {rpc}; use that cluster's RPC endpoint")]
    WrongCluster {
        /// The cluster the voucher names.
        voucher: String,
        /// The RPC endpoint in use.
        rpc: String,
    },
    /// Raised if the depositor tries to reclaim before the expiry.
    #[error("the payment can still be claimed for {0} s; reclaim after that")]
    NotExpired(i64),
    /// Raised if a claim key holds no float and no other fee payer was given.
    #[error("the claim key holds no fee float: give a wallet to pay the claim's fee")]
    NoFeePayer,
}

/// A payment ready to be funded: the deposit to sign and send, and the voucher to hand over.
#[derive(Debug)]
pub struct NewPayment {
    /// `payment_deposit`, to be signed by the depositor.
    pub deposit: Instruction,
    /// What the recipient needs to claim it.
    pub voucher: PaymentVoucher,
}

/// Prepares a payment of `lamports` from `depositor`, claimable until `expiry` on `cluster`,
/// under a fresh random claim key.
pub fn new_payment(
    depositor: &Pubkey,
    lamports: u64,
    expiry: i64,
    cluster: &str,
    rng: &mut (impl RngCore + CryptoRng),
) -> NewPayment {
    let mut secret = Zeroizing::new([0u8; 32]);
    rng.fill_bytes(secret.as_mut());
    let voucher = PaymentVoucher {
        claim_secret: secret,
        lamports,
        expiry,
        cluster: cluster.to_owned(),
    };
    NewPayment {
        deposit: ix::payment_deposit(depositor, &claim_pubkey(&voucher), lamports, expiry),
        voucher,
    }
}

/// The claim key's public half: the address the payment is locked to.
pub fn claim_pubkey(voucher: &PaymentVoucher) -> Pubkey {
    let key = SigningKey::from_bytes(&voucher.claim_secret);
    Pubkey::new_from_array(key.verifying_key().to_bytes())
}

fn claim_keypair(voucher: &PaymentVoucher) -> Keypair {
    Keypair::new_from_array(*voucher.claim_secret)
}

/// `payment_claim` paying the voucher to `recipient`; `depositor` (read from the payment
/// account on chain) gets the rent back. The transaction must be signed by the claim key.
pub fn claim_instruction(
    voucher: &PaymentVoucher,
    recipient: &Pubkey,
    depositor: &Pubkey,
) -> Instruction {
    ix::payment_claim(&claim_pubkey(voucher), recipient, depositor)
}

/// `payment_reclaim` for the depositor after expiry.
pub fn reclaim_instruction(voucher: &PaymentVoucher, depositor: &Pubkey) -> Instruction {
    ix::payment_reclaim(depositor, &claim_pubkey(voucher))
}

/// The float a claim key needs to pay its own claim: the rent-exempt minimum of an empty
/// account (so the transfer that funds it is allowed) plus one signature fee.
pub async fn claim_float(rpc: &RpcClient) -> Result<u64, PaymentError> {
    let rent = rpc
        .get_minimum_balance_for_rent_exemption(0)
        .await
        .map_err(|e| ChainError::unreachable(rpc, e))?;
    Ok(rent + SIGNATURE_FEE)
}

/// Locks `lamports` from `depositor` until `expiry` and funds the claim key's fee float, in
/// one transaction. Returns the voucher to send to the recipient.
pub async fn send_payment(
    rpc: &RpcClient,
    depositor: &Keypair,
    lamports: u64,
    expiry: i64,
    rng: &mut (impl RngCore + CryptoRng),
) -> Result<PaymentVoucher, PaymentError> {
    let payment = new_payment(
        &depositor.pubkey(),
        lamports,
        expiry,
        cluster_of(&rpc.url()),
        rng,
    );
    let float = claim_float(rpc).await?;
    let fund_float =
        system_instruction::transfer(&depositor.pubkey(), &claim_pubkey(&payment.voucher), float);
    send_signed(rpc, &[payment.deposit, fund_float], depositor, &[]).await?;
    Ok(payment.voucher)
}

/// The payment account a voucher unlocks, as it stands on chain.
pub async fn payment_account(
    rpc: &RpcClient,
    voucher: &PaymentVoucher,
) -> Result<PaymentVault, PaymentError> {
    let address = pda::payment(&claim_pubkey(voucher));
    let account = rpc
        .get_account_with_commitment(&address, rpc.commitment())
        .await
        .map_err(|e| ChainError::unreachable(rpc, e))?
        .value
        .ok_or(PaymentError::Gone)?;
    decode_payment(&account.owner, &account.data).map_err(|_| PaymentError::NotAPayment)
}

/// Claims `voucher` to `recipient`. The claim key pays the fee from its float and sweeps
/// the rest of the float to `recipient`; without a float, `fee_payer` pays. Returns the
/// amount claimed.
pub async fn claim(
    rpc: &RpcClient,
    voucher: &PaymentVoucher,
    recipient: &Pubkey,
    fee_payer: Option<&Keypair>,
) -> Result<u64, PaymentError> {
    let expected = cluster_of(&rpc.url());
    if voucher.cluster != expected {
        return Err(PaymentError::WrongCluster {
            voucher: voucher.cluster.clone(),
            rpc: rpc.url(),
        });
    }
    let vault = payment_account(rpc, voucher).await?;
    let claim_key = claim_keypair(voucher);
    let claim = claim_instruction(voucher, recipient, &vault.depositor);
    let float = rpc.get_balance(&claim_key.pubkey()).await.unwrap_or(0);
    if float > SIGNATURE_FEE {
        let sweep =
            system_instruction::transfer(&claim_key.pubkey(), recipient, float - SIGNATURE_FEE);
        send_signed(rpc, &[claim, sweep], &claim_key, &[]).await?;
    } else {
        let payer = fee_payer.ok_or(PaymentError::NoFeePayer)?;
        send_signed(rpc, &[claim], payer, &[&claim_key]).await?;
    }
    Ok(vault.amount)
}

/// Takes back an expired payment, with its float. Returns the amount reclaimed.
pub async fn reclaim(
    rpc: &RpcClient,
    voucher: &PaymentVoucher,
    depositor: &Keypair,
    now: i64,
) -> Result<u64, PaymentError> {
    if now < voucher.expiry {
        return Err(PaymentError::NotExpired(voucher.expiry - now));
    }
    let vault = payment_account(rpc, voucher).await?;
    let claim_key = claim_keypair(voucher);
    let mut instructions = vec![reclaim_instruction(voucher, &depositor.pubkey())];
    let float = rpc.get_balance(&claim_key.pubkey()).await.unwrap_or(0);
    let mut signers = Vec::new();
    if float > 0 {
        instructions.push(system_instruction::transfer(
            &claim_key.pubkey(),
            &depositor.pubkey(),
            float,
        ));
        signers.push(&claim_key);
    }
    send_signed(rpc, &instructions, depositor, &signers).await?;
    Ok(vault.amount)
}
