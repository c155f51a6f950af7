//! `anoghost-gateway`: run the gateway. `--help` lists every option.

use std::net::TcpListener;
use std::process::ExitCode;

use anoghost_gateway::{logging, start, GatewayConfig};
use clap::Parser;

#[actix_web::main]
async fn main() -> ExitCode {
    let config = GatewayConfig::parse();
    logging::init(config.log_level);
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
