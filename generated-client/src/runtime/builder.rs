//! [`CoreBuilder`]: the settings of a vendor client (credentials, base URLs, HTTP client, retries,
//! time limits, token store) and their defaults; `build` checks them and makes a [`Core`].

use super::VendorProfile;
use super::call::{Core, Settings};
use super::retry::{Jitter, RetryPolicy, RetryQuota};
use super::token::TokenCache;
use crate::{Error, Secret};
use std::sync::Arc;
use std::time::Duration;

/// Default cap on a response body.
pub(crate) const DEFAULT_MAX_BODY: usize = 16 * 1024 * 1024;
/// Default limit on opening a connection (the client's own HTTP client only).
pub(crate) const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default limit on one request: sending it and reading the whole answer.
pub(crate) const DEFAULT_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(20);
/// Default limit on a whole call: token, every attempt, backoff and rate-limit waits.
pub(crate) const DEFAULT_OPERATION_TIMEOUT: Duration = Duration::from_secs(60);
/// Default limit on loading a token, its retries included.
/// The environment variable `load_env` reads a proxy URL from.
pub(crate) const PROXY_ENV: &str = "WORKAPI_PROXY";
pub(crate) const DEFAULT_TOKEN_LOAD_TIMEOUT: Duration = Duration::from_secs(30);

/// Configuration of a [`Core`] in the making. The public `ClientBuilder` sets its fields; this
/// holds the defaults, reads the environment and checks everything in `build`.
pub(crate) struct CoreBuilder {
    pub(crate) profile: &'static VendorProfile,
    pub(crate) base_urls: Vec<String>,
    pub(crate) id: Option<String>,
    pub(crate) secret: Option<Secret>,
    pub(crate) http: Option<reqwest::Client>,
    pub(crate) retry: RetryPolicy,
    pub(crate) check_limits: bool,
    pub(crate) max_body: usize,
    pub(crate) rate_limit: bool,
    pub(crate) rate_store: Option<Arc<dyn crate::RateStore>>,
    pub(crate) token_store: Option<Arc<dyn crate::TokenStore>>,
    pub(crate) connect_timeout: Duration,
    pub(crate) attempt_timeout: Duration,
    pub(crate) operation_timeout: Duration,
    pub(crate) token_load_timeout: Duration,
    /// The proxy URL; a `Secret` because it may hold the proxy's password.
    pub(crate) proxy: Option<Secret>,
}

impl std::fmt::Debug for CoreBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("vendor", &self.profile.name)
            .field("base_urls", &self.base_urls)
            .field("credential_id", &self.id)
            .field("secret", &self.secret.as_ref().map(|_| "***"))
            .field("proxy", &self.proxy.as_ref().map(|_| "***"))
            .finish_non_exhaustive()
    }
}

impl CoreBuilder {
    pub(crate) fn new(profile: &'static VendorProfile) -> Self {
        CoreBuilder {
            profile,
            base_urls: profile.hosts.iter().map(|h| h.base_url.to_owned()).collect(),
            id: None,
            secret: None,
            http: None,
            retry: RetryPolicy::default(),
            check_limits: true,
            max_body: DEFAULT_MAX_BODY,
            rate_limit: false,
            rate_store: None,
            token_store: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            attempt_timeout: DEFAULT_ATTEMPT_TIMEOUT,
            operation_timeout: DEFAULT_OPERATION_TIMEOUT,
            token_load_timeout: DEFAULT_TOKEN_LOAD_TIMEOUT,
            proxy: None,
        }
    }

    pub(crate) fn load_env(mut self) -> Result<Self, Error> {
        let var = |name: &str| -> Result<String, Error> {
            std::env::var(name).map_err(|e| Error::config_with(format!("environment variable {name} is not set"), e))
        };
        for (i, h) in self.profile.hosts.iter().enumerate() {
            if let Ok(url) = std::env::var(h.env) {
                self.base_urls[i] = url;
            }
        }
        if let Ok(proxy) = std::env::var(PROXY_ENV) {
            self.proxy = Some(Secret::new(proxy));
        }
        let t = &self.profile.token;
        self.id = Some(var(t.id_env)?);
        self.secret = Some(Secret::new(var(t.secret_env)?));
        Ok(self)
    }

    /// The caller's own HTTP client, or one made from the settings (connect timeout, proxy).
    pub(crate) fn http_client(&self) -> Result<reqwest::Client, Error> {
        match (&self.http, &self.proxy) {
            (Some(_), Some(_)) => Err(Error::config(
                "both a proxy and your own http_client: set the proxy on your reqwest client instead",
            )),
            (Some(c), None) => Ok(c.clone()),
            // No client-wide `timeout`: the attempt and operation limits are enforced by the call
            // path, which can then say which one ran out.
            (None, proxy) => {
                let mut builder = crate::http_client_builder()?.connect_timeout(self.connect_timeout);
                if let Some(url) = proxy {
                    // The URL stays out of the message: it may carry the proxy's password.
                    let proxy = reqwest::Proxy::all(url.expose())
                        .map_err(|e| Error::config_with("the proxy is not a URL", e.without_url()))?;
                    builder = builder.proxy(proxy);
                }
                builder
                    .build()
                    .map_err(|e| Error::config_with("cannot build the HTTP client", e.without_url()))
            }
        }
    }

    pub(crate) fn build(mut self) -> Result<Core, Error> {
        let t = &self.profile.token;
        let (Some(id), Some(secret)) = (self.id.take(), self.secret.take()) else {
            return Err(Error::config(format!(
                "no credentials: call .credentials({}, {}) or set {} and {}",
                t.id_param, t.secret_param, t.id_env, t.secret_env
            )));
        };
        let http = self.http_client()?;
        let mut base_urls = Vec::with_capacity(self.base_urls.len());
        for (url, host) in self.base_urls.into_iter().zip(self.profile.hosts) {
            let trimmed = url.trim_end_matches('/').to_owned();
            let message = || format!("base URL of host {} is not a URL: '{trimmed}'", host.id);
            match reqwest::Url::parse(&trimmed) {
                Ok(u) if !u.cannot_be_a_base() => {}
                Ok(_) => return Err(Error::config(message())),
                Err(e) => return Err(Error::config_with(message(), e)),
            }
            base_urls.push(trimmed);
        }
        if self.http.is_none()
            && !super::tls::AVAILABLE
            && let Some(url) = base_urls.iter().find(|u| u.starts_with("https:"))
        {
            return Err(Error::config(format!(
                "{url} needs TLS, and workapi was built without a TLS backend: enable the `tls-ring` \
                 (default), `tls-aws-lc` or `tls-native` feature, or pass your own `http_client`"
            )));
        }
        for (name, limit) in [
            ("connect_timeout", self.connect_timeout),
            ("attempt_timeout", self.attempt_timeout),
            ("operation_timeout", self.operation_timeout),
            ("token_load_timeout", self.token_load_timeout),
        ] {
            if limit.is_zero() {
                return Err(Error::config(format!("{name} is zero: every call would fail")));
            }
        }
        let mut tokens = TokenCache::new(t.endpoint.id, self.token_load_timeout);
        if let Some(store) = self.token_store {
            let key = format!(
                "workapi:token:{}:{}:{}",
                self.profile.name,
                id,
                crate::token_store::fingerprint(&secret)
            );
            tokens = tokens.shared(store, key);
        }
        let limiter = match (self.rate_limit, self.rate_store) {
            (false, _) => None,
            (true, store) => Some(super::rate::RateLimiter::new(
                store.unwrap_or_else(|| Arc::new(crate::MemoryRateStore::default())),
                self.profile.name,
                &id,
            )),
        };
        Ok(Core::new(
            self.profile,
            Settings {
                http,
                base_urls,
                id,
                secret,
                tokens,
                max_body: self.max_body,
                quota: RetryQuota::new(self.retry.retry_budget()),
                retry: self.retry,
                jitter: Jitter::new(),
                check_limits: self.check_limits,
                limiter,
                attempt_timeout: self.attempt_timeout,
                operation_timeout: self.operation_timeout,
            },
        ))
    }
}
