//! The workapi test suite, in one binary.
//!
//! - `snapshots`: the generated code of every spec file, locked by insta.
//! - `bad_specs`: every file in `tests/bad-specs/` fails with its located error, locked by insta.
//! - `conformance`: every example response of the docs decodes and re-encodes to equal JSON.
//! - `e2e`: every endpoint called through the client against wiremock on 127.0.0.1.
//! - `broken_server`: one test per way a server can break; typed errors in bounded time, no leaks.
//! - `errors`: vendor errors, token refresh, decode failures, and no secret in any output.
//! - `limits`: documented limits are checked before sending.
//! - `retries`: what is retried, how often, and what never is; the rate limiter.
//! - `paging`: paging streams follow every documented style and end signal.
//! - `mock`: the spec-built mock server checks what the vendors check.
//! - `token_store`: shared token stores, in memory and in a real redis-server.
//! - `tokens`: one token fetch for many callers, refreshed before expiry; the body cap.
//! - `workspace`: cargo features match the spec's modules.
//! - `callback_crypto`: callback signature, decryption and encryption against the vendors' examples.
//! - `fuzz_corpus`: the fuzz targets' checked-in corpora replayed through the targets' checks.

mod bad_specs;
mod broken_server;
mod callback_crypto;
mod conformance;
mod e2e;
mod errors;
mod fuzz_corpus;
mod limits;
mod mock;
mod paging;
mod retries;
mod snapshots;
mod support;
mod token_store;
mod tokens;
mod workspace;
