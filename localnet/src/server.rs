//! Serving the JSON-RPC endpoint, and keeping slots moving like a real cluster.

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::ServerHandle;
use actix_web::middleware::DefaultHeaders;
use actix_web::{web, App, HttpResponse, HttpServer};
use solana_program_test::ProgramTestContext;
use tokio::sync::{broadcast, Mutex};

use crate::events::ChainEvent;
use crate::genesis::{init_config, start_uninitialised, GenesisKeys};
use crate::ledger::Ledger;
use crate::pubsub;
use crate::rpc::Localnet;

/// Events a slow PubSub socket may fall behind by before it is dropped.
const EVENT_BACKLOG: usize = 4_096;

/// How a localnet starts.
#[derive(Debug, Clone)]
pub struct LocalnetOptions {
    /// Price per key written into the program config, in lamports.
    pub price_per_key: u64,
    /// Refund timeout written into the program config, in seconds.
    pub refund_timeout_secs: i64,
    /// Time between slots (a real cluster: about 400 ms).
    pub slot_interval: Duration,
    /// Where to serve PubSub; `None` picks a free port on the RPC listener's address.
    pub pubsub_addr: Option<SocketAddr>,
    /// Initialise the program config at genesis; without it the chain looks like a fresh
    /// deploy, for `anoghost admin config-init`.
    pub initialise_config: bool,
}

impl Default for LocalnetOptions {
    fn default() -> Self {
        Self {
            price_per_key: 10_000_000,
            refund_timeout_secs: 3_600,
            slot_interval: Duration::from_millis(400),
            pubsub_addr: None,
            initialise_config: true,
        }
    }
}

/// A running localnet.
pub struct RunningLocalnet {
    /// Where JSON-RPC is served (HTTP POST to `/`).
    pub addr: SocketAddr,
    /// Where the PubSub WebSocket is served.
    pub pubsub_addr: SocketAddr,
    /// The chain's well-known wallets.
    pub keys: GenesisKeys,
    handle: ServerHandle,
    pubsub_handle: ServerHandle,
    ticker: tokio::task::JoinHandle<()>,
}

impl std::fmt::Debug for RunningLocalnet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunningLocalnet")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

/// Starts a bank with the program and its config, and serves JSON-RPC on `listener` and
/// PubSub on `options.pubsub_addr`. Must be called inside a Tokio runtime.
pub async fn start(
    listener: TcpListener,
    options: LocalnetOptions,
) -> std::io::Result<RunningLocalnet> {
    let addr = listener.local_addr()?;
    let pubsub_wanted = options.pubsub_addr.unwrap_or(SocketAddr::new(addr.ip(), 0));
    let pubsub_listener = TcpListener::bind(pubsub_wanted).map_err(|error| {
        std::io::Error::new(
            error.kind(),
            format!("cannot listen on {pubsub_wanted} for PubSub: {error}"),
        )
    })?;
    let pubsub_addr = pubsub_listener.local_addr()?;
    let (mut context, keys) = start_uninitialised().await;
    if options.initialise_config {
        init_config(
            &mut context,
            &keys,
            options.price_per_key,
            options.refund_timeout_secs,
        )
        .await
        .map_err(std::io::Error::other)?;
    }
    let bank_gate = Arc::new(Mutex::new(()));
    let (events, _) = broadcast::channel(EVENT_BACKLOG);
    let mut ledger = Ledger::default();
    ledger.note_genesis_accounts([anoghost_program_client::pda::config()]);
    let localnet = web::Data::new(Localnet {
        client: context.banks_client.clone(),
        faucet: context.payer.insecure_clone(),
        bank_gate: bank_gate.clone(),
        ledger: std::sync::Mutex::new(ledger),
        events: events.clone(),
        request_counts: Default::default(),
    });
    let ticker = tokio::spawn(advance_slots(
        context,
        bank_gate,
        events,
        options.slot_interval,
    ));
    let pubsub_data = localnet.clone();
    let pubsub = HttpServer::new(move || {
        App::new()
            .app_data(pubsub_data.clone())
            .route("/", web::get().to(pubsub::upgrade))
    })
    .workers(1)
    .disable_signals()
    .listen(pubsub_listener)?
    .run();
    let pubsub_handle = pubsub.handle();
    tokio::spawn(pubsub);
    let server = HttpServer::new(move || {
        App::new()
            .app_data(localnet.clone())
            .app_data(web::PayloadConfig::new(1024 * 1024))
            // Like a public Solana RPC node, any page may call it: the web client reads the
            // chain from the browser, on another origin than the gateway that serves it.
            .wrap(
                DefaultHeaders::new()
                    .add(("Access-Control-Allow-Origin", "*"))
                    .add(("Access-Control-Allow-Methods", "POST, OPTIONS"))
                    .add((
                        "Access-Control-Allow-Headers",
                        "content-type, solana-client",
                    ))
                    .add(("Access-Control-Max-Age", "86400")),
            )
            .route("/", web::post().to(rpc))
            .route(
                "/",
                web::method(actix_web::http::Method::OPTIONS).to(preflight),
            )
            .route(
                "/health",
                web::get().to(|| async { HttpResponse::Ok().body("ok") }),
            )
            .route("/stats", web::get().to(stats))
    })
    .workers(1)
    .disable_signals()
    .listen(listener)?
    .run();
    let handle = server.handle();
    tokio::spawn(server);
    Ok(RunningLocalnet {
        addr,
        pubsub_addr,
        keys,
        handle,
        pubsub_handle,
        ticker,
    })
}

impl RunningLocalnet {
    /// The JSON-RPC URL.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The PubSub WebSocket URL.
    pub fn ws_url(&self) -> String {
        format!("ws://{}", self.pubsub_addr)
    }

    /// Stops serving and stops the slot ticker.
    pub async fn stop(self) {
        self.ticker.abort();
        self.pubsub_handle.stop(true).await;
        self.handle.stop(true).await;
    }
}

/// `GET /stats`: JSON-RPC requests served so far, by method (not part of the Solana RPC;
/// benchmarks read it to count what an operation costs).
async fn stats(localnet: web::Data<Localnet>) -> HttpResponse {
    let counts = localnet
        .request_counts
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone();
    let total: u64 = counts.values().sum();
    HttpResponse::Ok().json(serde_json::json!({"total": total, "methods": counts}))
}

/// A browser's CORS preflight before its JSON POST: the headers above answer it.
async fn preflight() -> HttpResponse {
    HttpResponse::NoContent().finish()
}

async fn rpc(body: web::Bytes, localnet: web::Data<Localnet>) -> HttpResponse {
    HttpResponse::Ok().json(localnet.handle(&body).await)
}

/// Moves the bank forward one slot per interval, so blockhashes age and expire as on a
/// real cluster. Warping replaces the working bank, so it waits for the gate: never while a
/// request is being served.
async fn advance_slots(
    mut context: ProgramTestContext,
    bank_gate: Arc<Mutex<()>>,
    events: broadcast::Sender<ChainEvent>,
    interval: Duration,
) {
    let mut ticker = tokio::time::interval(interval);
    loop {
        ticker.tick().await;
        let _gate = bank_gate.lock().await;
        let slot = match context
            .banks_client
            .get_sysvar::<solana_sdk::clock::Clock>()
            .await
        {
            Ok(clock) => clock.slot,
            Err(_) => continue,
        };
        if context.warp_to_slot(slot + 1).is_ok() {
            follow_wall_clock(&mut context).await;
            let _ = events.send(ChainEvent::Slot(slot + 1));
        }
    }
}

/// Sets the bank's clock to the wall clock, as a real cluster's stake-weighted timestamps
/// track it. Without this the program-test bank's time drifts behind, and expiries (refund
/// timeouts, payment reclaims) would arrive late.
async fn follow_wall_clock(context: &mut ProgramTestContext) {
    let Ok(mut clock) = context
        .banks_client
        .get_sysvar::<solana_sdk::clock::Clock>()
        .await
    else {
        return;
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    // A cluster's clock never goes backwards.
    if now > clock.unix_timestamp {
        clock.unix_timestamp = now;
        context.set_sysvar(&clock);
    }
}
