//! The call path: token, URL, body, send, read (capped), decode; one token refresh on rejection.

use super::decode::decode;
use super::retry::{Jitter, RetryPolicy, may_retry};
use super::token::TokenCache;
use super::{ApiRequest, Endpoint, Method, Query, TokenPlacement, VendorProfile};
use crate::{Error, Secret};
use serde::de::DeserializeOwned;
use std::time::{Duration, Instant};
use tracing::Instrument;

/// Default cap on a response body.
pub(crate) const DEFAULT_MAX_BODY: usize = 16 * 1024 * 1024;
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

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
    token_store: Option<std::sync::Arc<dyn crate::TokenStore>>,
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
        }
    }

    pub(crate) fn token_store(mut self, store: std::sync::Arc<dyn crate::TokenStore>) -> Self {
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

    pub(crate) fn credentials(mut self, id: String, secret: Secret) -> Self {
        self.id = Some(id);
        self.secret = Some(secret);
        self
    }

    pub(crate) fn base_url(mut self, host: usize, url: String) -> Self {
        self.base_urls[host] = url;
        self
    }

    pub(crate) fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    pub(crate) fn load_env(mut self) -> Result<Self, Error> {
        let var = |name: &str| -> Result<String, Error> {
            std::env::var(name).map_err(|_| Error::Config(format!("environment variable {name} is not set")))
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
            return Err(Error::Config(format!(
                "no credentials: call .credentials({}, {}) or set {} and {}",
                t.id_param, t.secret_param, t.id_env, t.secret_env
            )));
        };
        let mut base_urls = Vec::with_capacity(self.base_urls.len());
        for (url, host) in self.base_urls.into_iter().zip(self.profile.hosts) {
            let trimmed = url.trim_end_matches('/').to_owned();
            if reqwest::Url::parse(&trimmed)
                .map(|u| u.cannot_be_a_base())
                .unwrap_or(true)
            {
                return Err(Error::Config(format!(
                    "base URL of host {} is not a URL: '{trimmed}'",
                    host.id
                )));
            }
            base_urls.push(trimmed);
        }
        let http = match self.http {
            Some(c) => c,
            None => reqwest::Client::builder()
                .connect_timeout(DEFAULT_CONNECT_TIMEOUT)
                .timeout(DEFAULT_TIMEOUT)
                .build()
                .map_err(|e| Error::Config(format!("cannot build the HTTP client: {}", e.without_url())))?,
        };
        let tokens = match self.token_store {
            Some(store) => {
                let key = format!(
                    "workapi:token:{}:{}:{}",
                    self.profile.name,
                    id,
                    crate::token_store::fingerprint(&secret)
                );
                TokenCache::shared(store, key)
            }
            None => TokenCache::default(),
        };
        Ok(Core {
            profile: self.profile,
            http,
            base_urls,
            id,
            secret,
            tokens,
            max_body: self.max_body,
            retry: self.retry,
            jitter: Jitter::new(),
            check_limits: self.check_limits,
            limiter: self.rate_limit.then(super::rate::RateLimiter::default),
        })
    }
}

/// A configured vendor client: HTTP, base URLs, credentials, token cache.
// `pub` in a private module: nameable by the sealed `client::Vendor` trait, unreachable outside the crate.
pub struct Core {
    profile: &'static VendorProfile,
    http: reqwest::Client,
    base_urls: Vec<String>,
    id: String,
    secret: Secret,
    tokens: TokenCache,
    max_body: usize,
    retry: RetryPolicy,
    jitter: Jitter,
    check_limits: bool,
    limiter: Option<super::rate::RateLimiter>,
}

impl std::fmt::Debug for Core {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("vendor", &self.profile.name)
            .field("base_urls", &self.base_urls)
            .field("credential_id", &self.id)
            .field("secret", &"***")
            .field("tokens", &self.tokens)
            .field("retry", &self.retry)
            .finish()
    }
}

/// The JSON body: the request, or `{wrap: request}`.
struct Body<'a, T> {
    wrap: Option<&'static str>,
    request: &'a T,
}

impl<T: serde::Serialize> serde::Serialize for Body<'_, T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self.wrap {
            None => self.request.serialize(s),
            Some(key) => {
                let mut map = s.serialize_map(Some(1))?;
                map.serialize_entry(key, self.request)?;
                map.end()
            }
        }
    }
}

impl Core {
    pub(crate) fn credential_id(&self) -> &str {
        &self.id
    }

    /// Calls `ep` with `request`. A rejected token is dropped, a new one fetched, and the call sent
    /// once more, never more than once, so a vendor that keeps rejecting cannot loop us. Transient
    /// failures are retried by the retry policy, within what the endpoint's idempotency allows.
    pub(crate) async fn call<Req: ApiRequest, Resp: DeserializeOwned>(
        &self,
        ep: &'static Endpoint,
        request: &Req,
    ) -> Result<Resp, Error> {
        if self.check_limits {
            let mut check = super::LimitCheck::default();
            request.check_limits(&mut check);
            if let Some((field, problem)) = check.into_violation() {
                return Err(Error::Limit {
                    endpoint: ep.id,
                    field,
                    problem,
                });
            }
        }
        let span = tracing::debug_span!("workapi.call", vendor = self.profile.name, endpoint = ep.id);
        async {
            let (mut attempt, mut retries, mut refreshed) = (1, 0, false);
            loop {
                let token = match ep.token {
                    TokenPlacement::None => None,
                    _ => Some(self.token().await?),
                };
                if let (Some(limiter), Some((calls, per))) = (&self.limiter, ep.rate_limit) {
                    limiter.acquire(ep.id, calls, Duration::from_secs(per.into())).await;
                }
                let err = match self.send(ep, request, token.as_ref(), attempt).await {
                    Ok(v) => return Ok(v),
                    Err(e) => e,
                };
                if let (true, false, Some(rejected)) = (err.is_token_error(), refreshed, &token) {
                    tracing::debug!(
                        endpoint = ep.id,
                        attempt,
                        "token rejected; fetching a new one and retrying once"
                    );
                    self.tokens.invalidate(rejected).await?;
                    refreshed = true;
                } else if self.wait_to_retry(ep, &err, retries).await {
                    retries += 1;
                } else {
                    return Err(err.with_attempts(attempt));
                }
                attempt += 1;
            }
        }
        .instrument(span)
        .await
    }

    async fn token(&self) -> Result<Secret, Error> {
        self.tokens.get(|| self.fetch_token_with_retries()).await
    }

    /// The one retry decision: whether `err` from `ep`, after `retries` retries so far, earns
    /// another under the policy and the endpoint's idempotency. If so, waits the backoff first.
    async fn wait_to_retry(&self, ep: &'static Endpoint, err: &Error, retries: u32) -> bool {
        if retries + 1 >= self.retry.max_attempts() || !may_retry(err, ep.idempotent) {
            return false;
        }
        let wait = self.retry.backoff(retries + 1, &self.jitter);
        tracing::debug!(endpoint = ep.id, retry = retries + 1, wait_ms = wait.as_millis() as u64, kind = %err.kind(), "transient failure; retrying");
        tokio::time::sleep(wait).await;
        true
    }

    /// Token fetches go through the same retry decision as any call of the (idempotent) token endpoint.
    async fn fetch_token_with_retries(&self) -> Result<(Secret, Duration), Error> {
        let mut attempt = 1;
        loop {
            let err = match self.fetch_token().await {
                Ok(t) => return Ok(t),
                Err(e) => e,
            };
            if !self.wait_to_retry(self.profile.token.endpoint, &err, attempt - 1).await {
                return Err(err.with_attempts(attempt));
            }
            attempt += 1;
        }
    }

    async fn fetch_token(&self) -> Result<(Secret, Duration), Error> {
        let t = &self.profile.token;
        let ep = t.endpoint;
        let mut query = Query::default();
        query.push(t.id_param, &self.id);
        query.push(t.secret_param, &self.secret);
        let body: serde_json::Map<String, serde_json::Value> = self.send_raw(ep, query, None::<&()>, None, 1).await?;
        let token = match body.get(t.token_field) {
            Some(serde_json::Value::String(s)) if !s.is_empty() => Secret::new(s.clone()),
            _ => {
                return Err(Error::Decode {
                    endpoint: ep.id,
                    message: format!("no '{}' string in the token response", t.token_field),
                    body: "<withheld>".into(),
                });
            }
        };
        let lifetime = body
            .get(t.expires_field)
            .and_then(|v| v.as_u64().or_else(|| v.as_str().and_then(|s| s.parse().ok())))
            .unwrap_or(7200);
        tracing::debug!(
            vendor = self.profile.name,
            expires_in = lifetime,
            "fetched an access token"
        );
        Ok((token, Duration::from_secs(lifetime)))
    }

    async fn send<Req: ApiRequest, Resp: DeserializeOwned>(
        &self,
        ep: &'static Endpoint,
        request: &Req,
        token: Option<&Secret>,
        attempt: u32,
    ) -> Result<Resp, Error> {
        let mut query = Query::default();
        request.write_query(&mut query);
        let body = (ep.method == Method::Post).then_some(request);
        self.send_raw(ep, query, body, token, attempt).await
    }

    async fn send_raw<Req: serde::Serialize, Resp: DeserializeOwned>(
        &self,
        ep: &'static Endpoint,
        mut query: Query,
        body: Option<&Req>,
        token: Option<&Secret>,
        attempt: u32,
    ) -> Result<Resp, Error> {
        let t = &self.profile.token;
        if let (TokenPlacement::Query, Some(tok)) = (ep.token, token) {
            query.push(t.query_param, tok);
        }
        let mut url = reqwest::Url::parse(&format!("{}{}", self.base_urls[ep.host], ep.path))
            .map_err(|e| Error::Config(format!("{}: bad URL: {e}", ep.id)))?;
        if !query.pairs.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (k, v) in &query.pairs {
                pairs.append_pair(k, v);
            }
        }
        let method = match ep.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
        };
        let mut builder = self.http.request(method, url);
        if let (TokenPlacement::Header, Some(tok), Some(name)) = (ep.token, token, t.header) {
            builder = builder.header(name, tok.expose());
        }
        if let Some(request) = body {
            let bytes = serde_json::to_vec(&Body { wrap: ep.wrap, request }).map_err(|e| Error::InvalidRequest {
                endpoint: ep.id.to_owned(),
                message: format!("the body does not encode: {e}"),
            })?;
            builder = builder
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(bytes);
        }
        let started = Instant::now();
        let response = builder.send().await.map_err(|e| Error::Transport {
            endpoint: ep.id,
            source: e.without_url(),
            attempts: 1,
        })?;
        let status = response.status().as_u16();
        let bytes = read_capped(ep, response, self.max_body).await?;
        let result = decode(self.profile, ep, status, &bytes);
        let latency_ms = started.elapsed().as_millis() as u64;
        match &result {
            Ok(_) => tracing::debug!(endpoint = ep.id, attempt, status, latency_ms, "ok"),
            Err(e) => {
                tracing::debug!(endpoint = ep.id, attempt, status, latency_ms, errcode = e.errcode(), kind = %e.kind(), "failed")
            }
        }
        result
    }
}

/// Reads the body, failing once it passes `max` bytes rather than buffering without end.
async fn read_capped(ep: &'static Endpoint, mut response: reqwest::Response, max: usize) -> Result<Vec<u8>, Error> {
    if response.content_length().is_some_and(|n| n > max as u64) {
        return Err(Error::TooLarge {
            endpoint: ep.id,
            limit: max,
        });
    }
    let mut out = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| Error::Transport {
        endpoint: ep.id,
        source: e.without_url(),
        attempts: 1,
    })? {
        if out.len() + chunk.len() > max {
            return Err(Error::TooLarge {
                endpoint: ep.id,
                limit: max,
            });
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}
