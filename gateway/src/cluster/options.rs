//! The cluster's command-line options (flattened into the gateway's).

use std::path::PathBuf;

use crate::secret::SecretBytes32;

/// Cluster mode: gateways share rooms over core NATS. Off unless `--cluster` is given.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ClusterOptions {
    /// NATS server(s) to share rooms through, e.g. nats://10.0.0.5:4222 (repeat or
    /// comma-separate). Without it the gateway runs alone. Core NATS only: nothing is stored
    /// in NATS, and no JetStream is used.
    #[arg(long = "cluster", env = "ANOGHOST_CLUSTER", value_delimiter = ',')]
    pub servers: Vec<String>,

    /// File holding the cluster secret as 64 hex digits (`openssl rand -hex 32`), the same
    /// on every gateway of the cluster. It keys the opaque subject names and seals every
    /// message between gateways. Required with --cluster.
    #[arg(long = "cluster-secret-file", env = "ANOGHOST_CLUSTER_SECRET_FILE")]
    pub secret_file: Option<PathBuf>,

    /// Token for NATS servers that require one.
    #[arg(
        long = "cluster-token",
        env = "ANOGHOST_CLUSTER_TOKEN",
        hide_env_values = true
    )]
    pub token: Option<ClusterToken>,

    /// Credentials file (.creds: a user JWT and NKey seed) for NATS servers that require one.
    #[arg(long = "cluster-credentials", env = "ANOGHOST_CLUSTER_CREDENTIALS")]
    pub credentials: Option<PathBuf>,
}

/// A NATS token: kept out of `Debug` output.
#[derive(Clone)]
pub struct ClusterToken(pub String);

impl std::fmt::Debug for ClusterToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ClusterToken(***)")
    }
}

impl std::str::FromStr for ClusterToken {
    type Err = std::convert::Infallible;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(Self(text.to_owned()))
    }
}

/// Why cluster mode cannot start.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    /// Raised if `--cluster` is given without `--cluster-secret-file`.
    #[error(
        "--cluster needs --cluster-secret-file: a file with the cluster secret as 64 hex \
         digits (create one with `openssl rand -hex 32 > cluster.secret`)"
    )]
    NoSecret,
    /// Raised if the secret file cannot be read or does not hold 64 hex digits.
    #[error("the cluster secret file {path}: {reason}")]
    BadSecret {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// Raised if the credentials file cannot be used.
    #[error("the NATS credentials file {path}: {reason}")]
    BadCredentials {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// Raised if `--max-frame-bytes` is more than a frame the cluster can carry.
    #[error(
        "--max-frame-bytes {max_frame_bytes} is more than --cluster carries between gateways \
         ({limit} bytes at most): lower --max-frame-bytes, or run without --cluster",
        limit = super::wire::MAX_CLUSTER_FRAME_BYTES
    )]
    FrameTooLarge {
        /// The `--max-frame-bytes` given.
        max_frame_bytes: usize,
    },
    /// Raised if a NATS address cannot be parsed.
    #[error("--cluster: {0}")]
    BadServer(String),
}

impl ClusterOptions {
    /// Whether cluster mode is on.
    pub fn enabled(&self) -> bool {
        !self.servers.is_empty()
    }

    /// Refuses a `--max-frame-bytes` too large for a frame to travel between gateways
    /// (one would be lost each time, closing its room on the other gateways).
    pub fn check_max_frame_bytes(&self, max_frame_bytes: usize) -> Result<(), ClusterError> {
        if self.enabled() && max_frame_bytes > super::wire::MAX_CLUSTER_FRAME_BYTES {
            return Err(ClusterError::FrameTooLarge { max_frame_bytes });
        }
        Ok(())
    }

    /// Reads the cluster secret.
    pub fn secret(&self) -> Result<SecretBytes32, ClusterError> {
        let path = self.secret_file.as_ref().ok_or(ClusterError::NoSecret)?;
        let bad = |reason: String| ClusterError::BadSecret {
            path: path.clone(),
            reason,
        };
        let text =
            zeroize::Zeroizing::new(std::fs::read_to_string(path).map_err(|e| bad(e.to_string()))?);
        crate::paid::master_keys::parse_master_key(&text).map_err(|_| {
            bad("must be 64 hex digits (32 bytes), such as `openssl rand -hex 32` writes".into())
        })
    }
}
