//! The PubSub WebSocket (port 8900 by default, like `solana-test-validator`):
//! `signatureSubscribe`, `accountSubscribe` and `slotSubscribe`, with their unsubscribes.
//! Message shapes follow the Solana RPC documentation.
//!
//! Every state change on this chain is a transaction processed by the RPC side, which
//! broadcasts a [`ChainEvent`]; the slot ticker broadcasts new slots. Each socket turns the
//! events it cares about into notifications.

use std::collections::HashMap;
use std::sync::Arc;

use actix_web::{web, HttpRequest, HttpResponse};
use actix_ws::{Message, MessageStream, Session};
use serde_json::{json, Value};
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::Signature;
use tokio::sync::broadcast::error::RecvError;

use crate::events::ChainEvent;
use crate::rpc::{
    Localnet, RpcError, INVALID_PARAMS, INVALID_REQUEST, METHOD_NOT_FOUND, PARSE_ERROR,
};

/// Most subscriptions one socket may hold.
const MAX_SUBSCRIPTIONS: usize = 1_000;

enum Subscription {
    Signature(Signature),
    Account { address: Pubkey, config: Value },
    Slot,
}

/// `GET /` upgraded to a WebSocket.
pub async fn upgrade(
    req: HttpRequest,
    body: web::Payload,
    localnet: web::Data<Localnet>,
) -> actix_web::Result<HttpResponse> {
    let (response, session, stream) = actix_ws::handle(&req, body)?;
    actix_web::rt::spawn(serve(localnet.into_inner(), session, stream));
    Ok(response)
}

struct Socket {
    localnet: Arc<Localnet>,
    session: Session,
    subscriptions: HashMap<u64, Subscription>,
    next_id: u64,
}

async fn serve(localnet: Arc<Localnet>, session: Session, mut stream: MessageStream) {
    let mut events = localnet.events.subscribe();
    let mut socket = Socket {
        localnet,
        session,
        subscriptions: HashMap::new(),
        next_id: 0,
    };
    loop {
        let open = tokio::select! {
            message = stream.recv() => match message {
                Some(Ok(Message::Text(text))) => socket.on_request(text.as_bytes()).await,
                Some(Ok(Message::Binary(bytes))) => socket.on_request(&bytes).await,
                Some(Ok(Message::Ping(bytes))) => socket.session.pong(&bytes).await.is_ok(),
                Some(Ok(Message::Pong(_) | Message::Continuation(_) | Message::Nop)) => true,
                Some(Ok(Message::Close(_)) | Err(_)) | None => false,
            },
            event = events.recv() => match event {
                Ok(event) => socket.on_event(event).await,
                // A subscriber this far behind missed events; tell it by closing, as a
                // validator drops a lagging subscriber.
                Err(RecvError::Lagged(_) | RecvError::Closed) => false,
            },
        };
        if !open {
            break;
        }
    }
    let _ = socket.session.close(None).await;
}

fn reply(id: &Value, result: Result<Value, RpcError>) -> Value {
    match result {
        Ok(result) => json!({"jsonrpc": "2.0", "result": result, "id": id}),
        Err(error) => {
            json!({"jsonrpc": "2.0", "error": {"code": error.code, "message": error.message}, "id": id})
        }
    }
}

fn rpc_error(code: i64, message: &str) -> RpcError {
    RpcError {
        code,
        message: message.into(),
        data: None,
    }
}

impl Socket {
    async fn send(&mut self, value: &Value) -> bool {
        self.session.text(value.to_string()).await.is_ok()
    }

    async fn on_request(&mut self, body: &[u8]) -> bool {
        let Ok(request) = serde_json::from_slice::<Value>(body) else {
            return self
                .send(&reply(
                    &Value::Null,
                    Err(rpc_error(PARSE_ERROR, "Parse error")),
                ))
                .await;
        };
        let id = request.get("id").cloned().unwrap_or(Value::Null);
        let (Some(method), params) = (
            request.get("method").and_then(Value::as_str),
            request.get("params").cloned().unwrap_or(json!([])),
        ) else {
            return self
                .send(&reply(
                    &id,
                    Err(rpc_error(INVALID_REQUEST, "Invalid request")),
                ))
                .await;
        };
        let params = params.as_array().cloned().unwrap_or_default();
        let result = self.call(method, &params);
        let subscribed = result.as_ref().ok().and_then(Value::as_u64);
        if !self.send(&reply(&id, result)).await {
            return false;
        }
        // A signature that already landed is reported at once, so a client that subscribes
        // after sending never waits for an event that has passed.
        match subscribed.and_then(|id| self.subscriptions.get(&id).map(|s| (id, s))) {
            Some((id, Subscription::Signature(signature))) if method == "signatureSubscribe" => {
                let signature = *signature;
                self.notify_landed_signature(id, signature).await
            }
            _ => true,
        }
    }

    fn call(&mut self, method: &str, params: &[Value]) -> Result<Value, RpcError> {
        let subscription = match method {
            "signatureSubscribe" => Subscription::Signature(
                params
                    .first()
                    .and_then(Value::as_str)
                    .and_then(|s| s.parse().ok())
                    .ok_or_else(|| rpc_error(INVALID_PARAMS, "Invalid signature"))?,
            ),
            "accountSubscribe" => Subscription::Account {
                address: params
                    .first()
                    .and_then(Value::as_str)
                    .and_then(|s| s.parse().ok())
                    .ok_or_else(|| rpc_error(INVALID_PARAMS, "Invalid public key"))?,
                config: params.get(1).cloned().unwrap_or(Value::Null),
            },
            "slotSubscribe" => Subscription::Slot,
            "signatureUnsubscribe" | "accountUnsubscribe" | "slotUnsubscribe" => {
                let id = params.first().and_then(Value::as_u64);
                return match id.and_then(|id| self.subscriptions.remove(&id)) {
                    Some(_) => Ok(json!(true)),
                    None => Err(rpc_error(INVALID_PARAMS, "Invalid subscription id.")),
                };
            }
            _ => return Err(rpc_error(METHOD_NOT_FOUND, "Method not found")),
        };
        if self.subscriptions.len() >= MAX_SUBSCRIPTIONS {
            return Err(rpc_error(
                INVALID_REQUEST,
                "too many subscriptions on this socket",
            ));
        }
        let id = self.next_id;
        self.next_id += 1;
        self.subscriptions.insert(id, subscription);
        Ok(json!(id))
    }

    async fn notify_landed_signature(&mut self, id: u64, signature: Signature) -> bool {
        let landed = self
            .localnet
            .ledger()
            .transaction(&signature)
            .map(|stored| (stored.slot, stored.err.clone()));
        match landed {
            Some((slot, err)) => self.signature_notification(id, slot, err).await,
            None => true,
        }
    }

    async fn signature_notification(&mut self, id: u64, slot: u64, err: Value) -> bool {
        // A signature subscription ends with its one notification.
        self.subscriptions.remove(&id);
        self.send(&notification(
            "signatureNotification",
            id,
            json!({"context": {"slot": slot}, "value": {"err": err}}),
        ))
        .await
    }

    async fn on_event(&mut self, event: ChainEvent) -> bool {
        match event {
            ChainEvent::Slot(slot) => {
                let ids: Vec<u64> = self
                    .subscriptions
                    .iter()
                    .filter(|(_, s)| matches!(s, Subscription::Slot))
                    .map(|(id, _)| *id)
                    .collect();
                for id in ids {
                    let result =
                        json!({"parent": slot.saturating_sub(1), "root": slot, "slot": slot});
                    if !self
                        .send(&notification("slotNotification", id, result))
                        .await
                    {
                        return false;
                    }
                }
                true
            }
            ChainEvent::Transaction {
                signature,
                slot,
                err,
                accounts,
            } => {
                let mut signature_ids = Vec::new();
                let mut account_ids = Vec::new();
                for (id, subscription) in &self.subscriptions {
                    match subscription {
                        Subscription::Signature(s) if *s == signature => signature_ids.push(*id),
                        Subscription::Account { address, config }
                            if err.is_null() && accounts.contains(address) =>
                        {
                            account_ids.push((*id, *address, config.clone()));
                        }
                        _ => {}
                    }
                }
                for id in signature_ids {
                    if !self.signature_notification(id, slot, err.clone()).await {
                        return false;
                    }
                }
                for (id, address, config) in account_ids {
                    let value = match self.localnet.account_value(&address, &config).await {
                        Ok(value) => value,
                        Err(_) => continue,
                    };
                    if !self
                        .send(&notification("accountNotification", id, value))
                        .await
                    {
                        return false;
                    }
                }
                true
            }
        }
    }
}

fn notification(method: &str, subscription: u64, result: Value) -> Value {
    json!({
        "jsonrpc": "2.0",
        "method": method,
        "params": {"result": result, "subscription": subscription},
    })
}
