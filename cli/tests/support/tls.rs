//! A TLS-terminating proxy on 127.0.0.1 in front of a gateway, as a self-hosted operator
//! would put one: a test CA made by rcgen signs a certificate for 127.0.0.1, and the proxy
//! forwards each decrypted connection to the gateway's plain port.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, SanType};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;

/// The running proxy: dropping it stops accepting.
pub struct TlsProxy {
    /// `wss://127.0.0.1:<port>/v1/ws`.
    pub url: String,
    /// A PEM file holding the test CA, for `ANOGHOST_CA_FILE`.
    pub ca_file: PathBuf,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for TlsProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl TlsProxy {
    /// Starts a proxy to the gateway at `gateway`, writing its CA into `dir`.
    pub async fn start(gateway: SocketAddr, dir: &Path) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        Self::start_on(listener, gateway, dir)
    }

    /// [`TlsProxy::start`] on `listener`, bound before the gateway was configured (a gateway
    /// that serves the page must know the origin the browser sees). Also writes the
    /// server's certificate into `dir` as `server.pem`.
    pub fn start_on(listener: TcpListener, gateway: SocketAddr, dir: &Path) -> Self {
        let ca_key = KeyPair::generate().unwrap();
        let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.distinguished_name
            .push(DnType::CommonName, "AnoGhost test CA");
        let ca = ca.self_signed(&ca_key).unwrap();
        let leaf_key = KeyPair::generate().unwrap();
        let mut leaf = CertificateParams::new(Vec::<String>::new()).unwrap();
        leaf.subject_alt_names
            .push(SanType::IpAddress([127, 0, 0, 1].into()));
        let leaf = leaf.signed_by(&leaf_key, &ca, &ca_key).unwrap();

        std::fs::create_dir_all(dir).unwrap();
        let ca_file = dir.join("ca.pem");
        std::fs::write(&ca_file, ca.pem()).unwrap();
        std::fs::write(dir.join("server.pem"), leaf.pem()).unwrap();

        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der()));
        let chain = vec![CertificateDer::from(leaf.der().to_vec())];
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .unwrap();
        let acceptor = TlsAcceptor::from(Arc::new(config));
        let url = format!("wss://{}/v1/ws", listener.local_addr().unwrap());
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    // A client that refuses the certificate ends its handshake: nothing
                    // to forward.
                    let Ok(mut tls) = acceptor.accept(client).await else {
                        return;
                    };
                    let mut upstream = TcpStream::connect(gateway).await.unwrap();
                    let _ = tokio::io::copy_bidirectional(&mut tls, &mut upstream).await;
                });
            }
        });
        Self { url, ca_file, task }
    }
}
