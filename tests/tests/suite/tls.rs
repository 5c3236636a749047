//! The default TLS backend (rustls with ring): the client speaks TLS with the host's name (SNI),
//! offers HTTP/2, and refuses a certificate that no trusted root signed. Against a TLS server of the
//! test's own on 127.0.0.1 with a self-signed certificate for `localhost`.

use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio_rustls::LazyConfigAcceptor;
use tokio_rustls::rustls::{self, pki_types::PrivateKeyDer, server::Acceptor};
use workapi::dingtalk::report::ReportGetunreadcountRequest;

/// What the server saw of each client: the name asked for, the protocols offered, and whether
/// the handshake completed.
/// (`stream` checks its `wss://` connections with the same server.)
#[derive(Clone, Debug, Default)]
pub(crate) struct Seen {
    pub(crate) server_name: Option<String>,
    pub(crate) alpn: Vec<Vec<u8>>,
    pub(crate) handshake_completed: bool,
}

pub(crate) async fn self_signed_server() -> (u16, Arc<Mutex<Vec<Seen>>>) {
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let key = PrivateKeyDer::Pkcs8(cert.signing_key.serialize_der().into());
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![cert.cert.der().clone()], key)
        .unwrap();
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let (config, log) = (config.clone(), log.clone());
            tokio::spawn(async move {
                let Ok(start) = LazyConfigAcceptor::new(Acceptor::default(), stream).await else {
                    return;
                };
                let hello = start.client_hello();
                let mut entry = Seen {
                    server_name: hello.server_name().map(str::to_owned),
                    alpn: hello
                        .alpn()
                        .map(|a| a.map(<[u8]>::to_vec).collect())
                        .unwrap_or_default(),
                    handshake_completed: false,
                };
                entry.handshake_completed = start.into_stream(config).await.is_ok();
                log.lock().unwrap().push(entry);
            });
        }
    });
    (port, seen)
}

#[tokio::test]
async fn the_default_backend_speaks_tls_and_refuses_an_untrusted_certificate() {
    let (port, seen) = self_signed_server().await;
    let client = workapi::dingtalk::Client::builder()
        .credentials("app-key-1", "app-secret-1")
        .base_url(workapi::dingtalk::Host::Oapi, format!("https://localhost:{port}"))
        .retry_policy(workapi::RetryPolicy::new(
            1,
            Duration::from_millis(1),
            Duration::from_millis(1),
        ))
        .build()
        .unwrap();
    let err = client
        .report_getunreadcount(&ReportGetunreadcountRequest::new("u"))
        .await
        .unwrap_err();
    let mut chain = err.to_string();
    let mut source = std::error::Error::source(&err);
    while let Some(s) = source {
        chain.push_str(" / ");
        chain.push_str(&s.to_string());
        source = s.source();
    }
    assert!(
        chain.to_lowercase().contains("certificate"),
        "not a certificate error: {chain}"
    );
    assert!(!chain.contains("app-secret-1"), "{chain}");

    // The server's task records the hello after the handshake ends; give it a moment.
    for _ in 0..100 {
        if !seen.lock().unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let seen = seen.lock().unwrap().clone();
    let first = seen.first().expect("the client never reached the TLS server");
    assert_eq!(first.server_name.as_deref(), Some("localhost"));
    assert_eq!(first.alpn, vec![b"h2".to_vec(), b"http/1.1".to_vec()]);
    assert!(
        !first.handshake_completed,
        "the client accepted a self-signed certificate"
    );
}
