//! workapi-mock: a vendor look-alike on 127.0.0.1, built from the spec, to test code that uses
//! `workapi` offline.
//!
//! For every endpoint of the spec it checks what the vendor would check: the method, the path,
//! the token and where it travels, the wrapper object and the required fields. By default it
//! answers with the docs' example response, or with the vendor's own error shape (errcode
//! envelope for the old APIs, HTTP status and `{code, message}` for DingTalk v1.0). Tokens come
//! from the spec's token endpoints and only the credentials of [`MockServer::credentials`] get one.
//!
//! A test can change the answers per endpoint ([`MockServer::on`] and [`Script`]): a payload, a
//! sequence of pages, a vendor error code, a delay; make the vendor reject a token
//! ([`MockServer::reject_next_token`], [`MockServer::revoke_tokens`]); and read back what its
//! client sent ([`MockServer::requests_to`]).
//!
//! Scripting is test tooling: an endpoint id the spec does not have, or a script that does not
//! fit its endpoint, panics at the line that writes it, with a message that says why.
//!
//! # Example: two pages of a paged DingTalk endpoint
//!
//! ```
//! use futures::StreamExt;
//! use serde_json::json;
//! use workapi::dingtalk::{self, report};
//! use workapi_mock::MockServer;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let mock = MockServer::start().await?;
//! let (app_key, app_secret) = MockServer::credentials("dingtalk");
//! let client = dingtalk::Client::builder()
//!     .credentials(app_key, app_secret)
//!     .base_url(dingtalk::Host::Oapi, mock.uri())
//!     .base_url(dingtalk::Host::Api, mock.uri())
//!     .build()?;
//!
//! // The payloads the method returns; the mock adds the envelope (`errcode`, `result`).
//! // The last page carries the end signal, so the stream ends after it.
//! mock.on("report_list").respond_pages([
//!     json!({"data_list": [{"report_id": "r1"}, {"report_id": "r2"}], "has_more": true, "next_cursor": 2}),
//!     json!({"data_list": [{"report_id": "r3"}], "has_more": false}),
//! ]);
//!
//! let first = report::ReportListRequest::new(
//!     workapi::UnixMillis(1_700_000_000_000),
//!     workapi::UnixMillis(1_700_500_000_000),
//!     0, // cursor
//!     2, // size
//! );
//! // A paging stream (`workapi::PageStream`) is boxed: call `.next()` on it directly.
//! let mut reports = client.report_list_items(first);
//! let mut ids = Vec::new();
//! while let Some(report) = reports.next().await {
//!     ids.push(report?.report_id.unwrap_or_default());
//! }
//! assert_eq!(ids, ["r1", "r2", "r3"]);
//!
//! // What the client sent: the cursor of the first page, then the one the vendor handed back.
//! let cursors: Vec<_> = mock
//!     .requests_to("report_list")
//!     .iter()
//!     .map(|r| r.body.as_ref().map(|b| b["cursor"].clone()))
//!     .collect();
//! assert_eq!(cursors, [Some(json!(0)), Some(json!(2))]);
//! # Ok(()) }
//! ```

#![warn(missing_docs)]

mod recorded;
mod respond;
mod script;
mod server;
mod vendor_errors;

pub use recorded::{MASKED, RecordedRequest};
pub use script::{ErrorCode, Script};
pub use server::{MockServer, spec_dir};
