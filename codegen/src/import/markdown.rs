//! The Markdown the vendor pages are written in, as far as the importer needs it: YAML-ish front
//! matter, headings, pipe tables, fenced code blocks, and the text lines between them.
//!
//! Nothing here knows a vendor; `wecom.rs` and `dingtalk.rs` walk the blocks this returns.

use std::collections::BTreeMap;

/// One page, split into its front matter and its blocks in page order.
#[derive(Debug, Default)]
pub struct Doc {
    /// `key: value` pairs of the front matter, quotes removed.
    pub front: BTreeMap<String, String>,
    /// The body's blocks, in order.
    pub blocks: Vec<Block>,
}

/// One block of the page body.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// `## text`: level and text without the `#`s and emphasis.
    Heading(usize, String),
    /// A pipe table: the header cells, then each row's cells (the `---` line is dropped). Cells are
    /// cleaned with [`clean_cell`] except that line breaks (`<br>`) are kept as `\n`.
    Table {
        header: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    /// A fenced code block: the info string (`json`, often empty) and the text between the fences.
    Code { lang: String, text: String },
    /// Any other non-empty line, trimmed.
    Text(String),
}

/// Parses a page.
pub fn parse(text: &str) -> Doc {
    let mut doc = Doc::default();
    let mut lines = text.lines().peekable();
    if lines.peek().is_some_and(|l| l.trim() == "---") {
        lines.next();
        for line in lines.by_ref() {
            if line.trim() == "---" {
                break;
            }
            if let Some((k, v)) = line.split_once(':') {
                let v = v.trim().trim_matches('"').trim_matches('\'');
                doc.front.insert(k.trim().to_owned(), v.to_owned());
            }
        }
    }
    while let Some(line) = lines.next() {
        let trimmed = line.trim();
        if let Some(info) = trimmed.strip_prefix("```") {
            let mut body = Vec::new();
            for inner in lines.by_ref() {
                if inner.trim_start().starts_with("```") {
                    break;
                }
                body.push(inner);
            }
            doc.blocks.push(Block::Code {
                lang: info.trim().to_owned(),
                text: body.join("\n"),
            });
        } else if trimmed.starts_with('|') {
            let mut table_lines = vec![trimmed];
            while let Some(next) = lines.peek() {
                if !next.trim().starts_with('|') {
                    break;
                }
                table_lines.push(next.trim());
                lines.next();
            }
            doc.blocks.push(table(&table_lines));
        } else if trimmed.starts_with('#') {
            let level = trimmed.chars().take_while(|&c| c == '#').count();
            doc.blocks
                .push(Block::Heading(level, strip_emphasis(trimmed[level..].trim())));
        } else if !trimmed.is_empty() {
            doc.blocks.push(Block::Text(trimmed.to_owned()));
        }
    }
    doc
}

fn table(lines: &[&str]) -> Block {
    let mut rows: Vec<Vec<String>> = lines
        .iter()
        .filter(|l| !is_separator(l))
        .map(|l| split_row(l).iter().map(|c| clean_cell(c)).collect())
        .collect();
    let header = if rows.is_empty() { Vec::new() } else { rows.remove(0) };
    Block::Table { header, rows }
}

fn is_separator(line: &str) -> bool {
    line.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

/// Splits `| a | b \| c |` into cells, honouring `\|` escapes.
fn split_row(line: &str) -> Vec<String> {
    let inner = line.trim().trim_start_matches('|');
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    let mut cells = vec![String::new()];
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                chars.next();
                if let Some(s) = cells.last_mut() {
                    s.push('|');
                }
            }
            '|' => cells.push(String::new()),
            _ => {
                if let Some(s) = cells.last_mut() {
                    s.push(c);
                }
            }
        }
    }
    cells.iter().map(|c| c.trim().to_owned()).collect()
}

/// Cleans one table cell: `\_` escapes, `**bold**`, `[text](link)`, `!!#ff0000 text!!` colour marks,
/// HTML tags; `<br>` becomes `\n`.
pub fn clean_cell(cell: &str) -> String {
    let mut s = cell.to_owned();
    for br in ["</br>", "<br>", "<br/>", "<br />", "</BR>", "<BR>"] {
        s = s.replace(br, "\n");
    }
    s = strip_links(&s);
    s = unescape(&s);
    s = strip_tags(&s);
    for (entity, c) in [
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", "\""),
        ("&nbsp;", " "),
        ("&emsp;", " "),
        ("&amp;", "&"),
    ] {
        s = s.replace(entity, c);
    }
    s = s.replace("!!#ff0000", "").replace("!!", "");
    s = strip_emphasis(&s);
    s.lines()
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_owned()
}

/// Markdown's backslash escapes: a `\` before ASCII punctuation (`\_`, `\[`, `\\`) is dropped.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match chars.peek() {
            Some(&next) if c == '\\' && next.is_ascii_punctuation() => {
                out.push(next);
                chars.next();
            }
            _ => out.push(c),
        }
    }
    out
}

/// `**x**` and `` `x` `` -> `x`.
pub fn strip_emphasis(s: &str) -> String {
    s.replace("**", "").replace('`', "")
}

/// `[text](target "title")` -> `text`.
fn strip_links(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    // The `[` nearest before `](` opens the link: an earlier one is text (`值范围是[0, 2^32)。[成员授权模式](#30245)`).
    while let Some(close) = rest.find("](") {
        let Some(open) = rest[..close].rfind('[') else {
            break;
        };
        let Some(end) = rest[close..].find(')').map(|i| close + i) else {
            break;
        };
        out.push_str(&rest[..open]);
        out.push_str(&rest[open + 1..close]);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(open) = rest.find('<') {
        let tag = &rest[open + 1..];
        let looks_like_tag = tag.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/');
        match rest[open..].find('>') {
            Some(end) if looks_like_tag => {
                out.push_str(&rest[..open]);
                rest = &rest[open + end + 1..];
            }
            _ => {
                out.push_str(&rest[..=open]);
                rest = &rest[open + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The column of a table whose header is one of `names` (after cleaning), if any.
pub fn column(header: &[String], names: &[&str]) -> Option<usize> {
    header.iter().position(|h| names.iter().any(|n| h.trim() == *n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_front_matter_tables_and_code() {
        let doc = parse(
            "---\ntitle: \"T\"\nsource_url: https://x/y\n---\n# Head **b**\n\n| a | b |\n|---|---|\n| x\\_y | [l](u) c</br>d |\n\n```json\n{\"a\": 1}\n```\ntext\n",
        );
        assert_eq!(doc.front["title"], "T");
        assert_eq!(doc.front["source_url"], "https://x/y");
        assert_eq!(doc.blocks[0], Block::Heading(1, "Head b".into()));
        assert_eq!(
            doc.blocks[1],
            Block::Table {
                header: vec!["a".into(), "b".into()],
                rows: vec![vec!["x_y".into(), "l c\nd".into()]]
            }
        );
        assert_eq!(
            doc.blocks[2],
            Block::Code {
                lang: "json".into(),
                text: "{\"a\": 1}".into()
            }
        );
        assert_eq!(doc.blocks[3], Block::Text("text".into()));
    }

    #[test]
    fn escapes_and_entities_are_decoded() {
        assert_eq!(
            clean_cell("不能包括\\\\\\:*?\"&lt;&gt;｜ a\\_b"),
            "不能包括\\:*?\"<>｜ a_b"
        );
    }

    #[test]
    fn a_bracket_before_a_link_is_text() {
        assert_eq!(
            clean_cell("值范围是\\[0, 2^32)。[成员授权模式](#30245)下不返回"),
            "值范围是[0, 2^32)。成员授权模式下不返回"
        );
    }
}
