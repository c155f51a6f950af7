//! The browser client the gateway serves at `/`: built into the binary, under a strict
//! Content-Security-Policy, and able to open its WebSocket from its own origin while a
//! foreign origin is still refused.

mod support;

use std::net::IpAddr;

use anoghost_gateway::http::web::web_client_built;
use support::{spawn, test_config, Client};

#[actix_web::test]
async fn the_gateway_serves_the_web_client_at_the_root_under_a_strict_policy() {
    assert!(
        web_client_built(),
        "the gateway embeds the placeholder page: build.rs could not build web/ (is npm installed?)"
    );
    let gateway = spawn(test_config());
    let response = reqwest::get(format!("http://{}/", gateway.addr))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    let header = |name: &str| headers[name].to_str().unwrap().to_owned();
    assert_eq!(header("content-type"), "text/html; charset=utf-8");
    assert_eq!(header("x-content-type-options"), "nosniff");
    assert_eq!(header("referrer-policy"), "no-referrer");
    assert_eq!(
        header("content-security-policy"),
        format!(
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             connect-src 'self' ws://{}; base-uri 'none'; form-action 'none'; \
             frame-ancestors 'none'",
            gateway.addr
        )
    );
    let page = response.text().await.unwrap();
    // Only external scripts: the policy forbids inline ones.
    assert!(
        page.contains("<script type=\"module\" crossorigin src=\"/assets/"),
        "{page}"
    );
    assert!(!page.contains("<script>"), "{page}");
    // The page checks sign-in messages against this gateway's cluster.
    assert!(
        page.contains(r#"<meta name="anoghost-chain-id" content="solana:localnet" />"#),
        "{page}"
    );
    // Without --web-rpc-url the page has no chain to read (paid rooms are off there).
    assert!(
        page.contains(r#"<meta name="anoghost-rpc-url" content="" />"#),
        "{page}"
    );
    let script = page
        .split("src=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap();
    let asset = reqwest::get(format!("http://{}{script}", gateway.addr))
        .await
        .unwrap();
    assert_eq!(asset.status(), 200);
    assert_eq!(
        asset.headers()["content-type"],
        "text/javascript; charset=utf-8"
    );
    assert!(asset.headers()["cache-control"]
        .to_str()
        .unwrap()
        .contains("immutable"));
    let missing = reqwest::get(format!("http://{}/no/such/page", gateway.addr))
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
}

#[actix_web::test]
async fn the_pages_own_origin_opens_a_socket_by_default_and_a_foreign_one_is_refused() {
    let gateway = spawn(test_config());
    let here: IpAddr = [127, 0, 0, 1].into();
    let own = format!("http://{}", gateway.addr);
    let mut page = Client::try_connect_from(gateway.addr, here, Some(&own))
        .await
        .expect("the page's own origin connects");
    page.hello().await;
    for foreign in [
        "https://evil.example",
        "http://localhost.evil.example",
        &format!("https://{}", gateway.addr),
    ] {
        match Client::try_connect_from(gateway.addr, here, Some(foreign)).await {
            Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
                assert_eq!(response.status(), 403, "{foreign}")
            }
            other => panic!("{foreign}: expected HTTP 403, got {:?}", other.map(|_| ())),
        }
    }
}

#[actix_web::test]
async fn the_pages_policy_lets_it_reach_the_configured_rpc_url_and_nothing_else() {
    let mut config = test_config();
    config.web_rpc_url = Some("https://rpc.example".into());
    config.domain = Some("chat.example".into());
    config.chain_id = "solana:devnet".into();
    let gateway = spawn(config);
    let response = reqwest::get(format!("http://{}/", gateway.addr))
        .await
        .unwrap();
    let policy = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        policy.contains("connect-src 'self' wss://chat.example https://rpc.example;"),
        "{policy}"
    );
    let page = response.text().await.unwrap();
    assert!(page.contains(r#"content="solana:devnet""#), "{page}");
    // The page reads the chain at exactly the URL its policy allows.
    assert!(
        page.contains(r#"<meta name="anoghost-rpc-url" content="https://rpc.example" />"#),
        "{page}"
    );
}
