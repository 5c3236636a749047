//! The cargo features `workapi` needs for a spec: one per vendor, one per module, and each module in
//! its vendor's `-all` feature. `check` compares them with `generated-client/Cargo.toml`, because a
//! module without its feature is silently left out of every build.

use crate::diagnostics::Diagnostic;
use crate::model::Spec;
use std::collections::BTreeMap;

/// The `[features]` table of a manifest: each feature with what it enables. A plain reading of the
/// table's `name = [..]` lines, which is all a features table holds.
pub fn read_features(manifest: &str) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    let mut in_features = false;
    let mut current: Option<(String, String)> = None;
    for line in manifest.lines() {
        let line = line.split('#').next().unwrap_or_default().trim();
        if line.starts_with('[') && current.is_none() {
            in_features = line == "[features]";
            continue;
        }
        if !in_features || line.is_empty() {
            continue;
        }
        let (name, mut text) = match current.take() {
            Some((name, text)) => (name, text + line),
            None => match line.split_once('=') {
                Some((name, rest)) => (name.trim().to_owned(), rest.trim().to_owned()),
                None => continue,
            },
        };
        if !text.ends_with(']') {
            current = Some((name, text));
            continue;
        }
        text = text.trim_start_matches('[').trim_end_matches(']').to_owned();
        let items = text
            .split(',')
            .map(|s| s.trim().trim_matches('"').to_owned())
            .filter(|s| !s.is_empty())
            .collect();
        out.insert(name, items);
    }
    out
}

/// Every feature the spec needs that `manifest` (shown as `manifest_name` in messages) lacks.
pub fn missing_features(spec: &Spec, manifest: &str, manifest_name: &str) -> Vec<Diagnostic> {
    let features = read_features(manifest);
    let mut problems = Vec::new();
    for v in &spec.vendors {
        if !features.contains_key(v.name.as_str()) {
            problems.push(Diagnostic::file(
                &v.core.file,
                format!(
                    "vendor '{}' has no cargo feature `{}` in {manifest_name}",
                    v.name, v.name
                ),
            ));
        }
        let all = format!("{}-all", v.name);
        for m in &v.modules {
            let f = crate::emit::feature(v, m);
            if !features.contains_key(&f) {
                problems.push(Diagnostic::file(
                    &m.file,
                    format!(
                        "module '{}' has no cargo feature in {manifest_name}: add `{f} = [\"{}\"]`, and `\"{f}\"` to `{all}`; without it the module is left out of every build",
                        m.name, v.name
                    ),
                ));
            } else if !features.get(&all).is_some_and(|items| items.contains(&f)) {
                problems.push(Diagnostic::file(
                    &m.file,
                    format!("module '{}': `{all}` in {manifest_name} does not list `{f}`", m.name),
                ));
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_one_line_and_multi_line_features() {
        let f = super::read_features(
            "[package]\nname = \"x\"\n[features]\ndefault = [\"a-all\"]\na = []\na-all = [\n  \"a-m\", # comment\n  \"a-n\",\n]\na-m = [\"a\"]\n[dependencies]\nserde = \"1\"\n",
        );
        assert_eq!(f["a-all"], ["a-m", "a-n"]);
        assert_eq!(f["a-m"], ["a"]);
        assert!(f["a"].is_empty());
        assert!(!f.contains_key("serde"));
    }
}
