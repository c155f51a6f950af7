use std::sync::Arc;

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::refuse;
use crate::auth::siws::{rfc3339, SiwsMessage, STATEMENT};
use crate::secret::WalletAddress;
use crate::state::Gateway;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChallengeRequest {
    address: String,
}

#[derive(Serialize)]
struct ChallengeResponse {
    message: String,
    nonce: String,
    expires_at: String,
}

/// `POST /v1/auth/challenge {"address": "<base58 wallet>"}`: a SIWS message to sign, with a
/// single-use nonce. Costs O(1) and stores nothing (see `auth::nonces`).
pub async fn challenge(body: web::Bytes, gateway: web::Data<Arc<Gateway>>) -> HttpResponse {
    use actix_web::http::StatusCode;
    let Ok(request) = serde_json::from_slice::<ChallengeRequest>(&body) else {
        return refuse(
            StatusCode::BAD_REQUEST,
            "bad_json",
            "expected a JSON body {\"address\": \"<base58 wallet address>\"}",
        );
    };
    let Some(address) = WalletAddress::from_base58(&request.address) else {
        return refuse(
            StatusCode::BAD_REQUEST,
            "bad_address",
            "address must be a base58 ed25519 public key (32 bytes)",
        );
    };
    let config = &gateway.config;
    // Whole seconds, so the text round-trips exactly through RFC 3339.
    let now = OffsetDateTime::now_utc();
    let issued_at = now.replace_nanosecond(0).unwrap_or(now);
    let expiration_time = issued_at + gateway.nonces.ttl();
    let domain = config.sign_in_domain();
    let unix_now = u64::try_from(issued_at.unix_timestamp()).unwrap_or(0);
    let nonce = gateway.nonces.issue(&address, unix_now);
    let message = SiwsMessage {
        uri: config.sign_in_uri(),
        domain,
        address: address.to_base58(),
        statement: STATEMENT.to_owned(),
        chain_id: config.chain_id.clone(),
        nonce: nonce.clone(),
        issued_at,
        expiration_time,
        not_before: None,
    };
    HttpResponse::Ok().json(ChallengeResponse {
        message: message.to_text(),
        expires_at: rfc3339(expiration_time),
        nonce,
    })
}
