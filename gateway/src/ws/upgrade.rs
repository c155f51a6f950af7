use std::sync::Arc;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};

use super::connection::Connection;
use crate::state::Gateway;

/// `GET /v1/ws`: refuses browser origins not on the allow-list (403) and connections past
/// the limit (503), then hands the socket to its own task.
pub async fn ws_upgrade(
    req: HttpRequest,
    body: web::Payload,
    gateway: web::Data<Arc<Gateway>>,
) -> actix_web::Result<HttpResponse> {
    let gateway = gateway.get_ref().clone();
    if let Some(origin) = req.headers().get(header::ORIGIN) {
        let allowed = origin
            .to_str()
            .is_ok_and(|origin| gateway.config.allowed_origins.iter().any(|o| o == origin));
        if !allowed {
            return Ok(HttpResponse::Forbidden().json(serde_json::json!({
                "error": "origin_not_allowed",
                "message": "this browser origin may not connect; the operator can allow it with --allowed-origin",
            })));
        }
    }
    let Ok(permit) = gateway.connections.clone().try_acquire_owned() else {
        return Ok(HttpResponse::ServiceUnavailable().json(serde_json::json!({
            "error": "too_many_connections",
            "message": "the gateway is at its connection limit; retry later",
        })));
    };
    let (response, session, stream) = actix_ws::handle(&req, body)?;
    let frame_limit = gateway
        .config
        .max_frame_bytes
        .max(gateway.config.max_control_bytes);
    let stream = stream
        .max_frame_size(frame_limit)
        .aggregate_continuations()
        .max_continuation_size(frame_limit);
    let peer_ip = req.peer_addr().map(|addr| addr.ip());
    let connection = Connection::new(gateway, session, peer_ip);
    actix_web::rt::spawn(async move {
        connection.run(stream).await;
        drop(permit);
    });
    Ok(response)
}
