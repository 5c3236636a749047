//! `decode`: the runtime's response decoder on any status and body, as either vendor's endpoints
//! and token endpoint see it, then the payload through a real endpoint's typed response. Checked:
//! no panic, a decode error never quotes the token or secret the client holds, and error text
//! stays bounded whatever the body's size.

use arbitrary::{Arbitrary, Unstructured};

/// The secrets the decoder is told about; the bodies are seeded to echo them.
const TOKEN: &str = "tok3n-fuzz-0123456789";
const SECRET: &str = "s3cret-fuzz-9876543210";

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    wecom: bool,
    host: u8,
    at_result: bool,
    token_endpoint: bool,
    status: u16,
    /// Which real endpoint's response type gets the payload.
    endpoint: u8,
    /// Where in the body to put a secret, if anywhere.
    echo: Option<(u16, bool)>,
    body: &'a [u8],
}

/// Runs the target on one input; true if the body decoded to a payload.
pub fn check(data: &[u8]) -> bool {
    let Ok(input) = Input::arbitrary_take_rest(Unstructured::new(data)) else {
        return false;
    };
    let mut body = input.body.to_vec();
    if let Some((at, secret)) = input.echo {
        let at = usize::from(at).min(body.len());
        let s = if secret { SECRET } else { TOKEN };
        body.splice(at..at, s.bytes());
    }
    let vendor = if input.wecom { "wecom" } else { "dingtalk" };
    let known = [TOKEN, SECRET];
    let Some(result) = workapi::__fuzz::decode(
        vendor,
        usize::from(input.host % 2),
        input.at_result,
        input.token_endpoint,
        input.status,
        &body,
        &known,
    ) else {
        return false;
    };
    match result {
        Err(e) => {
            for text in [e.to_string(), format!("{e:?}")] {
                assert!(
                    !text.contains(TOKEN) && !text.contains(SECRET),
                    "a secret in error text: {text}"
                );
                // Bodies and vendor texts are cut to a few hundred characters each.
                assert!(text.len() < 4096, "error text of {} bytes", text.len());
            }
            false
        }
        Ok(payload) => {
            let ids = if input.wecom {
                workapi::wecom::ENDPOINT_IDS
            } else {
                workapi::dingtalk::ENDPOINT_IDS
            };
            let id = ids[usize::from(input.endpoint) % ids.len()];
            let reencoded = if input.wecom {
                workapi::wecom::reencode_response(id, payload)
            } else {
                workapi::dingtalk::reencode_response(id, payload)
            };
            // `reencode_response` is handed a payload by its caller and knows no secret, so it
            // can only be held to bounded text (the first fuzz run asserted more, and was wrong:
            // the client's own calls decode with the secrets known, above).
            if let Err(e) = reencoded {
                let text = e.to_string();
                assert!(text.len() < 4096, "error text of {} bytes", text.len());
            }
            true
        }
    }
}
