//! Many tenants from one process: a [`ClientRegistry`] hands out one client per credential (a corp,
//! an app) of a vendor, all sharing one HTTP connection pool, one token store and one rate store.
//!
//! Each credential's token is kept under its own key (vendor, credential id and a fingerprint of
//! the secret), and each client is built for exactly one credential, so the tokens of two apps can
//! never be mixed up, the bug of SDKs that keep one mutable configuration per process.

use crate::client::{ClientBuilder, VendorClient};
use crate::{Error, MemoryRateStore, MemoryTokenStore, RateStore, Secret, TokenStore};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The settings every client of the registry gets, applied to a fresh builder.
type Configure<C> = dyn Fn(ClientBuilder<C>) -> ClientBuilder<C> + Send + Sync;

/// Clients of one vendor for many credentials, built on first use and kept.
///
/// ```
/// # fn main() -> Result<(), workapi::Error> {
/// use workapi::{ClientRegistry, wecom};
///
/// // Settings for every tenant; credentials come per call.
/// let registry = ClientRegistry::<wecom::Client>::new(|builder| builder.rate_limit(true))?;
/// let corp_a = registry.client("corp-a", "contact-secret-a")?;
/// let corp_b = registry.client("corp-b", "contact-secret-b")?;
/// // The same credential gives the same client (and so the same cached token).
/// assert_eq!(registry.len(), 2);
/// registry.client("corp-a", "contact-secret-a")?;
/// assert_eq!(registry.len(), 2);
/// # let _ = (corp_a, corp_b);
/// # Ok(()) }
/// ```
pub struct ClientRegistry<C: VendorClient> {
    configure: Box<Configure<C>>,
    http: reqwest::Client,
    tokens: Arc<dyn TokenStore>,
    rates: Arc<dyn RateStore>,
    /// (credential id, secret fingerprint) -> its client.
    clients: Mutex<HashMap<(String, String), C>>,
}

impl<C: VendorClient> std::fmt::Debug for ClientRegistry<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientRegistry")
            .field("vendor", &C::vendor_name())
            .field("clients", &self.len())
            .finish_non_exhaustive()
    }
}

impl<C: VendorClient> ClientRegistry<C> {
    /// A registry whose clients all get `configure`'s settings (base URLs, retries, time limits,
    /// a proxy, a token or rate store: not credentials, which [`ClientRegistry::client`] takes).
    /// The HTTP client, token store and rate store it sets up (or that `configure` gives) are
    /// shared by every client; without a store of your own, tokens and call counts are kept in
    /// this process's memory.
    pub fn new(
        configure: impl Fn(ClientBuilder<C>) -> ClientBuilder<C> + Send + Sync + 'static,
    ) -> Result<Self, Error> {
        let probe = configure(ClientBuilder::new());
        let inner = probe.core();
        Ok(ClientRegistry {
            http: inner.http_client()?,
            tokens: inner
                .token_store
                .clone()
                .unwrap_or_else(|| Arc::new(MemoryTokenStore::default())),
            rates: inner
                .rate_store
                .clone()
                .unwrap_or_else(|| Arc::new(MemoryRateStore::default())),
            configure: Box::new(configure),
            clients: Mutex::new(HashMap::new()),
        })
    }

    /// The client of the credential `id` / `secret` (a corp id and an app's secret; an app key
    /// and its secret), built on first use with the registry's settings and kept.
    pub fn client(&self, id: &str, secret: impl Into<Secret>) -> Result<C, Error> {
        let secret = secret.into();
        let key = (id.to_owned(), crate::token_store::fingerprint(&secret));
        if let Some(client) = self.lock().get(&key) {
            return Ok(client.clone());
        }
        let builder = (self.configure)(ClientBuilder::new()).credentials(id, secret).shared(
            self.http.clone(),
            self.tokens.clone(),
            self.rates.clone(),
        );
        let client = builder.build()?;
        // Two callers may have built one at once: keep the first, so every caller shares its cache.
        Ok(self.lock().entry(key).or_insert(client).clone())
    }

    /// Forgets the clients of credential `id` (a tenant that uninstalled the app); their tokens
    /// stay in the token store until they expire.
    pub fn forget(&self, id: &str) {
        self.lock().retain(|(held, _), _| held != id);
    }

    /// How many clients the registry holds.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(String, String), C>> {
        self.clients.lock().unwrap_or_else(|p| p.into_inner())
    }
}
