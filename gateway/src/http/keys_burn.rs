//! `POST /v1/keys/burn {"transaction": "<base64>"}`: the gateway co-signs a holder's
//! `key_burn` as fee payer and sends it, so a holder address never needs lamports from its
//! wallet (which would link the two on chain).

use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use base64::Engine as _;
use serde::Deserialize;
use solana_sdk::transaction::Transaction;

use super::refuse;
use crate::paid::burn::{co_sign_and_send, BurnRefused};
use crate::state::Gateway;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BurnRequest {
    transaction: String,
}

/// The client address of an HTTP request, honouring `--trusted-proxy`.
pub fn client_ip(req: &HttpRequest, gateway: &Gateway) -> Option<std::net::IpAddr> {
    let peer = req.peer_addr()?.ip();
    let headers = req.headers();
    let values = |name| {
        headers
            .get_all(name)
            .filter_map(|value: &actix_web::http::header::HeaderValue| value.to_str().ok())
    };
    Some(gateway.client_ip(
        peer,
        values(actix_web::http::header::FORWARDED),
        values(actix_web::http::header::X_FORWARDED_FOR),
    ))
}

/// `POST /v1/keys/burn`.
pub async fn keys_burn(
    req: HttpRequest,
    body: web::Bytes,
    gateway: web::Data<Arc<Gateway>>,
) -> HttpResponse {
    if let Some(ip) = client_ip(&req, &gateway) {
        if !gateway
            .burn_limiter
            .try_record(ip, std::time::Instant::now())
        {
            return refuse(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                "too many burn requests from this address: wait a minute and retry",
            );
        }
    }
    let Some(paid) = gateway.paid.as_ref() else {
        return refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            "paid_rooms_unavailable",
            "this gateway has no chain configured",
        );
    };
    let Ok(BurnRequest { transaction }) = serde_json::from_slice(&body) else {
        return refuse(
            StatusCode::BAD_REQUEST,
            "bad_json",
            "expected {\"transaction\": \"<base64 of a serialised transaction>\"}",
        );
    };
    let Some(transaction) = base64::engine::general_purpose::STANDARD
        .decode(transaction)
        .ok()
        .and_then(|bytes| bincode::deserialize::<Transaction>(&bytes).ok())
    else {
        return refuse(
            StatusCode::BAD_REQUEST,
            "bad_transaction",
            "transaction must be base64 of a serialised legacy transaction",
        );
    };
    match co_sign_and_send(paid.chain.as_ref(), &paid.authority, transaction).await {
        Ok(signature) => {
            tracing::debug!("key burned");
            HttpResponse::Ok().json(serde_json::json!({ "signature": signature.to_string() }))
        }
        Err(BurnRefused::NotAKeyBurn) => refuse(
            StatusCode::BAD_REQUEST,
            "not_a_key_burn",
            "the transaction must hold one key_burn, for the holder that signs it, with this \
             gateway's authority as fee payer",
        ),
        Err(BurnRefused::BadSignature) => refuse(
            StatusCode::BAD_REQUEST,
            "bad_signature",
            "the holder's signature does not verify",
        ),
        Err(BurnRefused::NoKey) => refuse(
            StatusCode::NOT_FOUND,
            "no_key",
            "this holder has no key to burn",
        ),
        Err(BurnRefused::Chain(_)) => refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            "chain_unavailable",
            "the chain could not be read or the burn did not land; retry",
        ),
    }
}
