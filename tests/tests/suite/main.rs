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
//! - `mock_kit`: the mock as a test kit: scripted pages, errors, delays, token rejections, read-back.
//! - `token_store`: shared token stores, in memory and in a real redis-server.
//! - `tokens`: one token fetch for many callers, refreshed before expiry; the body cap.
//! - `workspace`: cargo features match the spec's modules.
//! - `import`: the importer's YAML for fixture pages (snapshots, event pages too) and its agreement with `spec/`.
//! - `callback_crypto`: callback signature, decryption and encryption against the vendors' examples.
//! - `receive`: the callback receiver's axum router on 127.0.0.1 against an independent encoder; the example's server.
//! - `stream`: DingTalk Stream mode against a local gateway (wiremock open + a WebSocket server): acks, pings, drops, refusals.
//! - `coverage`: `workapi-codegen coverage` on a fixture corpus (snapshot) and on the real one when present.
//! - `diff`: `workapi-codegen diff` classes edits of a copied spec as breaking, behaviour or compatible.
//! - `openapi`: `workapi-codegen openapi` documents parse as OpenAPI 3.1; refs, schemas and examples validate.
//! - `wire_forms`: values whose wire form is not their Rust type's (an integer enum sent as a string).
//! - `fuzz_corpus`: the fuzz targets' checked-in corpora replayed through the targets' checks.
//! - `events`: every event's page example decodes into its own variant; unknown pushes and hostile text.
//! - `page_examples`: every per-section request example of the message pages round-trips (real corpus).
//! - `approval_examples`: every control example in the appendices of the 审批 pages round-trips (real corpus).

mod approval_examples;
mod bad_specs;
mod broken_server;
mod callback_crypto;
mod conformance;
mod coverage;
mod diff;
mod e2e;
mod errors;
mod events;
mod fuzz_corpus;
mod import;
mod limits;
mod mock;
mod mock_kit;
mod openapi;
mod page_examples;
mod paging;
mod proxy;
mod rate_store;
mod receive;
mod redis_server;
mod registry;
mod reimport;
mod retries;
mod snapshots;
mod stream;
mod support;
mod tls;
mod token_store;
mod tokens;
mod wire_forms;
mod workspace;
