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
//! verifies, decrypts and encrypts what the vendors push to an app's callback URL.

#![warn(missing_docs)]

#[cfg(feature = "fuzzing")]
#[doc(hidden)]
#[path = "fuzz.rs"]
pub mod __fuzz;
#[cfg(feature = "callback")]
pub mod callback;
mod client;
mod error;
mod runtime;
mod secret;
mod time;
mod token_store;
mod wire;

pub use client::{ClientBuilder, VendorClient};
pub use error::{ApiError, Error, ErrorKind, ErrorSource, TimeoutScope, VendorError};
pub use runtime::RetryPolicy;
pub use secret::Secret;
pub use time::{DateTime, DateTimeParseError, UnixMillis, UnixSeconds};
#[cfg(feature = "redis")]
pub use token_store::RedisTokenStore;
pub use token_store::{MemoryTokenStore, StoredToken, TokenStore};

// `pub mod dingtalk`, `pub mod wecom`, ...: one per vendor folder of the spec, behind its feature.
include!(concat!(env!("OUT_DIR"), "/vendors.rs"));

/// The README's Rust examples, compiled as doctests so they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
