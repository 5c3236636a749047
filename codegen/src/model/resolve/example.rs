//! Checking the docs' example JSON against the declared types.
//!
//! An example that does not fit its types is either a transcription slip or a place where the docs
//! disagree with themselves; either way a reviewer wants to hear about it at the example's line.

use super::super::*;
use super::ModuleCtx;
use crate::diagnostics::Diagnostic;
use crate::spec::raw;
use serde_json::Value;
use serde_saphyr::Spanned;

/// The example's `source:`; a corrected one must say in a `note:` what it corrected: it differs
/// from the page on purpose, and a reviewer comparing the two needs to know where and why.
pub(super) fn example_source(
    cx: &mut ModuleCtx,
    source: &Spanned<String>,
    note: Option<&str>,
) -> Option<ExampleSource> {
    let kind = cx.r.keyword::<ExampleSource>(source);
    if kind == Some(ExampleSource::DocCorrected) && note.is_none_or(|n| n.trim().is_empty()) {
        cx.r.at(
            &source.referenced,
            "an example with `source: doc-corrected` needs a `note:` saying what was corrected from the page",
        );
    }
    kind
}

pub(super) fn resolve_example(
    cx: &mut ModuleCtx,
    ex: &Spanned<raw::Example>,
    endpoint: &Endpoint,
    envelope: &[String],
) -> Option<Example> {
    let raw = &ex.value;
    let source = example_source(cx, &raw.source, raw.note.as_deref());
    let parse = |cx: &mut ModuleCtx, text: &Option<Spanned<String>>, what: &str| -> Option<Value> {
        let t = text.as_ref()?;
        match serde_json::from_str::<Value>(&t.value) {
            Ok(v) => Some(v),
            Err(e) => {
                let message = format!(
                    "example {what} is not JSON (line {} of the block, column {}): {e}",
                    e.line(),
                    e.column()
                );
                // At the failing line itself when the JSON is a block of several lines.
                // A block scalar's location is its first content line and indentation.
                let (line, column) = if t.value.contains('\n') {
                    let line = t.referenced.line() + (e.line() as u64).saturating_sub(1);
                    (line, t.referenced.column() + (e.column() as u64).saturating_sub(1))
                } else {
                    (t.referenced.line(), t.referenced.column())
                };
                cx.r.problems.push(Diagnostic {
                    file: cx.r.file.to_owned(),
                    line,
                    column,
                    message,
                });
                None
            }
        }
    };
    let request = parse(cx, &raw.request, "request");
    let response = parse(cx, &raw.response, "response");
    let query = raw.query.as_ref().map(|q| q.value.clone());

    let module_types = Types {
        structs: &cx.structs,
        enums: &cx.enums,
    };
    let mut problems: Vec<(Option<&Spanned<String>>, String)> = Vec::new();
    let req_struct = module_types.structs.get(endpoint.request.0);

    if let (Some(body), Some(req)) = (&request, req_struct) {
        if endpoint.method == Method::Get {
            problems.push((
                raw.request.as_ref(),
                "a GET endpoint sends no body; put the example's parameters under `query:`".into(),
            ));
        }
        let inner = match &endpoint.wrap {
            None => Some(body),
            Some(w) => match body.as_object() {
                Some(o) if o.len() == 1 && o.contains_key(w) => o.get(w),
                _ => {
                    problems.push((
                        raw.request.as_ref(),
                        format!("the request is wrapped: the example body must be {{\"{w}\": {{...}}}}"),
                    ));
                    None
                }
            },
        };
        if let Some(inner) = inner {
            let mut errs = Vec::new();
            module_types.check_struct(req, Some(FieldPlace::Body), true, inner, "request", &mut errs);
            problems.extend(errs.into_iter().map(|e| (raw.request.as_ref(), e)));
        }
    }
    if let (Some(q), Some(req)) = (&query, req_struct) {
        let mut errs = Vec::new();
        module_types.check_struct(req, Some(FieldPlace::Query), true, q, "query", &mut errs);
        problems.extend(errs.into_iter().map(|e| (None, e)));
    }
    if let Some(resp) = &response {
        let mut errs = Vec::new();
        match payload_of(resp, endpoint.payload_at, envelope) {
            Ok(payload) => module_types.check(&endpoint.response, false, false, &payload, "response", &mut errs),
            Err(e) => errs.push(e),
        }
        // The runtime reads `errcode` leniently: `"errcode": "0"` is a success too.
        let zero = |c: &Value| c.as_i64() == Some(0) || c.as_str().is_some_and(|s| s.trim() == "0");
        if let Some(code) = resp.get("errcode")
            && !zero(code)
        {
            errs.push(format!(
                "response: the example is a success, so errcode must be 0, not {code}"
            ));
        }
        problems.extend(errs.into_iter().map(|e| (raw.response.as_ref(), e)));
    }
    let had_problems = !problems.is_empty();
    // A page's own example that does not fit: either the spec or the page is wrong. The first
    // problem says how to record a fix of the page, at the line that would be corrected.
    let copied = source == Some(ExampleSource::Doc);
    for (i, (at, msg)) in problems.into_iter().enumerate() {
        let hint = if copied && i == 0 {
            "; the example is `source: doc`: if the page is wrong here, correct this line and mark the \
             example `source: doc-corrected` with a `note` saying what was corrected"
        } else {
            ""
        };
        let text = format!("example of '{}': {msg}{hint}", endpoint.id);
        match at {
            // Inside the JSON: at the key the message is about, not at the block's first line.
            Some(block) => {
                let (line, column) = inside(block, &msg);
                cx.r.problems.push(Diagnostic {
                    file: cx.r.file.to_owned(),
                    line,
                    column,
                    message: text,
                });
            }
            None => cx.r.at(&ex.referenced, text),
        }
    }
    if had_problems {
        return None;
    }
    Some(Example {
        source: source?,
        note: raw.note.clone(),
        query,
        request,
        response,
    })
}

/// The file line and column of what `msg` is about inside an example's JSON text `block`. The
/// message starts with a path (`response.data_list[0].remark: ...`); its keys are looked up in
/// order in the text, and a field the message names (`field 'x' is not declared`) after them.
/// A block scalar's (`response: |`) location is its first content line and indentation; a
/// one-line value sits after its quote.
fn inside(block: &Spanned<String>, msg: &str) -> (u64, u64) {
    let text = &block.value;
    let path = msg.split(": ").next().unwrap_or_default();
    let mut keys: Vec<&str> = path
        .split('.')
        .skip(1)
        .map(|k| k.split('[').next().unwrap_or(k))
        .filter(|k| !k.is_empty())
        .collect();
    if let Some(rest) = msg.split("field '").nth(1)
        && msg.contains("is not declared")
    {
        keys.extend(rest.split('\'').next());
    }
    let mut found = None;
    let mut from = 0;
    for key in keys {
        match text[from..].find(&format!("\"{key}\"")) {
            Some(i) => {
                from += i;
                found = Some(from);
            }
            None => break,
        }
    }
    let start = &block.referenced;
    let Some(at) = found else {
        return (start.line(), start.column());
    };
    let before = &text[..at];
    let line_in = before.matches('\n').count() as u64;
    let col_in = before.rsplit('\n').next().unwrap_or_default().chars().count() as u64;
    if text.contains('\n') {
        (start.line() + line_in, start.column() + col_in)
    } else {
        (start.line(), start.column() + 1 + col_in)
    }
}
