//! Redaction of text that came from a server (bodies, `errmsg`, JSON error messages) before it
//! goes into an error: the secrets the client holds, `token=...`-style values and long opaque
//! strings become `***`, control characters become spaces, and the length is bounded.

/// What replaces a redacted value.
const MARK: &str = "***";

/// A run of token-alphabet characters at least this long, with both letters and digits, is taken
/// for a token. DingTalk's tokens are 32 hex digits and WeCom's longer; ordinary words have no
/// digits, and paths and dotted codes are split by `/` and `.`.
const OPAQUE_MIN: usize = 24;

/// Key fragments whose value is withheld in `key=value` and `"key": "value"` forms.
const SECRET_KEYS: [&str; 5] = ["token", "secret", "ticket", "password", "signature"];

fn token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+' | '=' | '%' | '~')
}

/// `text` with every secret in `known`, every value of a secret-named key and every long opaque
/// string replaced by `***`; on one line, at most `max` characters (then `...`).
pub(crate) fn redact(text: &str, known: &[&str], max: usize) -> String {
    let mut s = text.to_owned();
    for secret in known.iter().filter(|k| !k.is_empty()) {
        if s.contains(secret) {
            s = s.replace(secret, MARK);
        }
    }
    let s = redact_opaque(&redact_keyed(&s));
    let mut out: String = s
        .chars()
        .take(max)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if s.chars().nth(max).is_some() {
        out.push_str("...");
    }
    out
}

/// The start of a body, redacted: see [`redact`].
pub(crate) fn redact_bytes(body: &[u8], known: &[&str], max: usize) -> String {
    // Redaction looks at a bounded prefix: a huge body must not cost a huge copy. Four bytes a
    // character at most, plus room so that a secret cut at the window's edge lies past `max`.
    let window = max.saturating_mul(4).saturating_add(1024).min(body.len());
    let text = String::from_utf8_lossy(&body[..window]);
    let mut out = redact(&text, known, max);
    if window < body.len() && !out.ends_with("...") {
        out.push_str("...");
    }
    out
}

/// Withholds the value after any key containing a [`SECRET_KEYS`] fragment: `access_token=abc`,
/// `"access_token": "abc"`, `corpsecret=abc`.
fn redact_keyed(s: &str) -> String {
    let lower = s.to_ascii_lowercase();
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut copied = 0;
    let mut i = 0;
    while i < s.len() {
        let Some(hit) = SECRET_KEYS
            .iter()
            .find(|k| lower.as_bytes()[i..].starts_with(k.as_bytes()))
        else {
            i += 1;
            continue;
        };
        // The rest of the key, a closing quote, spaces, then `=` or `:`, spaces, an opening quote.
        let mut j = i + hit.len();
        while j < s.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'_') {
            j += 1;
        }
        let skip = |j: &mut usize, set: &[u8]| {
            while *j < s.len() && set.contains(&bytes[*j]) {
                *j += 1;
            }
        };
        skip(&mut j, b"\"' ");
        if j >= s.len() || !matches!(bytes[j], b'=' | b':') {
            i = j.max(i + 1);
            continue;
        }
        j += 1;
        skip(&mut j, b"\"' ");
        let start = j;
        while j < s.len() && !matches!(bytes[j], b'&' | b'"' | b'\'' | b'<' | b'>' | b',' | b';' | b'}' | b' ') {
            j += 1;
        }
        // Byte offsets at ASCII delimiters are char boundaries; the end may be the string's end.
        if j > start && s.is_char_boundary(start) && s.is_char_boundary(j) {
            out.push_str(&s[copied..start]);
            out.push_str(MARK);
            copied = j;
        }
        i = j.max(i + 1);
    }
    out.push_str(&s[copied..]);
    out
}

/// Replaces every run of [`token_char`]s of [`OPAQUE_MIN`] or more with letters and digits in it.
fn redact_opaque(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        let opaque = run.len() >= OPAQUE_MIN
            && run.chars().any(|c| c.is_ascii_digit())
            && run.chars().any(|c| c.is_ascii_alphabetic());
        out.push_str(if opaque { MARK } else { run });
        run.clear();
    };
    for c in s.chars() {
        if token_char(c) {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_shaped_text_is_withheld_and_the_rest_kept() {
        let page = "<html>GET /topapi/report/list?access_token=tok-1&cursor=0 failed; \
                    corpsecret = abc; {\"access_token\": \"xyz\"} id 0123456789abcdef0123456789abcdef \
                    held: tok-e2e</html>";
        let out = redact(page, &["tok-e2e"], 1000);
        for gone in ["tok-1", "abc;", "xyz", "0123456789abcdef", "tok-e2e"] {
            assert!(!out.contains(gone), "{gone} in {out}");
        }
        for kept in ["/topapi/report/list", "cursor=0", "failed", "<html>", "held: ***"] {
            assert!(out.contains(kept), "{kept} missing from {out}");
        }
        assert_eq!(
            redact("系统繁忙 internationalization", &[], 100),
            "系统繁忙 internationalization"
        );
        assert_eq!(redact("a\nb", &[], 100), "a b");
    }

    #[test]
    fn echoed_text_is_bounded_even_when_a_secret_straddles_the_cut() {
        let secret = "S3CRETVALUE";
        let body = format!("{}{secret}{}", "x".repeat(95), "y".repeat(10_000));
        let out = redact_bytes(body.as_bytes(), &[secret], 100);
        assert!(!out.contains("S3CR"), "{out}");
        assert!(out.chars().count() <= 103, "{}", out.len());
        assert!(redact_bytes("токен=".repeat(50).as_bytes(), &[], 10).ends_with("..."));
    }
}
