//! Shared helpers: the loaded spec, and clients pointed at a loopback server.

use std::sync::OnceLock;
use workapi::{dingtalk, wecom};
use workapi_codegen::model::Spec;

/// The workspace spec, loaded once.
pub fn spec() -> &'static Spec {
    static SPEC: OnceLock<Spec> = OnceLock::new();
    SPEC.get_or_init(|| {
        workapi_codegen::load(&workapi_mock::spec_dir()).unwrap_or_else(|d| panic!("spec does not load:\n{d}"))
    })
}

pub const SECRET: &str = "s3cr3t-app-secret-value";
pub const TOKEN: &str = "tok-e2e-4f1c9a";

/// Three attempts with millisecond backoff, so retry tests stay fast.
pub fn fast_retries() -> workapi::RetryPolicy {
    workapi::RetryPolicy::new(
        3,
        std::time::Duration::from_millis(1),
        std::time::Duration::from_millis(5),
    )
}

pub fn dingtalk_at(uri: &str) -> dingtalk::Client {
    dingtalk::Client::builder()
        .retry_policy(fast_retries())
        .credentials("app-key-1", SECRET)
        .base_url(dingtalk::Host::Oapi, uri)
        .base_url(dingtalk::Host::Api, uri)
        .build()
        .expect("client builds")
}

pub fn wecom_at(uri: &str) -> wecom::Client {
    wecom::Client::builder()
        .credentials("corp-1", SECRET)
        .base_url(wecom::Host::Qyapi, uri)
        .build()
        .expect("client builds")
}
