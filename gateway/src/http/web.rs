//! The browser client (`web/`), built and embedded by `build.rs`, served at `/` under a
//! strict Content-Security-Policy: scripts and styles only from this origin (none inline),
//! network only to this gateway and the configured RPC URL, no frames, no forms posted
//! anywhere, no referrer. Nothing is read from disk at run time.

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

use crate::config::GatewayConfig;
use crate::state::Gateway;

mod assets {
    include!(concat!(env!("OUT_DIR"), "/web_assets.rs"));
}

/// Whether the embedded client is the real one (false: the placeholder page, built without npm).
pub fn web_client_built() -> bool {
    assets::WEB_CLIENT_BUILT
}

/// The embedded file at `path` (`/` is `/index.html`): its content type and bytes.
pub fn asset(path: &str) -> Option<(&'static str, &'static [u8])> {
    let path = if path == "/" { "/index.html" } else { path };
    assets::WEB_ASSETS
        .iter()
        .find(|(p, _, _)| *p == path)
        .map(|(_, kind, bytes)| (*kind, *bytes))
}

/// The page's Content-Security-Policy for this gateway's configuration.
pub fn content_security_policy(config: &GatewayConfig) -> String {
    let domain = config.sign_in_domain();
    let socket = if config.sign_in_uri().starts_with("https://") {
        format!("wss://{domain}")
    } else {
        format!("ws://{domain}")
    };
    let mut connect = format!("'self' {socket}");
    if let Some(rpc) = &config.web_rpc_url {
        connect.push(' ');
        connect.push_str(rpc);
    }
    format!(
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
         connect-src {connect}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )
}

/// `GET /` and the client's files; 404 for anything else.
pub async fn serve(req: HttpRequest, gateway: web::Data<std::sync::Arc<Gateway>>) -> HttpResponse {
    let Some((kind, bytes)) = asset(req.path()) else {
        return super::refuse(StatusCode::NOT_FOUND, "not_found", "no such page");
    };
    // Built file names carry a hash of their content: they never change under one name.
    let cache = if req.path().starts_with("/assets/") {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let mut response = HttpResponse::Ok();
    response
        .insert_header((header::CONTENT_TYPE, HeaderValue::from_static(kind)))
        .insert_header((header::CACHE_CONTROL, cache))
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            content_security_policy(&gateway.config),
        ))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::REFERRER_POLICY, "no-referrer"))
        .insert_header(("Cross-Origin-Opener-Policy", "same-origin"))
        .insert_header(("Cross-Origin-Resource-Policy", "same-origin"))
        .insert_header((
            "Permissions-Policy",
            "camera=(), microphone=(), geolocation=()",
        ))
        .insert_header((header::X_FRAME_OPTIONS, "DENY"));
    if kind.starts_with("text/html") {
        // The page checks sign-in messages against the cluster this gateway names, and reads
        // the chain at the one RPC URL its policy allows (none: paid rooms are off).
        let rpc_url = gateway.config.web_rpc_url.as_deref().unwrap_or_default();
        let page = String::from_utf8_lossy(bytes)
            .replace(
                CHAIN_ID_PLACEHOLDER,
                &html_attribute(&gateway.config.chain_id),
            )
            .replace(RPC_URL_PLACEHOLDER, &html_attribute(rpc_url));
        return response.body(page);
    }
    response.body(bytes)
}

/// Where `web/index.html` wants the gateway's `--chain-id`.
const CHAIN_ID_PLACEHOLDER: &str = "__ANOGHOST_CHAIN_ID__";
/// Where `web/index.html` wants the gateway's `--web-rpc-url` (empty without one).
const RPC_URL_PLACEHOLDER: &str = "__ANOGHOST_RPC_URL__";

fn html_attribute(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
