//! The by-id JSON entry points: typed requests from JSON, typed responses to JSON.

use crate::Error;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Decodes a request from JSON, naming the field that does not fit.
pub(crate) fn request_from_json<T: DeserializeOwned>(id: &str, value: serde_json::Value) -> Result<T, Error> {
    serde_path_to_error::deserialize(value).map_err(|e| Error::InvalidRequest {
        endpoint: id.to_owned(),
        message: format!("at {}: {}", e.path(), e.inner()),
    })
}

/// Encodes a typed response as JSON.
pub(crate) fn response_to_json<T: Serialize>(id: &str, value: &T) -> Result<serde_json::Value, Error> {
    serde_json::to_value(value).map_err(|e| Error::InvalidRequest {
        endpoint: id.to_owned(),
        message: format!("the response does not encode: {e}"),
    })
}

/// Decodes a payload as `T` and encodes it back.
pub(crate) fn reencode<T: DeserializeOwned + Serialize>(
    id: &'static str,
    payload: serde_json::Value,
) -> Result<serde_json::Value, Error> {
    let body = super::redact::redact_bytes(payload.to_string().as_bytes(), &[], 300);
    let typed: T = serde_path_to_error::deserialize(payload).map_err(|e| {
        let path = e.path().to_string();
        super::decode::json_failure(id, &path, e.into_inner(), body, &[])
    })?;
    response_to_json(id, &typed)
}
