//! Per-address limits behind a reverse proxy, over real sockets: forwarding headers count
//! only from `--trusted-proxy` peers, and IPv6 clients count by their /64.

mod support;

use serde_json::json;
use support::{spawn, test_config, Client};

/// Three join attempts from `client`: how many were answered `room_not_found` before the
/// first `join_rate_limited` (3 means none was limited).
async fn joins_allowed(client: &mut Client) -> usize {
    for allowed in 0..3 {
        client
            .send_json(json!({"type": "room_join", "code": "000001", "proof": "1"}))
            .await;
        let reply = client.expect("error").await;
        if reply["code"] == "join_rate_limited" {
            return allowed;
        }
        assert_eq!(reply["code"], "room_not_found", "{reply}");
    }
    3
}

async fn through_proxy(
    gateway: &anoghost_gateway::RunningGateway,
    peer: [u8; 4],
    header: (&str, &str),
) -> Client {
    let mut client = Client::connect_with_headers(gateway.addr, peer.into(), &[header])
        .await
        .expect("upgrade");
    client.hello().await;
    client
}

#[actix_web::test]
async fn forwarded_addresses_count_only_when_the_peer_is_a_trusted_proxy() {
    let mut config = test_config();
    config.joins_per_minute_per_ip = 2;
    config.trusted_proxies = vec![[127, 0, 0, 5].into()];
    let gateway = spawn(config);
    const PROXY: [u8; 4] = [127, 0, 0, 5];

    // Behind the proxy, each client has its own budget, whatever the proxy's address.
    let mut first = through_proxy(&gateway, PROXY, ("X-Forwarded-For", "203.0.113.7")).await;
    assert_eq!(joins_allowed(&mut first).await, 2);
    let mut again = through_proxy(&gateway, PROXY, ("X-Forwarded-For", "203.0.113.7")).await;
    assert_eq!(
        joins_allowed(&mut again).await,
        0,
        "same client, same budget"
    );
    // A client that writes a first hop itself is counted by the hop the proxy appended.
    let forged = ("X-Forwarded-For", "6.6.6.6, 203.0.113.7");
    let mut liar = through_proxy(&gateway, PROXY, forged).await;
    assert_eq!(joins_allowed(&mut liar).await, 0);
    let other = ("Forwarded", "for=198.51.100.4;proto=https");
    let mut neighbour = through_proxy(&gateway, PROXY, other).await;
    assert_eq!(joins_allowed(&mut neighbour).await, 2);

    // From a peer that is not a trusted proxy, the headers are ignored.
    let untrusted = [127, 0, 0, 6];
    let mut spoofer = through_proxy(&gateway, untrusted, ("X-Forwarded-For", "192.0.2.1")).await;
    assert_eq!(joins_allowed(&mut spoofer).await, 2);
    let mut respoofed = through_proxy(&gateway, untrusted, ("X-Forwarded-For", "192.0.2.2")).await;
    assert_eq!(
        joins_allowed(&mut respoofed).await,
        0,
        "counted by its TCP address"
    );
}

#[actix_web::test]
async fn ipv6_clients_are_counted_by_their_slash_64() {
    let mut config = test_config();
    config.joins_per_minute_per_ip = 2;
    config.trusted_proxies = vec![[127, 0, 0, 5].into()];
    let gateway = spawn(config);
    const PROXY: [u8; 4] = [127, 0, 0, 5];
    let mut a = through_proxy(
        &gateway,
        PROXY,
        ("Forwarded", r#"for="[2001:db8:1:2::a]:4711""#),
    )
    .await;
    assert_eq!(joins_allowed(&mut a).await, 2);
    let same_prefix = ("Forwarded", r#"for="[2001:db8:1:2:ffff::b]""#);
    let mut b = through_proxy(&gateway, PROXY, same_prefix).await;
    assert_eq!(
        joins_allowed(&mut b).await,
        0,
        "another address of the same /64"
    );
    let mut c = through_proxy(&gateway, PROXY, ("X-Forwarded-For", "2001:db8:1:3::a")).await;
    assert_eq!(joins_allowed(&mut c).await, 2, "another /64");
}
