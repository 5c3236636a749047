//! The call path: token, URL, body, send, read (capped, timed), decode; one token refresh on
//! rejection; retries within the policy, the budget and the time limits.

use super::decode::decode;
use super::retry::{Jitter, RetryPolicy, RetryQuota, may_retry, parse_retry_after};
use super::token::{TokenCache, lifetime_from};
use super::{ApiRequest, Endpoint, Method, Query, TokenPlacement, VendorProfile};
use crate::error::TimeoutScope;
use crate::{Error, Secret};
use serde::de::DeserializeOwned;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;
use tokio::time::Instant;
use tracing::Instrument;

/// What a [`Core`] is made of, checked by the builder.
pub(crate) struct Settings {
    pub http: reqwest::Client,
    pub base_urls: Vec<String>,
    pub id: String,
    pub secret: Secret,
    pub tokens: TokenCache,
    pub max_body: usize,
    pub retry: RetryPolicy,
    pub quota: RetryQuota,
    pub jitter: Jitter,
    pub check_limits: bool,
    pub limiter: Option<super::rate::RateLimiter>,
    pub attempt_timeout: Duration,
    pub operation_timeout: Duration,
}

/// A configured vendor client: HTTP, base URLs, credentials, token cache, limits.
// `pub` in a private module: nameable by the sealed `client::Vendor` trait, unreachable outside the crate.
pub struct Core {
    profile: &'static VendorProfile,
    s: Settings,
    /// The origin of each base URL, parsed once: every answer is checked against it.
    origins: Vec<Origin>,
}

/// A URL's origin as borrowed parts can be compared to it, so the check allocates nothing.
struct Origin {
    scheme: String,
    host: Option<String>,
    port: Option<u16>,
}

impl Origin {
    fn of(url: &str) -> Self {
        match reqwest::Url::parse(url) {
            Ok(u) => Origin {
                scheme: u.scheme().to_owned(),
                host: u.host_str().map(str::to_owned),
                port: u.port_or_known_default(),
            },
            // The builder checked every base URL; an unparsable one matches no answer.
            Err(_) => Origin {
                scheme: String::new(),
                host: None,
                port: None,
            },
        }
    }

    fn matches(&self, url: &reqwest::Url) -> bool {
        url.scheme() == self.scheme
            && url.host_str() == self.host.as_deref()
            && url.port_or_known_default() == self.port
    }
}

impl std::fmt::Debug for Core {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("vendor", &self.profile.name)
            .field("base_urls", &self.s.base_urls)
            .field("credential_id", &self.s.id)
            .field("secret", &"***")
            .field("tokens", &self.s.tokens)
            .field("retry", &self.s.retry)
            .field("attempt_timeout", &self.s.attempt_timeout)
            .field("operation_timeout", &self.s.operation_timeout)
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
    pub(crate) fn new(profile: &'static VendorProfile, settings: Settings) -> Self {
        let origins = settings.base_urls.iter().map(|u| Origin::of(u)).collect();
        Core {
            profile,
            s: settings,
            origins,
        }
    }

    pub(crate) fn credential_id(&self) -> &str {
        &self.s.id
    }

    /// Calls `ep` with `request`. A rejected token is dropped, a new one fetched, and the call sent
    /// once more, never more than once, so a vendor that keeps rejecting cannot loop us. Transient
    /// failures are retried by the retry policy, within what the endpoint's idempotency and the
    /// retry budget allow, and all of it within the operation timeout.
    pub(crate) async fn call<Req: ApiRequest, Resp: DeserializeOwned>(
        &self,
        ep: &'static Endpoint,
        request: &Req,
    ) -> Result<Resp, Error> {
        if self.s.check_limits {
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
        let sent = AtomicU32::new(0);
        let limit = self.s.operation_timeout;
        match tokio::time::timeout(limit, self.attempts(ep, request, &sent))
            .instrument(span)
            .await
        {
            Ok(result) => result,
            Err(_) => {
                let attempts = sent.load(Ordering::Relaxed);
                tracing::debug!(endpoint = ep.id, attempts, "operation timeout");
                Err(Error::Timeout {
                    endpoint: ep.id,
                    after: limit,
                    scope: TimeoutScope::Operation,
                    attempts,
                })
            }
        }
    }

    /// The attempts of one call; `sent` counts them for an operation timeout's error.
    async fn attempts<Req: ApiRequest, Resp: DeserializeOwned>(
        &self,
        ep: &'static Endpoint,
        request: &Req,
        sent: &AtomicU32,
    ) -> Result<Resp, Error> {
        let (mut attempt, mut retries, mut spent, mut refreshed) = (1, 0, 0, false);
        loop {
            let token = match ep.token {
                TokenPlacement::None => None,
                _ => Some(self.token().await?),
            };
            if let (Some(limiter), Some((calls, per))) = (&self.s.limiter, ep.rate_limit) {
                limiter.acquire(ep.id, calls, Duration::from_secs(per.into())).await?;
            }
            sent.store(attempt, Ordering::Relaxed);
            let err = match self.send(ep, request, token.as_ref(), attempt).await {
                Ok(v) => {
                    self.s.quota.refund(spent);
                    return Ok(v);
                }
                Err(e) => e,
            };
            if let (true, false, Some(rejected)) = (err.is_token_error(), refreshed, &token) {
                tracing::debug!(
                    endpoint = ep.id,
                    attempt,
                    "token rejected; fetching a new one and retrying once"
                );
                self.s.tokens.invalidate(rejected).await?;
                refreshed = true;
            } else if self.wait_to_retry(ep, &err, retries, &mut spent).await {
                retries += 1;
            } else {
                return Err(err.with_attempts(attempt));
            }
            attempt += 1;
        }
    }

    async fn token(&self) -> Result<Secret, Error> {
        self.s.tokens.get(|| self.fetch_token_with_retries()).await
    }

    /// The one retry decision: whether `err` from `ep`, after `retries` retries so far, earns
    /// another under the policy, the endpoint's idempotency, the server's `Retry-After` and the
    /// retry budget (what it costs is added to `spent`). If so, waits first.
    async fn wait_to_retry(&self, ep: &'static Endpoint, err: &Error, retries: u32, spent: &mut u32) -> bool {
        let policy = &self.s.retry;
        if retries + 1 >= policy.max_attempts() || !may_retry(err, ep.idempotent) {
            return false;
        }
        let mut wait = policy.backoff(retries + 1, &self.s.jitter);
        if let Some(asked) = err.retry_after() {
            if asked > policy.max_retry_after() {
                tracing::debug!(
                    endpoint = ep.id,
                    retry_after_s = asked.as_secs(),
                    "the server asks for a longer wait than the cap; not retrying"
                );
                return false;
            }
            wait = wait.max(asked);
        }
        let cost = RetryQuota::cost(err);
        if !self.s.quota.try_spend(cost) {
            tracing::debug!(endpoint = ep.id, "retry budget spent; not retrying");
            return false;
        }
        *spent += cost;
        tracing::debug!(endpoint = ep.id, retry = retries + 1, wait_ms = wait.as_millis() as u64, kind = %err.kind(), "transient failure; retrying");
        tokio::time::sleep(wait).await;
        true
    }

    /// Token fetches go through the same retry decision as any call of the (idempotent) token endpoint.
    async fn fetch_token_with_retries(&self) -> Result<(Secret, Duration), Error> {
        let (mut attempt, mut spent) = (1, 0);
        loop {
            let err = match self.fetch_token().await {
                Ok(t) => {
                    self.s.quota.refund(spent);
                    return Ok(t);
                }
                Err(e) => e,
            };
            if !self
                .wait_to_retry(self.profile.token.endpoint, &err, attempt - 1, &mut spent)
                .await
            {
                return Err(err.with_attempts(attempt));
            }
            attempt += 1;
        }
    }

    async fn fetch_token(&self) -> Result<(Secret, Duration), Error> {
        let t = &self.profile.token;
        let ep = t.endpoint;
        let mut query = Query::default();
        query.push(t.id_param, &self.s.id);
        query.push(t.secret_param, &self.s.secret);
        let body: serde_json::Map<String, serde_json::Value> = self.send_raw(ep, query, None::<&()>, None, 1).await?;
        let bad = |message: String| Error::Decode {
            endpoint: ep.id,
            message,
            body: "<withheld: the token endpoint's body may hold a token>".into(),
            source: None,
        };
        let token = match body.get(t.token_field) {
            Some(serde_json::Value::String(s)) if !s.is_empty() => Secret::new(s.clone()),
            _ => return Err(bad(format!("no '{}' string in the token response", t.token_field))),
        };
        let lifetime = lifetime_from(body.get(t.expires_field))
            .map_err(|problem| bad(format!("'{}' is {problem}", t.expires_field)))?;
        tracing::debug!(
            vendor = self.profile.name,
            expires_in = lifetime.as_secs(),
            "fetched an access token"
        );
        Ok((token, lifetime))
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
        let mut url = reqwest::Url::parse(&format!("{}{}", self.s.base_urls[ep.host], ep.path))
            .map_err(|e| Error::config_with(format!("{}: bad URL", ep.id), e))?;
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
        let origin = &self.origins[ep.host];
        let mut builder = self.s.http.request(method, url);
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
        let exchange = async {
            let response = builder.send().await.map_err(|e| Error::transport(ep.id, e))?;
            let status = response.status().as_u16();
            // A redirect would carry the token elsewhere: our own client never follows one, and an
            // answer from another origin means a caller's client did.
            if response.status().is_redirection() || !origin.matches(response.url()) {
                return Err(Error::Redirect {
                    endpoint: ep.id,
                    status,
                    to: redirect_target(&response),
                    attempts: 1,
                });
            }
            let retry_after = parse_retry_after(response.headers().get(reqwest::header::RETRY_AFTER));
            let bytes = read_capped(ep, response, self.s.max_body).await?;
            Ok((status, retry_after, bytes))
        };
        let result = match tokio::time::timeout(self.s.attempt_timeout, exchange).await {
            Err(_) => Err(Error::Timeout {
                endpoint: ep.id,
                after: self.s.attempt_timeout,
                scope: TimeoutScope::Attempt,
                attempts: 1,
            }),
            Ok(Err(e)) => Err(e),
            Ok(Ok((status, retry_after, bytes))) => {
                let known = [token.map_or("", Secret::expose), self.s.secret.expose()];
                decode(self.profile, ep, status, &bytes, &known).map_err(|mut e| {
                    e.set_retry_after(retry_after);
                    e
                })
            }
        };
        let latency_ms = started.elapsed().as_millis() as u64;
        match &result {
            Ok(_) => tracing::debug!(endpoint = ep.id, attempt, latency_ms, "ok"),
            Err(e) => {
                tracing::debug!(endpoint = ep.id, attempt, status = e.http_status(), latency_ms, errcode = e.errcode(), kind = %e.kind(), "failed")
            }
        }
        result
    }
}

/// The origin a redirect points at (`scheme://host:port`), never its path or query, which may
/// carry the token.
fn redirect_target(response: &reqwest::Response) -> Option<String> {
    let location = response.headers().get(reqwest::header::LOCATION)?.to_str().ok()?;
    let target = response.url().join(location).ok()?;
    let origin = target.origin();
    origin.is_tuple().then(|| origin.ascii_serialization())
}

/// Reads the body, failing once it passes `max` bytes rather than buffering without end.
async fn read_capped(ep: &'static Endpoint, mut response: reqwest::Response, max: usize) -> Result<Vec<u8>, Error> {
    if response.content_length().is_some_and(|n| n > max as u64) {
        return Err(Error::TooLarge {
            endpoint: ep.id,
            limit: max,
        });
    }
    // Sized from the declared length (already checked against the cap), so a large answer is not
    // copied through a series of growing buffers; a body without a length grows as it comes.
    let declared = response.content_length().map_or(0, |n| n as usize);
    let mut out = Vec::with_capacity(declared);
    while let Some(chunk) = response.chunk().await.map_err(|e| Error::transport(ep.id, e))? {
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
