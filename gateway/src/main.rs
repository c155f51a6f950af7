//! `anoghost-gateway`: run the gateway. `--help` lists every option.

use std::net::TcpListener;
use std::process::ExitCode;

use anoghost_gateway::limits::fit_to_open_files;
use anoghost_gateway::{logging, start, GatewayConfig};
use clap::Parser;

#[actix_web::main]
async fn main() -> ExitCode {
    let mut config = GatewayConfig::parse();
    logging::init(config.log_level);
    fit_connections_to_open_files(&mut config);
    let listener = match TcpListener::bind(config.listen) {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!(
                "anoghost-gateway: cannot listen on {}: {error} (choose another with --listen)",
                config.listen
            );
            return ExitCode::FAILURE;
        }
    };
    let running = match start(config, listener) {
        Ok(running) => running,
        Err(error) => {
            eprintln!("anoghost-gateway: cannot start: {error}");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "AnoGhost gateway listening on http://{addr} (WebSocket: ws://{addr}/v1/ws)",
        addr = running.addr
    );
    wait_for_signal().await;
    println!("AnoGhost gateway shutting down");
    match running.shutdown().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("anoghost-gateway: error while stopping: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Lowers `--max-connections` to what the open-files limit allows, saying so, so that
/// connections past it get HTTP 503 instead of hanging in the listen backlog.
fn fit_connections_to_open_files(config: &mut GatewayConfig) {
    let configured = config.max_connections;
    match fit_to_open_files(configured) {
        Ok(budget) if budget.lowered_from(configured) => {
            tracing::warn!(
                "--max-connections {configured} lowered to {} to fit the open-files limit of \
                 {} (raise it with `ulimit -n` or systemd's LimitNOFILE=)",
                budget.max_connections,
                budget.open_files
            );
            config.max_connections = budget.max_connections;
        }
        Ok(_) => {}
        Err(error) => tracing::warn!("cannot read the open-files limit: {error}"),
    }
}

/// Waits for SIGTERM or Ctrl-C.
async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
