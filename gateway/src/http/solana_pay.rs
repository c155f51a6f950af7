//! Solana Pay transaction requests, so Phantom (or any wallet that scans a QR code) can pay
//! a room escrow or an in-chat payment. Per the Solana Pay spec, `GET` returns a label and
//! an icon, and `POST {"account": <wallet>}` returns `{"transaction", "message"}`: a
//! transaction built by the gateway, with the wallet as fee payer, for the wallet to sign.
//!
//! - `/v1/pay/room-deposit?nonce=<base58, 32 bytes>&keys=<1..=1000>[&payer=<base58 wallet>]`
//! - `/v1/pay/payment?claim=<base58 pubkey>&amount=<lamports>&expiry=<unix seconds>`
//!
//! With `payer`, the room-deposit request refuses any other wallet: the escrow's address
//! depends on the paying wallet, and the CLI that printed the link waits at its own
//! wallet's escrow. The icon URL comes from `--public-url`, never from the request's `Host`
//! header, which the requester controls.

use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use anchor_lang::prelude::Pubkey;
use anoghost_program_client::instructions as ix;
use base64::Engine as _;
use solana_sdk::instruction::Instruction;

use super::pay_request::{self, PayRefusal};
use crate::state::Gateway;

/// The icon wallets show next to the label.
const ICON_SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="14" fill="#111"/><path d="M32 10c-11 0-18 8-18 19v25l6-5 6 5 6-5 6 5 6-5 6 5V29c0-11-7-19-18-19z" fill="#eee"/><circle cx="25" cy="29" r="4" fill="#111"/><circle cx="39" cy="29" r="4" fill="#111"/></svg>"##;

fn refuse(status: StatusCode, error: &str, message: &str) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header(("Access-Control-Allow-Origin", "*"))
        .json(super::error_body(error, message))
}

fn bad_request(refusal: PayRefusal) -> HttpResponse {
    refuse(StatusCode::BAD_REQUEST, refusal.error, refusal.message)
}

fn label(gateway: &Gateway, label: &str) -> HttpResponse {
    let icon = format!("{}/v1/pay/icon.svg", gateway.config.public_base());
    HttpResponse::Ok()
        .insert_header(("Access-Control-Allow-Origin", "*"))
        .json(serde_json::json!({ "label": label, "icon": icon }))
}

/// `GET /v1/pay/icon.svg`.
pub async fn icon() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("Access-Control-Allow-Origin", "*"))
        .content_type("image/svg+xml")
        .body(ICON_SVG)
}

/// `GET /v1/pay/room-deposit`.
pub async fn room_deposit_label(gateway: web::Data<Arc<Gateway>>) -> HttpResponse {
    label(&gateway, "AnoGhost room")
}

/// `GET /v1/pay/payment`.
pub async fn payment_label(gateway: web::Data<Arc<Gateway>>) -> HttpResponse {
    label(&gateway, "AnoGhost payment")
}

/// `POST /v1/pay/room-deposit`.
pub async fn room_deposit(
    req: HttpRequest,
    body: web::Bytes,
    gateway: web::Data<Arc<Gateway>>,
) -> HttpResponse {
    let deposit = match pay_request::room_deposit(req.query_string()) {
        Ok(deposit) => deposit,
        Err(refusal) => return bad_request(refusal),
    };
    let pay_request::RoomDeposit { nonce, keys, payer } = deposit;
    build(
        &body,
        &gateway,
        (format!("Pay for {keys} AnoGhost room keys"), payer),
        |account| ix::room_deposit(account, nonce, keys),
    )
    .await
}

/// `POST /v1/pay/payment`.
pub async fn payment(
    req: HttpRequest,
    body: web::Bytes,
    gateway: web::Data<Arc<Gateway>>,
) -> HttpResponse {
    let payment = match pay_request::payment(req.query_string()) {
        Ok(payment) => payment,
        Err(refusal) => return bad_request(refusal),
    };
    let pay_request::Payment {
        claim,
        amount,
        expiry,
    } = payment;
    build(
        &body,
        &gateway,
        (format!("Send {amount} lamports in AnoGhost"), None),
        |account| ix::payment_deposit(account, &claim, amount, expiry),
    )
    .await
}

/// Builds the unsigned transaction for the `account` in the body, with a fresh blockhash,
/// and the `message` wallets show. With an expected account, any other is refused.
async fn build(
    body: &[u8],
    gateway: &Gateway,
    (message, expected): (String, Option<Pubkey>),
    instruction: impl FnOnce(&Pubkey) -> Instruction,
) -> HttpResponse {
    let account = match pay_request::account(body) {
        Ok(account) => account,
        Err(refusal) => return bad_request(refusal),
    };
    if expected.is_some_and(|expected| expected != account) {
        return refuse(
            StatusCode::BAD_REQUEST,
            "wrong_account",
            "this payment link is for another wallet: scan it with the wallet that created it",
        );
    }
    let Some(paid) = gateway.paid.as_ref() else {
        return refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            "paid_rooms_unavailable",
            "this gateway has no chain configured",
        );
    };
    let Ok(blockhash) = paid.chain.latest_blockhash().await else {
        return refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            "chain_unavailable",
            "the chain could not be read; retry",
        );
    };
    let bytes = pay_request::unsigned_transaction(instruction(&account), &account, blockhash);
    HttpResponse::Ok()
        .insert_header(("Access-Control-Allow-Origin", "*"))
        .json(serde_json::json!({
            "transaction": base64::engine::general_purpose::STANDARD.encode(bytes),
            "message": message,
        }))
}
