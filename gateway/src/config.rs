//! Gateway configuration: every option is a flag and an environment variable, with a safe
//! default, so `anoghost-gateway` with no arguments is a working local gateway.

use std::net::SocketAddr;
use std::time::Duration;

use clap::Parser;

use anoghost_protocol::Limits;

/// AnoGhost gateway: wallet sign-in, ghostIds, free and paid rooms and a relay that only
/// ever sees ciphertext. It writes no files and logs no identifiers.
#[derive(Debug, Clone, Parser)]
#[command(name = "anoghost-gateway", version, about, long_about = None)]
pub struct GatewayConfig {
    /// Address to listen on. Keep it on loopback behind a TLS-terminating proxy in production.
    #[arg(long, env = "ANOGHOST_LISTEN", default_value = "127.0.0.1:8787")]
    pub listen: SocketAddr,

    /// Domain that sign-in messages name and must name: the host (and port) clients reach
    /// the gateway at, as a browser shows it. Default: the --listen address.
    #[arg(long, env = "ANOGHOST_DOMAIN")]
    pub domain: Option<String>,

    /// Chain id written into sign-in messages, e.g. solana:mainnet.
    #[arg(long, env = "ANOGHOST_CHAIN_ID", default_value = "solana:localnet")]
    pub chain_id: String,

    /// Browser origins allowed to open a WebSocket (repeat or comma-separate), beside the
    /// gateway's own origin (`http://` or `https://` and --domain), whose page it serves at
    /// `/`. Requests with no Origin header (native clients) are always allowed.
    #[arg(
        long = "allowed-origin",
        env = "ANOGHOST_ALLOWED_ORIGINS",
        value_delimiter = ','
    )]
    pub allowed_origins: Vec<String>,

    /// Solana JSON-RPC URL the browser client may reach (its Content-Security-Policy allows
    /// connections only to this gateway and this URL). Default: none.
    #[arg(long, env = "ANOGHOST_WEB_RPC_URL")]
    pub web_rpc_url: Option<String>,

    /// Seconds a sign-in challenge stays valid.
    #[arg(long, env = "ANOGHOST_CHALLENGE_TTL_SECS", default_value_t = 300)]
    pub challenge_ttl_secs: u64,

    /// Most spent sign-in nonces remembered at once (each until its challenge expires).
    /// Issuing challenges stores nothing; past this many recent sign-ins, new ones answer
    /// `sign_in_busy` until some expire.
    #[arg(long, env = "ANOGHOST_MAX_USED_NONCES", default_value_t = 1_000_000)]
    pub max_used_nonces: usize,

    /// Address of a reverse proxy in front of the gateway (repeat, or comma-separate). Only
    /// requests whose TCP peer is one of these have their `Forwarded` or `X-Forwarded-For`
    /// header read for the client address that per-address limits count.
    #[arg(
        long = "trusted-proxy",
        env = "ANOGHOST_TRUSTED_PROXIES",
        value_delimiter = ','
    )]
    pub trusted_proxies: Vec<std::net::IpAddr>,

    /// The gateway's public base URL (e.g. `https://chat.example`), from which Solana Pay
    /// answers build their icon URL (never from a request's Host header). Without it:
    /// `http://` and the address the gateway listens on, which suits loopback only.
    #[arg(long, env = "ANOGHOST_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Seconds between ghostId epoch-key rotations.
    #[arg(long, env = "ANOGHOST_GHOST_PERIOD_SECS", default_value_t = 120, value_parser = clap::value_parser!(u64).range(1..))]
    pub ghost_period_secs: u64,

    /// How many periods a ghostId keeps opening (the epoch keys kept).
    #[arg(long, env = "ANOGHOST_GHOST_WINDOW", default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=1000))]
    pub ghost_window: u64,

    /// Largest binary frame, in bytes; a larger one closes the connection with code 1009.
    #[arg(long, env = "ANOGHOST_MAX_FRAME_BYTES", default_value_t = 64 * 1024)]
    pub max_frame_bytes: usize,

    /// Largest control (JSON) message, in bytes; a larger one closes with code 1009. The
    /// default fits a `room_create_paid` with 50 invitees.
    #[arg(long, env = "ANOGHOST_MAX_CONTROL_BYTES", default_value_t = anoghost_protocol::limits::DEFAULT_MAX_CONTROL_BYTES)]
    pub max_control_bytes: usize,

    /// Messages (text or binary) per second per connection; extra ones are dropped.
    #[arg(long, env = "ANOGHOST_MESSAGES_PER_SECOND", default_value_t = 50)]
    pub messages_per_second: u32,

    /// Join attempts per minute per connection.
    #[arg(long, env = "ANOGHOST_JOINS_PER_MINUTE", default_value_t = 10)]
    pub joins_per_minute: u32,

    /// Join attempts per minute per client address (an IPv6 client counts by its /64;
    /// kept in memory only).
    #[arg(long, env = "ANOGHOST_JOINS_PER_MINUTE_PER_IP", default_value_t = 30)]
    pub joins_per_minute_per_ip: u32,

    /// `POST /v1/keys/burn` requests per minute per client address.
    #[arg(long, env = "ANOGHOST_BURNS_PER_MINUTE_PER_IP", default_value_t = 10)]
    pub burns_per_minute_per_ip: u32,

    /// Most simultaneous WebSocket connections; lowered at start, with a warning, to fit
    /// the open-files limit.
    #[arg(long, env = "ANOGHOST_MAX_CONNECTIONS", default_value_t = 100_000)]
    pub max_connections: usize,

    /// Most live rooms.
    #[arg(long, env = "ANOGHOST_MAX_ROOMS", default_value_t = 100_000)]
    pub max_rooms: usize,

    /// Most members in one room (at most 9000: member numbers have four digits).
    #[arg(long, env = "ANOGHOST_MAX_MEMBERS_PER_ROOM", default_value_t = 200, value_parser = clap::value_parser!(u64).range(1..=9000))]
    pub max_members_per_room: u64,

    /// Most rooms one connection may be in.
    #[arg(long, env = "ANOGHOST_MAX_ROOMS_PER_CONNECTION", default_value_t = 8)]
    pub max_rooms_per_connection: usize,

    /// Frames queued for one connection before it counts as a slow reader and is dropped.
    #[arg(long, env = "ANOGHOST_OUTBOUND_QUEUE", default_value_t = 256, value_parser = clap::value_parser!(u64).range(1..))]
    pub outbound_queue: u64,

    /// Seconds a new connection has to send `hello`.
    #[arg(long, env = "ANOGHOST_HANDSHAKE_TIMEOUT_SECS", default_value_t = 10)]
    pub handshake_timeout_secs: u64,

    /// Seconds between the gateway's WebSocket pings.
    #[arg(long, env = "ANOGHOST_HEARTBEAT_SECS", default_value_t = 15)]
    pub heartbeat_secs: u64,

    /// Seconds without any frame (not even a pong) before a connection is dropped.
    #[arg(long, env = "ANOGHOST_CLIENT_TIMEOUT_SECS", default_value_t = 45)]
    pub client_timeout_secs: u64,

    /// Seconds without a control message or relay frame before a connection is closed.
    #[arg(long, env = "ANOGHOST_IDLE_TIMEOUT_SECS", default_value_t = 900)]
    pub idle_timeout_secs: u64,

    /// Seconds a write to a stalled socket may block before the connection is dropped.
    #[arg(long, env = "ANOGHOST_WRITE_TIMEOUT_SECS", default_value_t = 10)]
    pub write_timeout_secs: u64,

    /// Seconds to wait for connections to close on shutdown.
    #[arg(long, env = "ANOGHOST_SHUTDOWN_GRACE_SECS", default_value_t = 5)]
    pub shutdown_grace_secs: u64,

    /// Solana JSON-RPC endpoint for paid rooms (e.g. http://127.0.0.1:8899). Without it,
    /// paid rooms are off and free rooms work as usual.
    #[arg(long, env = "ANOGHOST_RPC_URL")]
    pub rpc_url: Option<String>,

    /// File holding the 32-byte master key that seals paid-room keys, as 64 hex digits.
    /// Without it (or ANOGHOST_MASTER_KEY) a random key is generated and paid keys stop
    /// working when the gateway restarts.
    #[arg(long, env = "ANOGHOST_MASTER_KEY_FILE")]
    pub master_key_file: Option<std::path::PathBuf>,

    /// The master key itself, as 64 hex digits (prefer --master-key-file).
    #[arg(long, env = "ANOGHOST_MASTER_KEY", hide_env_values = true)]
    pub master_key: Option<String>,

    /// Id byte of the master key, written into every seal so the key can be rotated.
    #[arg(long, env = "ANOGHOST_MASTER_KEY_ID", default_value_t = 1)]
    pub master_key_id: u8,

    /// An older master key that keeps opening the seals made under it, as ID:FILE (the id
    /// byte it had as --master-key-id, and its file of 64 hex digits). Repeat (or
    /// comma-separate) for every older key still in use: rotate by moving the current key
    /// here and giving a new --master-key-file and --master-key-id.
    #[arg(
        long = "old-master-key-file",
        env = "ANOGHOST_OLD_MASTER_KEY_FILES",
        value_delimiter = ',',
        value_parser = parse_old_master_key
    )]
    pub old_master_keys: Vec<OldMasterKey>,

    /// Keypair file (Solana CLI format) of the gateway authority, which locks escrows, mints
    /// keys, settles escrows and pays for key burns, and must match the program config.
    /// Without it a random one is used, with a warning, and minting fails until the config
    /// names it.
    #[arg(long, env = "ANOGHOST_AUTHORITY_KEYPAIR")]
    pub authority_keypair: Option<std::path::PathBuf>,

    /// Longest random wait, in milliseconds, before each key mint: keys of all rooms are
    /// minted one at a time from one pool, in random order, so a room's keys do not go out
    /// back to back. 0 mints at once (tests).
    #[arg(long, env = "ANOGHOST_MINT_DELAY_MAX_MS", default_value_t = 3_000)]
    pub mint_delay_max_ms: u64,

    /// Longest random wait, in seconds, before settling a locked escrow (never more than
    /// half the time left before its payer may refund it).
    #[arg(long, env = "ANOGHOST_SETTLE_DELAY_MAX_SECS", default_value_t = 120)]
    pub settle_delay_max_secs: u64,

    /// Seconds between sweeps for locked escrows to settle (there is one at start, and one
    /// soon after each lock).
    #[arg(long, env = "ANOGHOST_SETTLE_SWEEP_SECS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..))]
    pub settle_sweep_secs: u64,

    /// Cluster mode (off by default).
    #[command(flatten)]
    pub cluster: crate::cluster::ClusterOptions,

    /// Worker threads (0: one per core).
    #[arg(long, env = "ANOGHOST_WORKERS", default_value_t = 0)]
    pub workers: usize,

    /// Log level of the gateway's own events (error, warn, info, debug, trace). Libraries
    /// are capped at warn, so no dependency can log request details.
    #[arg(long, env = "ANOGHOST_LOG", default_value = "info")]
    pub log_level: tracing::Level,
}

/// An older master key: the id its seals carry, and the file that holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OldMasterKey {
    /// The id byte written into the seals it made.
    pub id: u8,
    /// The file holding it as 64 hex digits.
    pub path: std::path::PathBuf,
}

fn parse_old_master_key(text: &str) -> Result<OldMasterKey, String> {
    let (id, path) = text.split_once(':').ok_or_else(|| {
        format!("expected ID:FILE, such as 1:/etc/anoghost/master-1.hex, got {text:?}")
    })?;
    let id = id
        .parse()
        .map_err(|_| format!("the key id must be a number 0 to 255, got {id:?}"))?;
    if path.is_empty() {
        return Err("the key file is missing after the colon".into());
    }
    Ok(OldMasterKey {
        id,
        path: path.into(),
    })
}

impl GatewayConfig {
    /// The defaults, as if started with no flags (`ANOGHOST_*` environment variables still
    /// apply).
    pub fn local_defaults() -> Self {
        // unwrap: parsing an empty argument list only applies the declared defaults.
        #[allow(clippy::unwrap_used)]
        Self::try_parse_from(["anoghost-gateway"]).unwrap()
    }

    /// The base URL the gateway is reached at from outside: `--public-url` (which `start`
    /// fills in with the bound address when it is not given), or `http://` and `--listen`.
    pub fn public_base(&self) -> String {
        match &self.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => format!("http://{}", self.listen),
        }
    }

    /// The limits announced to clients in `welcome`.
    pub fn limits(&self) -> Limits {
        Limits {
            max_frame_bytes: self.max_frame_bytes,
            max_control_bytes: self.max_control_bytes,
            messages_per_second: self.messages_per_second,
            joins_per_minute: self.joins_per_minute,
            max_members_per_room: self.max_members_per_room as usize,
            max_rooms_per_connection: self.max_rooms_per_connection,
            idle_timeout_secs: self.idle_timeout_secs,
            heartbeat_interval_secs: self.heartbeat_secs,
        }
    }

    /// The domain sign-in messages name: `--domain`, or the listen address.
    pub fn sign_in_domain(&self) -> String {
        self.domain
            .clone()
            .unwrap_or_else(|| self.listen.to_string())
    }

    /// The URI sign-in messages name: the gateway's origin, plain HTTP only on loopback.
    pub fn sign_in_uri(&self) -> String {
        let domain = self.sign_in_domain();
        let host = domain
            .rsplit_once(':')
            .map_or(domain.as_str(), |(host, _)| host);
        let loopback = host == "localhost"
            || host
                .trim_matches(|c| c == '[' || c == ']')
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback());
        let scheme = if loopback { "http" } else { "https" };
        format!("{scheme}://{domain}")
    }

    /// `Duration` of a seconds option.
    pub fn secs(value: u64) -> Duration {
        Duration::from_secs(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_master_keys_are_given_as_id_and_file() {
        let config = GatewayConfig::try_parse_from([
            "anoghost-gateway",
            "--old-master-key-file",
            "1:/keys/one.hex,3:/keys/three.hex",
        ])
        .unwrap();
        assert_eq!(
            config.old_master_keys,
            vec![
                OldMasterKey {
                    id: 1,
                    path: "/keys/one.hex".into()
                },
                OldMasterKey {
                    id: 3,
                    path: "/keys/three.hex".into()
                },
            ]
        );
        for bad in ["/keys/one.hex", "300:/keys/one.hex", "1:"] {
            let parsed =
                GatewayConfig::try_parse_from(["anoghost-gateway", "--old-master-key-file", bad]);
            assert!(parsed.is_err(), "{bad} must be refused");
        }
    }

    #[test]
    fn a_frame_limit_above_what_a_cluster_carries_is_refused_in_cluster_mode_only() {
        let parse = |args: &[&str]| {
            let mut all = vec!["anoghost-gateway"];
            all.extend_from_slice(args);
            let config = GatewayConfig::try_parse_from(all).unwrap();
            config.cluster.check_max_frame_bytes(config.max_frame_bytes)
        };
        let error = parse(&[
            "--cluster",
            "nats://127.0.0.1:4222",
            "--max-frame-bytes",
            "300000",
        ])
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "--max-frame-bytes 300000 is more than --cluster carries between gateways \
             (261120 bytes at most): lower --max-frame-bytes, or run without --cluster"
        );
        assert!(parse(&[
            "--cluster",
            "nats://127.0.0.1:4222",
            "--max-frame-bytes",
            "261120"
        ])
        .is_ok());
        assert!(
            parse(&["--max-frame-bytes", "300000"]).is_ok(),
            "a gateway running alone"
        );
    }
}
