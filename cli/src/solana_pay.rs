//! Solana Pay from the terminal: the `solana:` link to the gateway's transaction request,
//! as text and as a QR code a phone wallet scans, and waiting for the payment to land.

use std::time::{Duration, Instant};

use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use qrcode::render::unicode::Dense1x2;
use qrcode::QrCode;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_sdk::pubkey::Pubkey;

/// The gateway's HTTP base for a WebSocket URL: `ws://h/v1/ws` → `http://h`.
fn http_base(gateway: &str) -> Result<String, String> {
    let (scheme, rest) = if let Some(rest) = gateway.strip_prefix("wss://") {
        ("https", rest)
    } else if let Some(rest) = gateway.strip_prefix("ws://") {
        ("http", rest)
    } else {
        return Err(format!("not a ws:// or wss:// gateway URL: {gateway}"));
    };
    let host = rest.split('/').next().unwrap_or(rest);
    Ok(format!("{scheme}://{host}"))
}

/// The Solana Pay transaction-request link for a room escrow deposit. The request URL has
/// a query, so the spec requires it percent-encoded after `solana:`.
pub fn room_deposit_link(gateway: &str, nonce: &[u8; 32], keys: u16) -> Result<String, String> {
    let request = format!(
        "{}/v1/pay/room-deposit?nonce={}&keys={keys}",
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

/// Polls until `address` exists on chain, printing a dot every few seconds.
pub async fn wait_for_account(
    rpc: &RpcClient,
    address: &Pubkey,
    timeout: Duration,
) -> Result<(), String> {
    let started = Instant::now();
    let mut polls = 0u32;
    loop {
        if rpc.get_account(address).await.is_ok() {
            if polls > 0 {
                println!();
            }
            return Ok(());
        }
        if started.elapsed() >= timeout {
            return Err(format!(
                "no payment after {}s; nothing was charged by this command (see --qr-timeout)",
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_encodes_the_request_url_as_the_spec_requires() {
        let link = room_deposit_link("ws://127.0.0.1:8787/v1/ws", &[1; 32], 3).unwrap();
        assert!(link.starts_with(
            "solana:http%3A%2F%2F127%2E0%2E0%2E1%3A8787%2Fv1%2Fpay%2Froom%2Ddeposit%3Fnonce%3D"
        ));
        assert!(link.ends_with("%26keys%3D3"));
        let tls = room_deposit_link("wss://gw.example/v1/ws", &[1; 32], 1).unwrap();
        assert!(tls.starts_with("solana:https%3A%2F%2Fgw%2Eexample%2F"));
        assert!(room_deposit_link("http://nope", &[1; 32], 1).is_err());
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
