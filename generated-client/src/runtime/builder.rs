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
pub(crate) const DEFAULT_TOKEN_LOAD_TIMEOUT: Duration = Duration::from_secs(30);

/// Configuration of a [`Core`] in the making.
pub(crate) struct CoreBuilder {
    profile: &'static VendorProfile,
    base_urls: Vec<String>,
    id: Option<String>,
    secret: Option<Secret>,
    http: Option<reqwest::Client>,
    retry: RetryPolicy,
    check_limits: bool,
    max_body: usize,
    rate_limit: bool,
    token_store: Option<Arc<dyn crate::TokenStore>>,
    connect_timeout: Duration,
    attempt_timeout: Duration,
    operation_timeout: Duration,
    token_load_timeout: Duration,
}

impl std::fmt::Debug for CoreBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("vendor", &self.profile.name)
            .field("base_urls", &self.base_urls)
            .field("credential_id", &self.id)
            .field("secret", &self.secret.as_ref().map(|_| "***"))
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
            token_store: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            attempt_timeout: DEFAULT_ATTEMPT_TIMEOUT,
            operation_timeout: DEFAULT_OPERATION_TIMEOUT,
            token_load_timeout: DEFAULT_TOKEN_LOAD_TIMEOUT,
        }
    }

    pub(crate) fn token_store(mut self, store: Arc<dyn crate::TokenStore>) -> Self {
        self.token_store = Some(store);
        self
    }

    pub(crate) fn rate_limit(mut self, on: bool) -> Self {
        self.rate_limit = on;
        self
    }

    pub(crate) fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_body = bytes;
        self
    }

    pub(crate) fn check_limits(mut self, on: bool) -> Self {
        self.check_limits = on;
        self
    }

    pub(crate) fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// How long opening a connection may take (default 10 s). Applies to the client's own HTTP
    /// client only: one passed to `http_client` keeps its own.
    pub(crate) fn connect_timeout(mut self, limit: Duration) -> Self {
        self.connect_timeout = limit;
        self
    }

    /// How long one request may take, from sending it to the last byte of the answer (default
    /// 20 s). Running out is [`Error::Timeout`] with `TimeoutScope::Attempt`; it is retried like a
    /// cut connection (reads only: a write may have landed).
    pub(crate) fn attempt_timeout(mut self, limit: Duration) -> Self {
        self.attempt_timeout = limit;
        self
    }

    /// How long a whole call may take: token, every attempt, backoff, `Retry-After` and rate-limit
    /// waits (default 60 s). Running out is [`Error::Timeout`] with `TimeoutScope::Operation`.
    pub(crate) fn operation_timeout(mut self, limit: Duration) -> Self {
        self.operation_timeout = limit;
        self
    }

    /// How long loading a token may take, its retries included (default 30 s). Every call waiting
    /// on that load gets the same [`Error::Timeout`] with `TimeoutScope::TokenLoad`.
    pub(crate) fn token_load_timeout(mut self, limit: Duration) -> Self {
        self.token_load_timeout = limit;
        self
    }

    pub(crate) fn credentials(mut self, id: String, secret: Secret) -> Self {
        self.id = Some(id);
        self.secret = Some(secret);
        self
    }

    pub(crate) fn base_url(mut self, host: usize, url: String) -> Self {
        self.base_urls[host] = url;
        self
    }

    /// Uses `client` for every request. Turn its redirects off
    /// (`.redirect(reqwest::redirect::Policy::none())`): a redirect followed by reqwest carries the
    /// token (header or query) and the body to wherever the server points. The client refuses an
    /// answer from another origin than the one it asked, but by then the request has been sent.
    pub(crate) fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
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
        let t = &self.profile.token;
        self.id = Some(var(t.id_env)?);
        self.secret = Some(Secret::new(var(t.secret_env)?));
        Ok(self)
    }

    pub(crate) fn build(self) -> Result<Core, Error> {
        let t = &self.profile.token;
        let (Some(id), Some(secret)) = (self.id, self.secret) else {
            return Err(Error::config(format!(
                "no credentials: call .credentials({}, {}) or set {} and {}",
                t.id_param, t.secret_param, t.id_env, t.secret_env
            )));
        };
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
        let http = match self.http {
            Some(c) => c,
            // No client-wide `timeout`: the attempt and operation limits are enforced by the call
            // path, which can then say which one ran out.
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .redirect(reqwest::redirect::Policy::none())
                .referer(false)
                .build()
                .map_err(|e| Error::config_with("cannot build the HTTP client", e.without_url()))?,
        };
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
                limiter: self.rate_limit.then(super::rate::RateLimiter::default),
                attempt_timeout: self.attempt_timeout,
                operation_timeout: self.operation_timeout,
            },
        ))
    }
}
