//! The docs' example exchange of an endpoint in the forms the tests and the tour use: the request
//! as one flat JSON object, the response as the payload the client returns.

use super::{Endpoint, PayloadAt};
use serde_json::Value;

impl Endpoint {
    /// The docs' example request as one flat JSON object of the request struct's fields: the
    /// example query merged with the example body, the body's wrapper removed. This is the form
    /// `Client::call_json` takes. `None` when the docs give no example request.
    pub fn example_request(&self) -> Option<Value> {
        let ex = self.example.as_ref()?;
        if ex.query.is_none() && ex.request.is_none() {
            return None;
        }
        let mut out = serde_json::Map::new();
        if let Some(Value::Object(q)) = &ex.query {
            out.extend(q.clone());
        }
        let body = match (&ex.request, &self.wrap) {
            (Some(b), Some(w)) => b.get(w).cloned(),
            (b, None) => b.clone(),
            (None, Some(_)) => None,
        };
        if let Some(Value::Object(b)) = body {
            out.extend(b);
        }
        Some(Value::Object(out))
    }

    /// The docs' example response body, less envelope fields: the payload the client returns.
    pub fn example_payload(&self, envelope: &[String]) -> Option<Value> {
        let body = self.example.as_ref()?.response.as_ref()?;
        payload_of(body, self.payload_at, envelope).ok()
    }
}

/// The payload of a whole response body: `result`, or the top level less the envelope fields.
pub fn payload_of(body: &Value, at: PayloadAt, envelope: &[String]) -> Result<Value, String> {
    let obj = body.as_object().ok_or("response: the body is not a JSON object")?;
    match at {
        PayloadAt::Result => obj
            .get("result")
            .cloned()
            .ok_or_else(|| "response: the payload is `at: result` but the body has no \"result\"".to_owned()),
        PayloadAt::Top => Ok(Value::Object(
            obj.iter()
                .filter(|(k, _)| !envelope.contains(k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        )),
    }
}
