//! TLS for `wss://` and `https://` gateways: rustls (with *ring*), trusting the Mozilla roots
//! of `webpki-roots` plus, for self-hosted gateways and tests, the CAs in the PEM file that
//! [`CA_FILE_VAR`] names. The WebSocket and the HTTP requests share one configuration, so a
//! gateway that one trusts the other trusts too.

use std::path::Path;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::CertificateDer;
use rustls::{ClientConfig, RootCertStore};
use tokio_tungstenite::tungstenite;

use super::ClientError;

/// The environment variable naming a PEM file of extra CAs to trust, besides the
/// `webpki-roots` ones.
pub const CA_FILE_VAR: &str = "ANOGHOST_CA_FILE";

/// The TLS configuration of every connection to a gateway.
pub fn client_config() -> Result<Arc<ClientConfig>, ClientError> {
    let mut roots = RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    if let Some(path) = std::env::var_os(CA_FILE_VAR) {
        add_ca_file(&mut roots, Path::new(&path))?;
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    // unwrap: ring's default provider offers TLS 1.2 and 1.3, the safe default versions.
    #[allow(clippy::unwrap_used)]
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

/// An HTTP client for the gateway endpoint `url`, with [`client_config`].
pub fn http_client(url: &str) -> Result<reqwest::Client, ClientError> {
    let config = Arc::unwrap_or_clone(client_config()?);
    reqwest::Client::builder()
        .use_preconfigured_tls(config)
        .build()
        .map_err(|error| ClientError::Http {
            url: url.to_owned(),
            reason: error.to_string(),
        })
}

fn add_ca_file(roots: &mut RootCertStore, path: &Path) -> Result<(), ClientError> {
    let certificates = CertificateDer::pem_file_iter(path)
        .and_then(|certificates| certificates.collect::<Result<Vec<_>, _>>())
        .map_err(|error| ca_error(path, error.to_string()))?;
    if certificates.is_empty() {
        return Err(ca_error(path, "it holds no PEM certificate".into()));
    }
    for certificate in certificates {
        roots
            .add(certificate)
            .map_err(|error| ca_error(path, error.to_string()))?;
    }
    Ok(())
}

fn ca_error(path: &Path, reason: String) -> ClientError {
    ClientError::CaFile {
        path: path.display().to_string(),
        reason,
    }
}

/// Why the TLS handshake refused the gateway's certificate, if that is why `error` happened.
pub(super) fn certificate_refusal(error: &tungstenite::Error) -> Option<String> {
    let tungstenite::Error::Io(io) = error else {
        return None;
    };
    match io.get_ref()?.downcast_ref::<rustls::Error>()? {
        rustls::Error::InvalidCertificate(reason) => Some(format!("{reason:?}")),
        _ => None,
    }
}
