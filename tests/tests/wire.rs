//! The SDK and the gateway agree on every control message: each client message the SDK
//! encodes decodes unchanged in the gateway, and each server message the gateway encodes
//! decodes unchanged in the SDK. Both sides go through their own entry points, the ones
//! their sockets use.

use anoghost_protocol::samples::{client_samples, server_samples};

#[test]
fn every_client_message_reaches_the_gateway_unchanged() {
    for message in client_samples() {
        let text = anoghost_sdk::gateway::encode_control(&message);
        assert_eq!(
            anoghost_gateway::commands::decode(&text).as_ref(),
            Ok(&message),
            "{text}"
        );
    }
}

#[test]
fn every_server_message_reaches_the_sdk_unchanged() {
    for message in server_samples() {
        let text = anoghost_gateway::commands::encode(&message);
        let decoded = anoghost_sdk::gateway::decode_control(&text).map_err(|e| e.to_string());
        assert_eq!(decoded.as_ref(), Ok(&message), "{text}");
    }
}
