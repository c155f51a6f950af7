//! A real gateway on 127.0.0.1:0 for end-to-end tests.

use std::net::TcpListener;

use anoghost_gateway::{start, GatewayConfig, RunningGateway};

/// Starts a gateway with test-friendly limits; returns it and its WebSocket URL.
pub fn spawn_gateway() -> (RunningGateway, String) {
    spawn_gateway_with(|_| {})
}

/// [`spawn_gateway`] with the configuration adjusted by `adjust`.
pub fn spawn_gateway_with(adjust: impl FnOnce(&mut GatewayConfig)) -> (RunningGateway, String) {
    let mut config = GatewayConfig::local_defaults();
    config.listen = "127.0.0.1:0".parse().unwrap();
    config.messages_per_second = 10_000;
    config.joins_per_minute = 1_000;
    config.joins_per_minute_per_ip = 10_000;
    config.workers = 2;
    adjust(&mut config);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let gateway = start(config, listener).unwrap();
    let url = format!("ws://{}/v1/ws", gateway.addr);
    (gateway, url)
}
