//! Solana Pay from the terminal: the `solana:` link to the gateway's transaction request,
//! as text and as a QR code a phone wallet scans, and waiting for the payment to land.
//!
//! Wallets fetch transaction requests over `https` only, so a link is `https` unless the
//! gateway is on this machine's loopback. The link names the paying wallet (`payer=`): the
//! escrow's address depends on it, and the gateway refuses to build the deposit for another
//! wallet. A wallet that pays anyway with a transaction of its own is found by the escrow's
//! nonce and reported, with how to refund it.

use std::net::IpAddr;
use std::time::{Duration, Instant};

use anoghost_program_client::pda;
use anoghost_sdk::paid::escrow::escrows_with_nonce;
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use qrcode::render::unicode::Dense1x2;
use qrcode::QrCode;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_sdk::pubkey::Pubkey;

/// The gateway's HTTP base for a WebSocket URL: `wss://h/v1/ws` → `https://h`; `ws://` is
/// accepted on loopback only.
fn http_base(gateway: &str) -> Result<String, String> {
    let (scheme, rest) = if let Some(rest) = gateway.strip_prefix("wss://") {
        ("https", rest)
    } else if let Some(rest) = gateway.strip_prefix("ws://") {
        ("http", rest)
    } else {
        return Err(format!("not a ws:// or wss:// gateway URL: {gateway}"));
    };
    let host = rest.split('/').next().unwrap_or(rest);
    if scheme == "http" && !is_loopback(host) {
        return Err(format!(
            "wallets fetch Solana Pay requests over https only: reach the gateway at              wss://{host}/v1/ws (behind a TLS proxy), or run it on loopback"
        ));
    }
    Ok(format!("{scheme}://{host}"))
}

/// Whether `host` (with an optional port) names this machine's loopback.
fn is_loopback(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or(rest),
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    name == "localhost" || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The Solana Pay transaction-request link for a room escrow deposit by `payer`. The request
/// URL has a query, so the spec requires it percent-encoded after `solana:`.
pub fn room_deposit_link(
    gateway: &str,
    nonce: &[u8; 32],
    keys: u16,
    payer: &Pubkey,
) -> Result<String, String> {
    let request = format!(
        "{}/v1/pay/room-deposit?nonce={}&keys={keys}&payer={payer}",
        http_base(gateway)?,
        bs58::encode(nonce).into_string()
    );
    Ok(format!(
        "solana:{}",
        utf8_percent_encode(&request, NON_ALPHANUMERIC)
    ))
}

/// `link` as a QR code drawn with Unicode half blocks (two modules per character row), with
/// the quiet zone wallets need to find it.
pub fn qr_code(link: &str) -> Result<String, String> {
    let code = QrCode::new(link.as_bytes()).map_err(|e| format!("cannot draw the QR code: {e}"))?;
    // Drawn light-on-dark: most terminals have a dark background, and a scanner needs the
    // modules darker than the quiet zone around them.
    Ok(code
        .render::<Dense1x2>()
        .dark_color(Dense1x2::Light)
        .light_color(Dense1x2::Dark)
        .quiet_zone(true)
        .build())
}

/// Polls until `payer`'s escrow under `nonce` exists, printing a dot every few seconds.
/// Every few seconds it also looks for an escrow with this nonce paid by any other wallet
/// (the link was scanned by another wallet that built its own deposit): that is an error
/// that says which wallet paid and how it gets its money back.
pub async fn wait_for_escrow(
    rpc: &RpcClient,
    payer: &Pubkey,
    nonce: &[u8; 32],
    timeout: Duration,
) -> Result<(), String> {
    let address = pda::escrow(payer, nonce);
    let started = Instant::now();
    let mut polls = 0u32;
    loop {
        if rpc.get_account(&address).await.is_ok() {
            if polls > 0 {
                println!();
            }
            return Ok(());
        }
        let timed_out = started.elapsed() >= timeout;
        if timed_out || polls.is_multiple_of(10) {
            if let Ok(found) = escrows_with_nonce(rpc, nonce).await {
                if let Some((_, escrow)) = found.iter().find(|(_, e)| e.payer != *payer) {
                    return Err(paid_by_another_wallet(&escrow.payer, nonce));
                }
            }
        }
        if timed_out {
            return Err(format!(
                "no payment after {}s, from this wallet or any other; nothing was charged \
                 (see --qr-timeout)",
                timeout.as_secs()
            ));
        }
        polls += 1;
        if polls.is_multiple_of(5) {
            print!(".");
            let _ = std::io::Write::flush(&mut std::io::stdout());
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

fn paid_by_another_wallet(payer: &Pubkey, nonce: &[u8; 32]) -> String {
    format!(
        "the escrow was paid by the wallet {payer}, not by --keypair: no keys were minted. \
         That wallet gets everything back after the refund timeout with \
         `anoghost room refund --keypair <its keypair file> --nonce {}`",
        bs58::encode(nonce).into_string()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_encodes_the_request_url_as_the_spec_requires() {
        let payer = Pubkey::new_from_array([3; 32]);
        let link = room_deposit_link("ws://127.0.0.1:8787/v1/ws", &[1; 32], 3, &payer).unwrap();
        assert!(link.starts_with(
            "solana:http%3A%2F%2F127%2E0%2E0%2E1%3A8787%2Fv1%2Fpay%2Froom%2Ddeposit%3Fnonce%3D"
        ));
        assert!(link.ends_with(&format!("%26keys%3D3%26payer%3D{payer}")));
        let tls = room_deposit_link("wss://gw.example/v1/ws", &[1; 32], 1, &payer).unwrap();
        assert!(tls.starts_with("solana:https%3A%2F%2Fgw%2Eexample%2F"));
        assert!(room_deposit_link("http://nope", &[1; 32], 1, &payer).is_err());
    }

    #[test]
    fn links_are_https_unless_the_gateway_is_on_loopback() {
        let payer = Pubkey::new_from_array([3; 32]);
        for local in [
            "ws://localhost:8787/v1/ws",
            "ws://[::1]:8787/v1/ws",
            "ws://127.0.0.2/v1/ws",
        ] {
            assert!(
                room_deposit_link(local, &[1; 32], 1, &payer).is_ok(),
                "{local}"
            );
        }
        let error =
            room_deposit_link("ws://192.168.1.20:8787/v1/ws", &[1; 32], 1, &payer).unwrap_err();
        assert!(error.contains("https"), "{error}");
    }

    #[test]
    fn qr_code_is_drawn_with_a_quiet_zone() {
        let drawn = qr_code("solana:https%3A%2F%2Fexample").unwrap();
        let rows: Vec<&str> = drawn.lines().collect();
        assert!(rows.len() > 10);
        assert!(rows
            .iter()
            .all(|row| row.chars().count() == rows[0].chars().count()));
    }
}
