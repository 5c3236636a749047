//! The TLS backend of the client `build()` makes, chosen by cargo feature:
//!
//! - `tls-ring` (default): rustls with the `ring` provider and the platform's certificate verifier.
//!   `ring` builds in a few seconds (its C and assembly need only `cc`); aws-lc-sys, reqwest's own
//!   default, takes most of a consumer's clean build.
//! - `tls-aws-lc`: reqwest's default, rustls with aws-lc (FIPS-capable; a bigger C build).
//! - `tls-native`: the system's TLS (OpenSSL on Linux, which needs its development files).
//!
//! A backend enabled on purpose wins over the default one: `tls-aws-lc`, then `tls-native`, then
//! `tls-ring`. With none, the client speaks plain HTTP only (a local mock), and `build()` refuses an
//! `https` base URL with a message naming the features.

use crate::Error;

/// Whether some TLS backend is compiled in.
pub(crate) const AVAILABLE: bool = cfg!(any(
    feature = "tls-ring",
    feature = "tls-aws-lc",
    feature = "tls-native"
));

/// Sets the chosen backend on `builder`.
pub(crate) fn configure(builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder, Error> {
    #[cfg(feature = "tls-aws-lc")]
    return Ok(builder.tls_backend_rustls());
    #[cfg(all(feature = "tls-native", not(feature = "tls-aws-lc")))]
    return Ok(builder.tls_backend_native());
    #[cfg(all(feature = "tls-ring", not(any(feature = "tls-aws-lc", feature = "tls-native"))))]
    return ring(builder);
    #[cfg(not(any(feature = "tls-ring", feature = "tls-aws-lc", feature = "tls-native")))]
    return Ok(builder);
}

/// rustls with `ring`, handed to reqwest ready-made: reqwest's own rustls setup would look for a
/// process-wide provider, and installing one is the application's choice, not a library's.
#[cfg(all(feature = "tls-ring", not(any(feature = "tls-aws-lc", feature = "tls-native"))))]
fn ring(builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder, Error> {
    let mut config = ring_config()?;
    // A ready-made config is used as it is: offer HTTP/2 as reqwest's own setup does.
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(builder.tls_backend_preconfigured(config))
}

/// The rustls client config of the `tls-ring` backend (ring provider, platform verifier, no
/// ALPN): reqwest's when it is the chosen backend, and the WebSocket's of `workapi::stream`
/// (which uses ring whenever `tls-ring` is on, whatever reqwest uses).
#[cfg(all(
    feature = "tls-ring",
    any(feature = "stream", not(any(feature = "tls-aws-lc", feature = "tls-native")))
))]
pub(crate) fn ring_config() -> Result<rustls::ClientConfig, Error> {
    use rustls_platform_verifier::BuilderVerifierExt;
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .and_then(|b| b.with_platform_verifier())
        .map_err(|e| Error::config_with("cannot set up TLS (rustls with ring)", e))?
        .with_no_client_auth())
}
