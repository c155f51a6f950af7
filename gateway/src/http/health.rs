use actix_web::HttpResponse;

use anoghost_protocol::PROTOCOL_VERSION;

/// `GET /v1/health`: liveness, with no counts or identifiers.
pub async fn health() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({ "status": "ok", "protocol": PROTOCOL_VERSION }))
}
