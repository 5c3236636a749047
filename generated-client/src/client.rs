//! What every vendor's `Client` shares, written once: the [`VendorClient`] trait the generated
//! clients implement and the [`ClientBuilder`] that configures any of them.

use crate::runtime::{Core, CoreBuilder, VendorProfile};
use std::marker::PhantomData;
use std::sync::Arc;

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

    fn with(mut self, f: impl FnOnce(CoreBuilder) -> CoreBuilder) -> Self {
        self.inner = f(self.inner);
        self
    }

    /// The app's credentials: the public id (app key or corp id) and the secret.
    pub fn credentials(self, id: impl Into<String>, secret: impl Into<crate::Secret>) -> Self {
        self.with(|b| b.credentials(id.into(), secret.into()))
    }

    /// Points a host at another base URL (a proxy, or a local mock server).
    pub fn base_url(self, host: C::Host, url: impl Into<String>) -> Self {
        self.with(|b| b.base_url(C::host_index(host), url.into()))
    }

    /// Uses your own `reqwest::Client` (proxies, TLS roots, timeouts of your own).
    pub fn http_client(self, client: reqwest::Client) -> Self {
        self.with(|b| b.http_client(client))
    }

    /// How transient failures are retried (default: [`crate::RetryPolicy::default`]).
    pub fn retry_policy(self, policy: crate::RetryPolicy) -> Self {
        self.with(|b| b.retry_policy(policy))
    }

    /// Whether documented limits (list lengths, string lengths, ranges, time spans) are checked
    /// before sending; on by default. A request that breaks one fails with
    /// [`crate::Error::Limit`] and is not sent.
    pub fn check_limits(self, on: bool) -> Self {
        self.with(|b| b.check_limits(on))
    }

    /// The largest response body read before the call fails with [`crate::Error::TooLarge`]
    /// (default 16 MiB), so a runaway answer cannot exhaust memory.
    pub fn max_response_bytes(self, bytes: usize) -> Self {
        self.with(|b| b.max_response_bytes(bytes))
    }

    /// Whether calls wait to stay within the vendor's documented rate limits (per endpoint: its
    /// own documented limit, else the vendor's); off by default.
    pub fn rate_limit(self, on: bool) -> Self {
        self.with(|b| b.rate_limit(on))
    }

    /// Keeps the token in `store` as well, so clients and processes that share the store and the
    /// credential share one token ([`crate::MemoryTokenStore`], or `RedisTokenStore` with the
    /// `redis` feature).
    pub fn token_store(self, store: Arc<dyn crate::TokenStore>) -> Self {
        self.with(|b| b.token_store(store))
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
