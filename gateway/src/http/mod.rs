//! Plain HTTP endpoints: health, the sign-in challenge, key burns paid by the gateway,
//! Solana Pay transaction requests (`solana_pay`, reading its requests with `pay_request`),
//! and the browser client's files.

mod challenge;
mod health;
mod keys_burn;
pub mod pay_request;
pub mod solana_pay;
pub mod web;

pub use challenge::challenge;
pub use health::health;
pub use keys_burn::{client_ip, keys_burn};

use actix_web::http::StatusCode;
use actix_web::HttpResponse;

/// The JSON body of every refusal: a stable `error` code, and a sentence for people.
pub fn error_body(error: &str, message: &str) -> serde_json::Value {
    serde_json::json!({ "error": error, "message": message })
}

/// A refusal with [`error_body`].
pub fn refuse(status: StatusCode, error: &str, message: &str) -> HttpResponse {
    HttpResponse::build(status).json(error_body(error, message))
}
