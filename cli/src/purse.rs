//! Payments inside the chat: `/pay`, `/claim`, `/reclaim` and `/payments`.
//!
//! The payment protocol itself (deposit, claim-key float, sweep, reclaim) is the SDK's
//! `payments` module; this is the chat's bookkeeping and wording around it.

use std::time::{SystemTime, UNIX_EPOCH};

use anoghost_sdk::chat::ChatRoom;
use anoghost_sdk::mls::content::DirectContent;
use anoghost_sdk::payments::{self, PaymentVoucher};
use anoghost_sdk::wallet::Wallet;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_sdk::native_token::LAMPORTS_PER_SOL;
use solana_sdk::pubkey::Pubkey;

/// The chat's wallet, and the vouchers sent and received in this session (memory only).
pub struct Purse {
    rpc: RpcClient,
    wallet: Option<Wallet>,
    expiry_secs: i64,
    sent: Vec<PaymentVoucher>,
    received: Vec<(u16, PaymentVoucher)>,
}

/// Formats lamports as SOL without rounding.
pub fn sol(lamports: u64) -> String {
    let whole = lamports / LAMPORTS_PER_SOL;
    let fraction = lamports % LAMPORTS_PER_SOL;
    if fraction == 0 {
        return format!("{whole} SOL");
    }
    let digits = format!("{fraction:09}");
    format!("{whole}.{} SOL", digits.trim_end_matches('0'))
}

/// Parses an amount of SOL ("0.25", "2") into lamports, exactly.
pub fn parse_sol(text: &str) -> Result<u64, String> {
    let bad = || format!("not an amount of SOL: {text:?} (for example 0.25)");
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if fraction.len() > 9 || (whole.is_empty() && fraction.is_empty()) {
        return Err(bad());
    }
    let digits_only = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if !digits_only(whole) || !digits_only(fraction) {
        return Err(bad());
    }
    let whole: u64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| bad())?
    };
    let fraction: u64 = format!("{fraction:0<9}").parse().map_err(|_| bad())?;
    let lamports = whole
        .checked_mul(LAMPORTS_PER_SOL)
        .and_then(|l| l.checked_add(fraction))
        .ok_or_else(bad)?;
    if lamports == 0 {
        return Err("the amount must be more than zero".into());
    }
    Ok(lamports)
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

fn parse_index(text: Option<&str>, count: usize, what: &str) -> Result<usize, String> {
    let text = text.ok_or_else(|| format!("which {what}? (see /payments)"))?;
    let index: usize = text
        .trim_start_matches('#')
        .parse()
        .map_err(|_| format!("not a {what} number: {text}"))?;
    if index == 0 || index > count {
        return Err(format!("no {what} {index} (see /payments)"));
    }
    Ok(index - 1)
}

impl Purse {
    /// A purse paying from `wallet` (if any) on the chain at `rpc_url`, with vouchers that
    /// stay claimable for `expiry_secs`.
    pub fn new(rpc_url: &str, wallet: Option<Wallet>, expiry_secs: i64) -> Self {
        Self {
            rpc: RpcClient::new(rpc_url.to_owned()),
            wallet,
            expiry_secs,
            sent: Vec::new(),
            received: Vec::new(),
        }
    }

    fn wallet(&self, why: &str) -> Result<&Wallet, String> {
        self.wallet.as_ref().ok_or_else(|| {
            format!("{why} needs a wallet: start the chat with --wallet <keypair file>")
        })
    }

    /// `/pay <member> <SOL>`.
    pub async fn pay(&mut self, room: &mut ChatRoom, args: &[&str]) -> Result<String, String> {
        let [member, amount] = args else {
            return Err("usage: /pay <member> <SOL>, for example /pay #1234 0.25".into());
        };
        let member: u16 = member
            .trim_start_matches('#')
            .parse()
            .map_err(|_| format!("not a member number: {member}"))?;
        if !room.roster().iter().any(|e| e.member == member) || member == room.me() {
            return Err(format!(
                "#{member} is not another member of the group (see /who)"
            ));
        }
        let lamports = parse_sol(amount)?;
        let wallet = self.wallet("paying")?;
        let expiry = now() + self.expiry_secs;
        let voucher = payments::send_payment(
            &self.rpc,
            wallet.keypair(),
            lamports,
            expiry,
            &mut rand::rngs::OsRng,
        )
        .await
        .map_err(|e| e.to_string())?;
        room.send_direct(member, &DirectContent::Voucher(voucher.clone()))
            .await
            .map_err(|e| e.to_string())?;
        self.sent.push(voucher);
        Ok(format!(
            "sent #{member} {} as payment {}; claimable for {}s, then /reclaim {} if unclaimed",
            sol(lamports),
            self.sent.len(),
            self.expiry_secs,
            self.sent.len()
        ))
    }

    /// Keeps a received voucher; returns the line to show.
    pub fn on_voucher(&mut self, from: u16, voucher: PaymentVoucher) -> String {
        let line = format!(
            "[{from} → you] a payment of {} on {}; /claim {} <address> to take it (before unix time {})",
            sol(voucher.lamports),
            voucher.cluster,
            self.received.len() + 1,
            voucher.expiry
        );
        self.received.push((from, voucher));
        line
    }

    /// `/claim <n> [address]`: pays received payment `n` to `address` (or this chat's
    /// wallet). The claim key pays the fee from its float when it has one.
    pub async fn claim(&mut self, args: &[&str]) -> Result<String, String> {
        let index = parse_index(
            args.first().copied(),
            self.received.len(),
            "received payment",
        )?;
        let voucher = self.received[index].1.clone();
        let recipient: Pubkey = match args.get(1) {
            Some(address) => address
                .parse()
                .map_err(|_| format!("not an address: {address}"))?,
            None => self.wallet("claiming without an address")?.pubkey(),
        };
        let fee_payer = self.wallet.as_ref().map(Wallet::keypair);
        let amount = payments::claim(&self.rpc, &voucher, &recipient, fee_payer)
            .await
            .map_err(|e| format!("payment {}: {e}", index + 1))?;
        Ok(format!("claimed {} to {recipient}", sol(amount)))
    }

    /// `/reclaim <n>`: takes back sent payment `n` after its expiry, with its float.
    pub async fn reclaim(&mut self, args: &[&str]) -> Result<String, String> {
        let index = parse_index(args.first().copied(), self.sent.len(), "sent payment")?;
        let voucher = self.sent[index].clone();
        let wallet = self.wallet("reclaiming")?;
        let amount = payments::reclaim(&self.rpc, &voucher, wallet.keypair(), now())
            .await
            .map_err(|e| format!("payment {}: {e}", index + 1))?;
        Ok(format!("reclaimed {}", sol(amount)))
    }

    /// `/payments`: what was sent and received in this session.
    pub fn list(&self) -> String {
        let mut lines = Vec::new();
        for (index, voucher) in self.sent.iter().enumerate() {
            lines.push(format!(
                "sent {}: {} (reclaimable after unix time {})",
                index + 1,
                sol(voucher.lamports),
                voucher.expiry
            ));
        }
        for (index, (from, voucher)) in self.received.iter().enumerate() {
            lines.push(format!(
                "received {}: {} from #{from} (claimable until unix time {})",
                index + 1,
                sol(voucher.lamports),
                voucher.expiry
            ));
        }
        if lines.is_empty() {
            return "no payments yet; /pay <member> <SOL> sends one".into();
        }
        lines.join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sol_amounts_parse_exactly_and_refuse_nonsense() {
        assert_eq!(parse_sol("0.25"), Ok(250_000_000));
        assert_eq!(parse_sol("2"), Ok(2_000_000_000));
        assert_eq!(parse_sol(".000000001"), Ok(1));
        for bad in ["", ".", "1.0000000001", "-1", "1e9", "abc", "0", "0.0"] {
            assert!(parse_sol(bad).is_err(), "{bad:?} must be refused");
        }
        assert!(parse_sol("99999999999999999999").is_err());
    }

    #[test]
    fn lamports_format_as_sol_without_rounding() {
        assert_eq!(sol(250_000_000), "0.25 SOL");
        assert_eq!(sol(1), "0.000000001 SOL");
        assert_eq!(sol(3_000_000_000), "3 SOL");
    }
}
