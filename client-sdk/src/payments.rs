//! In-chat payments: the sender locks lamports on chain for a one-time claim key and sends
//! the key's secret inside the end-to-end encrypted chat, to one member only. Whoever holds
//! the voucher claims to any wallet; after expiry the sender takes the money back.

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use ed25519_dalek::SigningKey;
use rand_core::{CryptoRng, RngCore};
use zeroize::Zeroizing;

use crate::crypto::body::PaymentVoucher;
use crate::program as ix;

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
