//! Reading on after a problem: the key a problem is about is left out of the text, so the parser
//! can go on to the file's next problem.
//!
//! serde stops at the first error, so a file with three mistakes used to report one, and every
//! later check of the file waited for the next run. The text is edited, never re-flowed: a
//! left-out key becomes spaces (or an empty line), so every line and column after it still names
//! the place in the file the person has open. Only problems at a key are recovered from (an
//! unknown key, a key given twice, a value of the wrong kind); anything else, a YAML syntax error
//! above all, stops the reading as before, since guessing there would report problems that are
//! not in the file.

use crate::diagnostics::Diagnostic;

/// Why a key was left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The key is not part of the format (or is given twice): leaving it out loses nothing.
    UnknownKey,
    /// The key's value is of the wrong kind: the key may be a required one, so a later
    /// "missing key" about it is the same problem again.
    WrongValue,
}

/// The text with the key `problem` is about left out, that key, and why; `None` when the problem
/// is not at a key this can find and remove without guessing.
pub fn leave_out(text: &str, problem: &Diagnostic) -> Option<(String, String, Kind)> {
    let line_no = usize::try_from(problem.line).ok()?.checked_sub(1)?;
    let column = usize::try_from(problem.column).ok()?.checked_sub(1)?;
    let lines: Vec<&str> = text.split('\n').collect();
    let line: Vec<char> = lines.get(line_no)?.chars().collect();
    let (key_column, kind) = if let Some(key) = unknown_key(&problem.message) {
        // The parser places the problem at the key itself.
        let found: String = line.get(column..)?.iter().collect();
        let bare = found.trim_start_matches(['"', '\'']);
        if !bare.starts_with(key) {
            return None;
        }
        (column, Kind::UnknownKey)
    } else if is_wrong_value(&problem.message) {
        // The parser places the problem at the key (or, for some values, at the value, with its
        // key just before: `key: value`).
        let at_key = key_at(&line, column).is_some_and(|k| line_has_key(&line, column, &k));
        let column = if at_key { column } else { key_before(&line, column)? };
        (column, Kind::WrongValue)
    } else {
        return None;
    };
    if in_block_scalar(&lines, line_no) {
        return None;
    }
    let key = key_at(&line, key_column)?;
    let before = line[..key_column].iter().rev().find(|c| **c != ' ');
    let mut out: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
    match before {
        // A block mapping key, alone on its line or after a sequence's `- `.
        None | Some('-') => {
            if line[..key_column].iter().any(|c| !matches!(c, ' ' | '-')) {
                return None;
            }
            let value_empty = line_value_is_empty(&line, key_column, &key);
            out[line_no] = line[..key_column].iter().collect::<String>().trim_end().to_owned();
            if out[line_no].trim().is_empty() {
                out[line_no].clear();
            }
            // A flag or a count of the wrong kind gets a stand-in of the right kind rather than
            // going: the key may be required, and its absence would stop the reading. The stand-in
            // is never reported; the problem already names the real value.
            if let (Kind::WrongValue, Some(stand_in)) = (kind, stand_in(&problem.message)) {
                let head: String = line[..key_column].iter().collect();
                out[line_no] = format!("{head}{key}: {stand_in}");
            }
            for (i, next) in lines.iter().enumerate().skip(line_no + 1) {
                let indent = next.len() - next.trim_start_matches(' ').len();
                let content = next.trim();
                let inside = content.is_empty()
                    || indent > key_column
                    || (value_empty && indent == key_column && (content == "-" || content.starts_with("- ")));
                if !inside {
                    break;
                }
                out[i].clear();
            }
        }
        // A key of a flow mapping, `{a: 1, key: value}`: blank `key: value` and the comma before.
        Some('{') | Some(',') => {
            let end = flow_value_end(&line, key_column)?;
            let mut start = key_column;
            let mut end = end;
            if before == Some(&',') {
                start = line[..key_column].iter().rposition(|c| *c == ',')?;
            } else if line.get(end) == Some(&',') {
                end += 1;
            }
            let blanked: String = line
                .iter()
                .enumerate()
                .map(|(i, c)| if (start..end).contains(&i) { ' ' } else { *c })
                .collect();
            out[line_no] = blanked;
        }
        Some(_) => return None,
    }
    let shorter = out.join("\n");
    (shorter != text).then_some((shorter, key, kind))
}

/// Whether line `line_no` is text of a `|` or `>` block above it (where `name: x` is text, not a
/// key): the nearest line above indented less than it ends in a block indicator.
fn in_block_scalar(lines: &[&str], line_no: usize) -> bool {
    let indent = |l: &str| l.len() - l.trim_start_matches(' ').len();
    let own = indent(lines[line_no]);
    let Some(parent) = lines[..line_no]
        .iter()
        .rev()
        .find(|l| !l.trim().is_empty() && indent(l) < own)
    else {
        return false;
    };
    let value = parent.split_once(": ").map_or(parent.trim(), |(_, v)| v.trim());
    let value = value.split(" #").next().unwrap_or(value).trim();
    value.starts_with(['|', '>']) && value[1..].chars().all(|c| matches!(c, '+' | '-' | '1'..='9'))
}

/// A value of the kind the message expected, for the kinds where any value of it is harmless.
fn stand_in(message: &str) -> Option<&'static str> {
    let expected = message.split_once("expected ")?.1;
    if expected.starts_with("true or false") {
        Some("false")
    } else if expected.starts_with("an unquoted whole number") {
        Some("1")
    } else {
        None
    }
}

/// The key of an "unknown key `k`, ..." or "key 'k' is given twice ..." message.
fn unknown_key(message: &str) -> Option<&str> {
    if let Some(rest) = message.strip_prefix("unknown key `") {
        return rest.split('`').next();
    }
    let rest = message.strip_prefix("key '")?;
    let (key, tail) = rest.split_once('\'')?;
    tail.starts_with(" is given twice").then_some(key)
}

/// Whether the message says a value is of the wrong kind (serde's words, or one of `strict`'s).
fn is_wrong_value(message: &str) -> bool {
    // Not `strict::doc`'s "this text holds ...": it is placed inside the text, not at a key.
    ["invalid type", "invalid value", "invalid length", "unknown variant"]
        .iter()
        .any(|p| message.starts_with(p))
}

/// The column of the key of the `key: value` whose value starts at `column`, if the line reads so.
fn key_before(line: &[char], column: usize) -> Option<usize> {
    let head = line.get(..column)?;
    let colon = head.iter().rposition(|c| !c.is_whitespace())?;
    if head[colon] != ':' {
        return None;
    }
    let key_end = head[..colon].iter().rposition(|c| !c.is_whitespace())? + 1;
    let start = head[..key_end]
        .iter()
        .rposition(|c| matches!(c, '{' | ',' | ' ' | '-'))
        .map_or(0, |p| p + 1);
    (start < key_end).then_some(start)
}

/// The key that starts at `column` (quoted or plain), without its quotes.
fn key_at(line: &[char], column: usize) -> Option<String> {
    let rest = line.get(column..)?;
    let key: String = match rest.first()? {
        q @ ('"' | '\'') => rest[1..].iter().take_while(|c| *c != q).collect(),
        _ => rest.iter().take_while(|c| **c != ':').collect(),
    };
    let key = key.trim().to_owned();
    (!key.is_empty()).then_some(key)
}

/// Whether `key` at `column` is followed by its `:`, as a mapping key is.
fn line_has_key(line: &[char], column: usize, key: &str) -> bool {
    let rest: String = line[column..].iter().collect();
    let rest = rest.trim_start_matches(['"', '\'']);
    rest.strip_prefix(key)
        .map(|after| after.trim_start_matches(['"', '\'']).trim_start().starts_with(':'))
        .unwrap_or(false)
}

/// Whether nothing but a comment follows the key's colon on its line (its value is the block
/// below).
fn line_value_is_empty(line: &[char], column: usize, key: &str) -> bool {
    let rest: String = line[column..].iter().collect();
    let rest = rest.trim_start_matches(['"', '\'']);
    let after = rest.strip_prefix(key).unwrap_or(rest);
    let after = after.trim_start_matches(['"', '\'']).trim_start();
    let after = after.strip_prefix(':').unwrap_or(after).trim();
    after.is_empty() || after.starts_with('#')
}

/// Where the value of the flow-mapping key at `column` ends on the line: at the `,` or `}` that
/// closes it, outside quotes and nested brackets. `None` when the value runs past the line.
fn flow_value_end(line: &[char], column: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (i, c) in line.iter().enumerate().skip(column) {
        match (quote, *c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(*c),
            (None, '[' | '{') => depth += 1,
            (None, ']' | '}') if depth > 0 => depth -= 1,
            (None, ',' | '}') if depth == 0 => return Some(i),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: u64, column: u64, message: &str) -> Diagnostic {
        Diagnostic {
            file: "f.yaml".into(),
            line,
            column,
            message: message.into(),
        }
    }

    #[test]
    fn an_unknown_block_key_goes_with_its_nested_lines() {
        let text = "a:\n  bogus:\n    x: 1\n  - y\n  keep: 2\n";
        let (out, key, kind) = leave_out(text, &at(2, 3, "unknown key `bogus`, expected a")).unwrap();
        assert_eq!(out, "a:\n\n\n\n  keep: 2\n");
        assert_eq!((key.as_str(), kind), ("bogus", Kind::UnknownKey));
    }

    #[test]
    fn a_flow_key_becomes_spaces_and_columns_stay() {
        let text = "s: {type: int64, requried: true}\n";
        let (out, key, _) = leave_out(text, &at(1, 18, "unknown key `requried`, expected one")).unwrap();
        assert_eq!(out, "s: {type: int64                }\n");
        assert_eq!(out.len(), text.len());
        assert_eq!(key, "requried");
        let first = "s: {requried: true, type: int64}\n";
        let (out, _, _) = leave_out(first, &at(1, 5, "unknown key `requried`, expected one")).unwrap();
        assert_eq!(out, "s: {                type: int64}\n");
    }

    #[test]
    fn a_wrong_flag_gets_a_stand_in_and_names_its_key() {
        let text = "- id: x\n  idempotent: \"yes\"\n  path: /a\n";
        for column in [3, 15] {
            let (out, key, kind) = leave_out(
                text,
                &at(2, column, "invalid type: string \"yes\", expected true or false"),
            )
            .unwrap();
            assert_eq!(out, "- id: x\n  idempotent: false\n  path: /a\n");
            assert_eq!((key.as_str(), kind), ("idempotent", Kind::WrongValue));
        }
    }

    #[test]
    fn a_first_key_after_a_dash_keeps_the_dash() {
        let text = "- bogus: 1\n  id: x\n";
        let (out, _, _) = leave_out(text, &at(1, 3, "unknown key `bogus`, expected id")).unwrap();
        assert_eq!(out, "-\n  id: x\n");
    }

    #[test]
    fn what_is_not_at_a_key_is_not_recovered() {
        let text = "a: [1, 2\n";
        assert!(leave_out(text, &at(1, 4, "[ is never closed")).is_none());
        assert!(leave_out(text, &at(9, 1, "unknown key `a`")).is_none());
        assert!(leave_out(text, &at(1, 2, "unknown key `zzz`")).is_none());
        assert!(leave_out("a: [x, 5]\n", &at(1, 8, "invalid type: integer `5`")).is_none());
        assert!(leave_out("", &at(0, 0, "unknown key `a`")).is_none());
        let block = "doc: |\n  示例: x\n  more\n";
        assert!(leave_out(block, &at(2, 3, "invalid type: string")).is_none());
        let other = "a:\n  name: [1]\n  b: 2\n";
        let (out, key, kind) = leave_out(other, &at(2, 3, "invalid type: sequence, expected a string")).unwrap();
        assert_eq!(
            (out.as_str(), key.as_str(), kind),
            ("a:\n\n  b: 2\n", "name", Kind::WrongValue)
        );
    }
}
