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
//! `wecom-checkin`, ...); the defaults turn all of them on.

#![warn(missing_docs)]

mod error;
mod runtime;
mod secret;
mod time;
mod token_store;
mod wire;

pub use error::{ApiError, Error, ErrorKind, ErrorSource, TimeoutScope, VendorError};
pub use runtime::RetryPolicy;
pub use secret::Secret;
pub use time::{DateTime, DateTimeParseError, UnixMillis, UnixSeconds};
#[cfg(feature = "redis")]
pub use token_store::RedisTokenStore;
pub use token_store::{MemoryTokenStore, StoredToken, TokenStore};

/// 钉钉 DingTalk: the old API on `oapi.dingtalk.com` and the v1.0 API on `api.dingtalk.com`.
///
/// Generated from `spec/dingtalk/`.
#[cfg(feature = "dingtalk")]
pub mod dingtalk {
    include!(concat!(env!("OUT_DIR"), "/dingtalk.rs"));
    crate::runtime::builder_time_limits!();
}

/// 企业微信 WeCom: `qyapi.weixin.qq.com`. A `Client` holds one app's secret, and so one app's token.
///
/// Generated from `spec/wecom/`.
#[cfg(feature = "wecom")]
pub mod wecom {
    include!(concat!(env!("OUT_DIR"), "/wecom.rs"));
    crate::runtime::builder_time_limits!();
}

/// The README's Rust examples, compiled as doctests so they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
