//! Compute units, as far as the bank counts them: what `tests/compute.rs` reports.

use solana_program_test::{BanksClientError, ProgramTestBanksClientExt};
use solana_sdk::instruction::Instruction;
use solana_sdk::signature::{Keypair, Signer};
use solana_sdk::transaction::Transaction;

use crate::bank::{record_touched, Bank, Failure};

impl Bank {
    /// Sends `instructions` like [`Self::send_paid_by`] and returns the compute units the
    /// bank reports with the log lines that mention them. Natively run, the anoghost program
    /// itself counts as 1 unit; the BPF programs it calls (Token-2022, the associated token
    /// program) and the System Program count as on a validator.
    pub async fn send_measured(
        &mut self,
        instructions: &[Instruction],
        fee_payer: &Keypair,
        signers: &[&Keypair],
    ) -> Result<(u64, Vec<String>), Failure> {
        let blockhash = self
            .ctx
            .banks_client
            .get_new_latest_blockhash(&self.ctx.last_blockhash)
            .await
            .map_err(|e| Failure::Client(e.to_string()))?;
        self.ctx.last_blockhash = blockhash;
        let mut all_signers: Vec<&Keypair> = vec![fee_payer];
        all_signers.extend_from_slice(signers);
        let tx = Transaction::new_signed_with_payer(
            instructions,
            Some(&fee_payer.pubkey()),
            &all_signers,
            blockhash,
        );
        record_touched(&self.touched, &tx);
        let outcome = self
            .ctx
            .banks_client
            .process_transaction_with_metadata(tx)
            .await
            .map_err(|e| Failure::Client(e.to_string()))?;
        outcome
            .result
            .map_err(|error| Failure::from(BanksClientError::TransactionError(error)))?;
        let metadata = outcome
            .metadata
            .ok_or_else(|| Failure::Client("no metadata".into()))?;
        let consumed = metadata
            .log_messages
            .into_iter()
            .filter(|line| line.contains(" consumed "))
            .collect();
        Ok((metadata.compute_units_consumed, consumed))
    }
}
