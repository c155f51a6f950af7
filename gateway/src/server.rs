//! Starting and stopping the HTTP server.

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::time::Duration;

use actix_http::HttpService;
use actix_server::{Server, ServerHandle};
use actix_service::{fn_service, map_config};
use actix_web::dev::AppConfig;
use actix_web::{web, App};

use crate::cluster::Cluster;
use crate::config::GatewayConfig;
use solana_sdk::signature::Keypair;
use tokio::sync::watch;

use crate::paid::minter::BatchMinter;
use crate::paid::settlement::Settler;
use crate::paid::{load_master_keys, Chain, PaidRooms, RpcChain};
use crate::state::{run_ghost_rotation, Gateway};
use crate::{http, ws};
use anoghost_program_client::keypair_file;

/// Largest HTTP request body accepted (a challenge request is ~60 bytes, a key-burn
/// transaction ~560).
const MAX_HTTP_BODY: usize = 1024;

/// Connections a worker takes beyond `--max-connections`, so health checks, challenges and
/// 503 refusals are still answered at the cap.
const HTTP_SLACK: usize = 256;

/// A running gateway.
pub struct RunningGateway {
    /// The address it listens on.
    pub addr: SocketAddr,
    /// Its shared state (for tests and metrics).
    pub gateway: Arc<Gateway>,
    handle: ServerHandle,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
    /// Last: dropped after the server, it ends the socket tasks still running.
    _sockets: ws::SocketRuntime,
}

/// Starts a gateway on `listener`, reading the chain through `--rpc-url` if one is set.
/// Must be called inside a Tokio runtime.
pub fn start(config: GatewayConfig, listener: TcpListener) -> std::io::Result<RunningGateway> {
    let chain = config
        .rpc_url
        .as_deref()
        .map(|url| Arc::new(RpcChain::new(url)) as Arc<dyn Chain>);
    start_with_chain(config, listener, chain)
}

/// Starts a gateway that reads the chain through `chain` (paid rooms off if `None`).
pub fn start_with_chain(
    mut config: GatewayConfig,
    listener: TcpListener,
    chain: Option<Arc<dyn Chain>>,
) -> std::io::Result<RunningGateway> {
    let addr = listener.local_addr()?;
    // Sign-in messages name the address clients actually reach (a `--listen` port of 0
    // is only known once bound).
    config.domain.get_or_insert_with(|| addr.to_string());
    // The page this gateway serves at `/` may open its WebSocket: its own origin is always
    // allowed, beside any --allowed-origin.
    let own_origin = config.sign_in_uri();
    if !config.allowed_origins.contains(&own_origin) {
        config.allowed_origins.push(own_origin);
    }
    // Without --public-url the gateway is reached where it listens (loopback, in practice).
    if config.public_url.is_none() {
        config.public_url = Some(format!("http://{addr}"));
    }
    let paid = chain.map(|chain| paid_rooms(&config, chain)).transpose()?;
    let workers = match config.workers {
        0 => std::thread::available_parallelism().map_or(1, usize::from),
        n => n,
    };
    config
        .cluster
        .check_max_frame_bytes(config.max_frame_bytes)
        .map_err(std::io::Error::other)?;
    let cluster = if config.cluster.enabled() {
        let (cluster, events) = Cluster::connect(&config.cluster).map_err(std::io::Error::other)?;
        Some((cluster, events))
    } else {
        None
    };
    let (shutdown_tx, shutdown) = watch::channel(false);
    let joined = cluster.as_ref().map(|(cluster, _)| cluster.clone());
    let gateway = Gateway::new(config, paid, joined, (shutdown_tx, shutdown.clone()));
    if let Some((cluster, events)) = cluster {
        tokio::spawn(cluster.run(gateway.clone(), events));
    }
    tokio::spawn(run_ghost_rotation(gateway.clone()));
    if let Some(paid) = &gateway.paid {
        tokio::spawn(
            paid.minter
                .clone()
                .run(paid.chain.clone(), shutdown.clone()),
        );
        tokio::spawn(paid.settler.clone().run(paid.chain.clone(), shutdown));
    }
    let sockets = ws::SocketRuntime::new(workers)?;
    let server = serve(gateway.clone(), sockets.handle(), listener, workers)?;
    let handle = server.handle();
    let server = tokio::spawn(server);
    Ok(RunningGateway {
        addr,
        gateway,
        handle,
        server,
        _sockets: sockets,
    })
}

/// The HTTP server: the JSON endpoints on actix-web, and WebSocket upgrades handed to
/// [`ws::upgrade`] with the connection itself.
fn serve(
    gateway: Arc<Gateway>,
    sockets: tokio::runtime::Handle,
    listener: TcpListener,
    workers: usize,
) -> std::io::Result<Server> {
    let addr = listener.local_addr()?;
    let grace = gateway.config.shutdown_grace_secs;
    // The gateway's own cap is the binding one: actix-server's per-worker default (25,600)
    // would otherwise stop accepting silently below `--max-connections`.
    let per_worker = gateway.config.max_connections.saturating_add(HTTP_SLACK);
    let data = web::Data::new(gateway.clone());
    let server = Server::build()
        .workers(workers)
        .max_concurrent_connections(per_worker)
        .disable_signals()
        .shutdown_timeout(grace)
        .listen("anoghost-gateway", listener, move || {
            let gateway = gateway.clone();
            let sockets = sockets.clone();
            let app = App::new()
                .app_data(data.clone())
                .app_data(web::PayloadConfig::new(MAX_HTTP_BODY))
                .route("/v1/health", web::get().to(http::health))
                .route("/v1/auth/challenge", web::post().to(http::challenge))
                .route(ws::WS_PATH, web::get().to(ws::upgrade_required))
                .route("/v1/pay/icon.svg", web::get().to(http::solana_pay::icon))
                .route(
                    "/v1/pay/room-deposit",
                    web::get().to(http::solana_pay::room_deposit_label),
                )
                .route(
                    "/v1/pay/room-deposit",
                    web::post().to(http::solana_pay::room_deposit),
                )
                .route(
                    "/v1/pay/payment",
                    web::get().to(http::solana_pay::payment_label),
                )
                .route("/v1/pay/payment", web::post().to(http::solana_pay::payment))
                .route("/v1/keys/burn", web::post().to(http::keys_burn))
                // Last: the browser client at `/` and its files (anything else is a 404).
                .default_service(web::get().to(http::web::serve));
            HttpService::build()
                // Relay frames are small and latency-bound: without TCP_NODELAY, Nagle's
                // algorithm holds a frame back until the peer's delayed ACK, adding ~40 ms
                // to the latency tail.
                .tcp_nodelay(true)
                // After an HTTP response the server hangs up at once instead of lingering
                // up to a second for the client to do it.
                .client_disconnect_timeout(Duration::ZERO)
                .local_addr(addr)
                // Boxed: actix-server's connection task keeps two copies of the dispatcher
                // future's size, and an inline socket future would make both several KiB.
                .upgrade(fn_service(move |(req, http): (_, ws::HttpConnection)| {
                    Box::pin(ws::upgrade(gateway.clone(), sockets.clone(), req, http))
                }))
                .finish(map_config(app, |()| AppConfig::default()))
                .tcp()
        })?
        .run();
    Ok(server)
}

impl RunningGateway {
    /// Closes every WebSocket with code 1001, waits up to the grace period for them to
    /// finish, then stops the server at once: the grace period is waited once, and a client
    /// that never answers the Close is cut when it ends.
    pub async fn shutdown(self) -> std::io::Result<()> {
        self.gateway.begin_shutdown();
        let grace = Duration::from_secs(self.gateway.config.shutdown_grace_secs);
        let deadline = tokio::time::Instant::now() + grace;
        while self.gateway.open_connections() > 0 && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        // Not graceful: a graceful stop would wait out the grace period a second time for
        // the sockets still open.
        self.handle.stop(false).await;
        self.server.await.unwrap_or(Ok(()))
    }
}

fn paid_rooms(config: &GatewayConfig, chain: Arc<dyn Chain>) -> std::io::Result<PaidRooms> {
    let (keys, generated) = load_master_keys(config).map_err(std::io::Error::other)?;
    if generated {
        tracing::warn!(
            "no master key configured (--master-key-file): using a random one; \
             paid-room keys minted now will stop opening their rooms when this gateway restarts"
        );
    }
    let authority = match &config.authority_keypair {
        Some(path) => keypair_file::read(path).map_err(std::io::Error::other)?,
        None => {
            tracing::warn!(
                "no gateway authority keypair configured (--authority-keypair): using a \
                 random one; minting fails unless the program config names it"
            );
            Keypair::new()
        }
    };
    let authority = Arc::new(authority);
    let minter = BatchMinter::new(
        authority.clone(),
        Duration::from_millis(config.mint_delay_max_ms),
    );
    let settler = Settler::new(
        authority.clone(),
        Duration::from_secs(config.settle_sweep_secs),
        Duration::from_secs(config.settle_delay_max_secs),
    );
    Ok(PaidRooms {
        chain,
        keys,
        authority,
        minter: Arc::new(minter),
        settler: Arc::new(settler),
    })
}
