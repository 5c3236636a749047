//! What every vendor's `Client` shares, written once: the [`VendorClient`] trait the generated
//! clients implement and the [`ClientBuilder`] that configures any of them.

use crate::runtime::{Core, CoreBuilder, VendorProfile};
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

mod sealed {
    /// What the builder needs of a generated client; outside the crate it cannot be named, so
    /// only the generated clients implement [`super::VendorClient`].
    pub trait Vendor: Sized {
        /// The vendor's description, from its `vendor.yaml`.
        fn profile() -> &'static crate::runtime::VendorProfile;
        /// Wraps a configured core.
        fn from_core(core: std::sync::Arc<crate::runtime::Core>) -> Self;
    }
}

pub(crate) use sealed::Vendor;

/// A `reqwest::ClientBuilder` set up as `workapi` sets up its own: the TLS backend of its
/// features (see the crate's `tls-*` features), no redirects, no `Referer`. Start here to pass your
/// own client (a proxy, timeouts) to [`ClientBuilder::http_client`].
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let http = workapi::http_client_builder()?
///     .timeout(std::time::Duration::from_secs(10))
///     .build()?;
/// let client = workapi::dingtalk::Client::builder()
///     .credentials("app-key", "app-secret")
///     .http_client(http)
///     .build()?;
/// # let _ = client;
/// # Ok(()) }
/// ```
pub fn http_client_builder() -> Result<reqwest::ClientBuilder, crate::Error> {
    crate::runtime::tls::configure(
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .referer(false),
    )
}

/// A vendor's generated client (`dingtalk::Client`, `wecom::Client`).
///
/// Implemented by the generated clients only. Use it to write code that works with any vendor's
/// client, for example a function that takes a `ClientBuilder<C>` and applies your settings.
pub trait VendorClient: sealed::Vendor + Clone + std::fmt::Debug + Send + Sync + 'static {
    /// The vendor's hosts (`dingtalk::Host`), for [`ClientBuilder::base_url`].
    type Host: Copy + std::fmt::Debug;

    /// The index of a host in the vendor's profile; the generated `Host` enum's order.
    #[doc(hidden)]
    fn host_index(host: Self::Host) -> usize;

    /// The vendor's name as in the spec (`dingtalk`).
    fn vendor_name() -> &'static str {
        Self::profile().name
    }
}

/// Builds a vendor's client: credentials, base URLs, and the runtime's settings. Start one with
/// `Client::builder()` of the vendor (`workapi::wecom::Client::builder()`).
#[must_use]
pub struct ClientBuilder<C: VendorClient> {
    inner: CoreBuilder,
    client: PhantomData<fn() -> C>,
}

impl<C: VendorClient> std::fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.inner.fmt(f)
    }
}

impl<C: VendorClient> Default for ClientBuilder<C> {
    fn default() -> Self {
        Self::new()
    }
}

impl<C: VendorClient> ClientBuilder<C> {
    /// A builder with the production base URLs and no credentials.
    pub fn new() -> Self {
        let profile: &'static VendorProfile = C::profile();
        ClientBuilder {
            inner: CoreBuilder::new(profile),
            client: PhantomData,
        }
    }

    /// The settings as set so far, for [`crate::ClientRegistry`].
    pub(crate) fn core(&self) -> &CoreBuilder {
        &self.inner
    }

    /// Uses the registry's shared HTTP client and stores instead of its own.
    pub(crate) fn shared(
        mut self,
        http: reqwest::Client,
        tokens: Arc<dyn crate::TokenStore>,
        rates: Arc<dyn crate::RateStore>,
    ) -> Self {
        // The proxy, if any, is already part of the shared HTTP client.
        self.inner.proxy = None;
        self.inner.http = Some(http);
        self.inner.token_store = Some(tokens);
        self.inner.rate_store = Some(rates);
        self
    }

    /// The app's credentials: the public id (app key or corp id) and the secret.
    pub fn credentials(mut self, id: impl Into<String>, secret: impl Into<crate::Secret>) -> Self {
        self.inner.id = Some(id.into());
        self.inner.secret = Some(secret.into());
        self
    }

    /// Points a host at another base URL (a proxy, or a local mock server).
    pub fn base_url(mut self, host: C::Host, url: impl Into<String>) -> Self {
        self.inner.base_urls[C::host_index(host)] = url.into();
        self
    }

    /// Uses your own `reqwest::Client` (proxies, TLS roots, timeouts of your own) for every
    /// request. Start from [`crate::http_client_builder`], which has the TLS backend of
    /// `workapi`'s features and redirects off; with the default `tls-ring` backend, reqwest's own
    /// `Client::new()` has no TLS provider and panics. Keep redirects off: a redirect followed by
    /// reqwest carries the token and the body to wherever the server points. The client refuses
    /// an answer from another origin than the one it asked, but by then the request has been sent.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.inner.http = Some(client);
        self
    }

    /// Sends every request through the HTTP proxy at `url` (`http://user:password@proxy:3128`):
    /// the vendors accept calls only from the IPs an app lists (WeCom errcode 60020), so many
    /// deployments leave through one fixed egress proxy. `https` calls go through a `CONNECT`
    /// tunnel, so the proxy sees the vendor's host name and nothing of the token. `load_env` reads
    /// `WORKAPI_PROXY`; the usual `HTTPS_PROXY` is not read, so no proxy is used unless you say so.
    /// The URL, which may hold a password, is never shown in `Debug` or error text.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.inner.proxy = Some(crate::Secret::new(url.into()));
        self
    }

    /// How transient failures are retried (default: [`crate::RetryPolicy::default`]).
    pub fn retry_policy(mut self, policy: crate::RetryPolicy) -> Self {
        self.inner.retry = policy;
        self
    }

    /// Whether documented limits (list lengths, string lengths, ranges, time spans) are checked
    /// before sending; on by default. A request that breaks one fails with
    /// [`crate::Error::Limit`] and is not sent.
    pub fn check_limits(mut self, on: bool) -> Self {
        self.inner.check_limits = on;
        self
    }

    /// The largest response body read before the call fails with [`crate::Error::TooLarge`]
    /// (default 16 MiB), so a runaway answer cannot exhaust memory.
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.inner.max_body = bytes;
        self
    }

    /// Whether calls wait to stay within the vendor's documented rate limits (per endpoint: its
    /// own documented limit, else the vendor's); off by default.
    pub fn rate_limit(mut self, on: bool) -> Self {
        self.inner.rate_limit = on;
        self
    }

    /// Counts calls for the rate limiter in `store`, and turns the limiter on: clients (and
    /// processes) that share the store and the credential share the vendor's limits
    /// ([`crate::MemoryRateStore`], or `RedisRateStore` with the `redis` feature). Without it,
    /// each client counts its own calls.
    pub fn rate_store(mut self, store: Arc<dyn crate::RateStore>) -> Self {
        self.inner.rate_limit = true;
        self.inner.rate_store = Some(store);
        self
    }

    /// Keeps the token in `store` as well, so clients and processes that share the store and the
    /// credential share one token ([`crate::MemoryTokenStore`], or `RedisTokenStore` with the
    /// `redis` feature).
    pub fn token_store(mut self, store: Arc<dyn crate::TokenStore>) -> Self {
        self.inner.token_store = Some(store);
        self
    }

    /// How long opening a connection may take (default 10 s). Applies to the client's own HTTP
    /// client only: one passed to [`Self::http_client`] keeps its own.
    pub fn connect_timeout(mut self, limit: Duration) -> Self {
        self.inner.connect_timeout = limit;
        self
    }

    /// How long one request may take, from sending it to the last byte of the answer (default
    /// 20 s). Running out is [`crate::Error::Timeout`] with [`crate::TimeoutScope::Attempt`],
    /// retried like a cut connection: reads only, as a write may have landed.
    pub fn attempt_timeout(mut self, limit: Duration) -> Self {
        self.inner.attempt_timeout = limit;
        self
    }

    /// How long a whole call may take: token, every attempt, backoff, `Retry-After` and
    /// rate-limit waits (default 60 s). Running out is [`crate::Error::Timeout`] with
    /// [`crate::TimeoutScope::Operation`].
    pub fn operation_timeout(mut self, limit: Duration) -> Self {
        self.inner.operation_timeout = limit;
        self
    }

    /// How long loading an access token may take, its retries included (default 30 s). Every
    /// call waiting on that load gets the same [`crate::Error::Timeout`] with
    /// [`crate::TimeoutScope::TokenLoad`].
    pub fn token_load_timeout(mut self, limit: Duration) -> Self {
        self.inner.token_load_timeout = limit;
        self
    }

    /// Reads credentials and base URLs from the environment variables the vendor's `vendor.yaml`
    /// names; fails with [`crate::Error::Config`] naming a missing variable.
    pub fn load_env(mut self) -> Result<Self, crate::Error> {
        self.inner = self.inner.load_env()?;
        Ok(self)
    }

    /// Finishes the client.
    pub fn build(self) -> Result<C, crate::Error> {
        let core: Core = self.inner.build()?;
        Ok(C::from_core(Arc::new(core)))
    }
}
