use std::sync::Arc;

use actix_web::{web, HttpResponse};

use anoghost_protocol::PROTOCOL_VERSION;

use crate::state::Gateway;

/// `GET /v1/health`: liveness, with no counts of users or rooms and no identifiers. In
/// cluster mode it says whether the link to NATS is up and how many other gateways this
/// one hears, so a load balancer can stop sending joins to a gateway that cannot admit.
pub async fn health(gateway: web::Data<Arc<Gateway>>) -> HttpResponse {
    let mut body = serde_json::json!({ "status": "ok", "protocol": PROTOCOL_VERSION });
    if let Some(cluster) = &gateway.cluster {
        body["cluster"] = serde_json::json!({
            "connected": cluster.is_up(),
            "peers": cluster.peers(),
        });
    }
    HttpResponse::Ok().json(body)
}
