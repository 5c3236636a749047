//! # workapi
//!
//! Typed async clients for the WeCom (企业微信) and DingTalk (钉钉) server APIs, generated at
//! build time from the YAML spec in `spec/`: one method per endpoint, request types whose required
//! fields cannot be left out, response types that tolerate the vendors' quirks (numbers sent as
//! strings, new enum values, new fields), and one [`Error`] that keeps errcode, sub_code and
//! request id but never a secret.
//!
//! ```no_run
//! # async fn demo() -> Result<(), workapi::Error> {
//! use workapi::dingtalk::{self, hrm};
//!
//! let client = dingtalk::Client::builder()
//!     .credentials("app-key", "app-secret")
//!     .build()?;
//! let page = client
//!     .hrm_employee_queryonjob(&hrm::HrmEmployeeQueryonjobRequest::new(
//!         [hrm::EmployeeStatus::Regular, hrm::EmployeeStatus::Probation],
//!         0,
//!         50,
//!     ))
//!     .await?;
//! println!("{:?}", page.data_list);
//! # Ok(()) }
//! ```
//!
//! Each vendor module and each spec module is a cargo feature (`dingtalk`, `dingtalk-report`,
//! `wecom-checkin`, ...); the defaults turn all of them on. So does `callback`: [`callback`]
//! verifies, decrypts and encrypts what the vendors push to an app's callback URL; `receive`
//! (off by default) serves that URL as an `http` handler, and `axum` as a ready router.

#![warn(missing_docs)]
// A build with only some modules (set by build.rs) leaves the helpers of the others unused; the
// full build, which CI lints, still reports any truly dead code.
#![cfg_attr(workapi_partial, allow(dead_code, unused_imports))]
// docs.rs labels each item with the cargo feature it needs.
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "fuzzing")]
#[doc(hidden)]
#[path = "fuzz.rs"]
pub mod __fuzz;
#[cfg(feature = "callback")]
#[cfg_attr(docsrs, doc(cfg(feature = "callback")))]
pub mod callback;
mod client;
mod error;
pub mod events;
mod rate_store;
#[cfg(feature = "receive")]
#[cfg_attr(docsrs, doc(cfg(feature = "receive")))]
pub mod receive;
mod registry;
mod runtime;
mod secret;
#[cfg(feature = "stream")]
#[cfg_attr(docsrs, doc(cfg(feature = "stream")))]
pub mod stream;
mod time;
mod token_store;
mod wire;

pub use client::{ClientBuilder, VendorClient, http_client_builder};
pub use registry::ClientRegistry;
/// Re-exported: the public API names its types (`PageStream` is a `futures` stream, `call_json`
/// takes `serde_json` values, `ClientBuilder::http_client` takes a `reqwest::Client`), so you can
/// use the versions this crate was built with.
pub use {futures, reqwest, serde_json};

/// The stream of pages or items a paging method returns (`report_list_pages`,
/// `report_list_items`): boxed and `Unpin`, so `.next().await` works without pinning. It ends
/// after the last page, or after the first error.
///
/// ```no_run
/// # async fn demo(client: workapi::dingtalk::Client) -> Result<(), workapi::Error> {
/// use workapi::futures::StreamExt;
/// use workapi::dingtalk::hrm::HrmEmployeeQuerypreentryRequest;
///
/// let mut ids = client.hrm_employee_querypreentry_items(HrmEmployeeQuerypreentryRequest::new(0, 50));
/// while let Some(id) = ids.next().await {
///     println!("{}", id?);
/// }
/// # Ok(()) }
/// ```
pub type PageStream<'a, T> = futures::stream::BoxStream<'a, Result<T, Error>>;
pub use error::{ApiError, Error, ErrorKind, ErrorSource, TimeoutScope, VendorError};
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub use rate_store::RedisRateStore;
pub use rate_store::{Admission, MemoryRateStore, RateStore};
pub use runtime::RetryPolicy;
pub use secret::Secret;
pub use time::{DateTime, DateTimeParseError, UnixMillis, UnixSeconds};
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub use token_store::RedisTokenStore;
pub use token_store::{MemoryTokenStore, StoredToken, TokenStore};

// `pub mod dingtalk`, `pub mod wecom`, ...: one per vendor folder of the spec, behind its feature.
include!(concat!(env!("OUT_DIR"), "/vendors.rs"));

/// The README's Rust examples, compiled as doctests so they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
