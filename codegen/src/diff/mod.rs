//! `workapi-codegen diff`: the semantic difference between two spec folders, each change classed
//! by what it means to a user of the `workapi` crate, with a suggested version bump.
//!
//! [`changes`] says what a change is, `vendors` compares vendors and endpoints, `events` pushed
//! events, `fields` walks requests, responses and event structs, `paging` compares how endpoints
//! page, `docs` what only rustdoc shows, [`render`] writes Markdown for a pull-request comment or
//! JSON, and [`git`] extracts `spec/` at a revision.

pub mod changes;
mod docs;
mod events;
mod fields;
pub mod git;
mod paging;
pub mod render;
mod vendors;

pub use changes::{Change, Class, Kind};
pub use vendors::compare;

use crate::Diagnostics;
use serde::Serialize;
use std::path::Path;

/// Why a diff could not be made.
#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    /// One of the two spec folders does not load; a diff needs both resolved.
    #[error("the {side} spec ({dir}) does not load:\n{problems}")]
    Load {
        /// `old` or `new`.
        side: &'static str,
        /// The folder.
        dir: String,
        /// What is wrong with it.
        problems: Diagnostics,
    },
    /// Git could not give the spec at a revision.
    #[error("git: {0}")]
    Git(String),
    /// A file or folder could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: String,
        /// What went wrong.
        source: std::io::Error,
    },
}

/// The version bump a set of changes calls for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bump {
    /// Nothing a user can notice.
    None,
    /// `x.y.Z`
    Patch,
    /// `x.Y.0`
    Minor,
    /// `X.0.0`
    Major,
}

/// A suggested version bump with the rule that gave it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    /// The bump.
    pub bump: Bump,
    /// The version the old spec was released as.
    pub from: String,
    /// The version to release the new spec as, when `from` is `MAJOR.MINOR.PATCH`.
    pub to: Option<String>,
    /// Why, in a sentence.
    pub reason: String,
}

impl Suggestion {
    /// The bump for `changes`, released after `current` (`0.1.0`). Cargo's rules: before 1.0 a
    /// breaking change bumps the minor version and anything else the patch version.
    pub fn for_changes(changes: &[Change], current: &str) -> Suggestion {
        let has = |c: Class| changes.iter().any(|x| x.class == c);
        let version: Option<[u64; 3]> = {
            let core = current.split(['-', '+']).next().unwrap_or_default();
            let parts: Vec<Option<u64>> = core.split('.').map(|p| p.parse().ok()).collect();
            match parts[..] {
                [Some(a), Some(b), Some(c)] => Some([a, b, c]),
                _ => None,
            }
        };
        let zero = version.is_none_or(|[major, ..]| major == 0);
        let (bump, reason) = if has(Class::Breaking) {
            if zero {
                (
                    Bump::Minor,
                    "breaking changes; while workapi is 0.x a breaking change bumps the minor version \
                     (from 1.0 on it would be the major)",
                )
            } else {
                (Bump::Major, "breaking changes bump the major version")
            }
        } else if has(Class::Behaviour) {
            (
                Bump::Minor,
                "no breaking change, but behaviour changes (calls that worked may fail or act differently); \
                 a minor bump lets users opt in",
            )
        } else if has(Class::Compatible) {
            if zero {
                (
                    Bump::Patch,
                    "compatible changes only; while workapi is 0.x Cargo takes a patch bump as compatible",
                )
            } else {
                (Bump::Minor, "compatible additions bump the minor version")
            }
        } else {
            (Bump::None, "no semantic change")
        };
        let to = version.map(|[a, b, c]| match bump {
            Bump::None => format!("{a}.{b}.{c}"),
            Bump::Patch => format!("{a}.{b}.{}", c + 1),
            Bump::Minor => format!("{a}.{}.0", b + 1),
            Bump::Major => format!("{}.0.0", a + 1),
        });
        Suggestion {
            bump,
            from: current.to_owned(),
            to,
            reason: reason.to_owned(),
        }
    }
}

/// The changes between two specs and the bump they call for.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Every change, breaking first, then behaviour, then compatible; in spec order within each.
    pub changes: Vec<Change>,
    /// The suggested version bump.
    pub bump: Suggestion,
}

impl Report {
    /// The report of the changes from `old` to `new`; `current` is the version `old` was released as.
    pub fn new(old: &crate::model::Spec, new: &crate::model::Spec, current: &str) -> Report {
        let mut changes = compare(old, new);
        changes.sort_by_key(|c| c.class);
        let bump = Suggestion::for_changes(&changes, current);
        Report { changes, bump }
    }

    /// How many changes are of this class.
    pub fn count(&self, class: Class) -> usize {
        self.changes.iter().filter(|c| c.class == class).count()
    }

    /// Whether any change breaks code written against the old client.
    pub fn is_breaking(&self) -> bool {
        self.count(Class::Breaking) > 0
    }

    /// The command's exit code: 1 when something breaks, unless breaking changes are allowed.
    pub fn exit_code(&self, allow_breaking: bool) -> u8 {
        u8::from(self.is_breaking() && !allow_breaking)
    }
}

/// Loads both folders and reports the changes from `old` to `new`.
pub fn compare_dirs(old: &Path, new: &Path, current: &str) -> Result<Report, DiffError> {
    let load = |side: &'static str, dir: &Path| {
        crate::load(dir).map_err(|problems| DiffError::Load {
            side,
            dir: dir.display().to_string(),
            problems,
        })
    };
    let (o, n) = (load("old", old)?, load("new", new)?);
    Ok(Report::new(&o, &n, current))
}

/// What to compare.
#[derive(Debug, Clone, Copy)]
pub enum Against<'a> {
    /// Two spec folders: old, new.
    Dirs(&'a Path, &'a Path),
    /// The spec folder at a git revision (old) against the same folder in the working tree (new).
    Base {
        /// The revision (`origin/main`, a commit).
        rev: &'a str,
        /// The working tree's spec folder.
        spec_dir: &'a Path,
    },
}

/// Loads what `against` names and reports the changes; `released` is the version the old spec
/// shipped in.
pub fn run(against: Against<'_>, released: &str) -> Result<Report, DiffError> {
    match against {
        Against::Dirs(old, new) => compare_dirs(old, new, released),
        Against::Base { rev, spec_dir } => {
            let old = git::spec_at(rev, spec_dir)?;
            compare_dirs(old.path(), spec_dir, released)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(class: Class) -> Change {
        Change {
            class,
            kind: Kind::FieldAdded,
            vendor: "v".into(),
            module: None,
            endpoint: None,
            at: None,
            old: None,
            new: None,
            reason: String::new(),
        }
    }

    #[test]
    fn the_bump_follows_cargo_rules_before_and_after_1_0() {
        let bump = |classes: &[Class], v: &str| {
            let changes: Vec<Change> = classes.iter().map(|&c| change(c)).collect();
            let s = Suggestion::for_changes(&changes, v);
            (s.bump, s.to)
        };
        let breaking = [Class::Compatible, Class::Breaking];
        assert_eq!(bump(&breaking, "0.4.2"), (Bump::Minor, Some("0.5.0".into())));
        assert_eq!(bump(&breaking, "1.4.2"), (Bump::Major, Some("2.0.0".into())));
        assert_eq!(bump(&[Class::Behaviour], "1.4.2"), (Bump::Minor, Some("1.5.0".into())));
        assert_eq!(bump(&[Class::Compatible], "0.4.2"), (Bump::Patch, Some("0.4.3".into())));
        assert_eq!(
            bump(&[Class::Compatible], "1.4.2-rc.1"),
            (Bump::Minor, Some("1.5.0".into()))
        );
        assert_eq!(bump(&[], "0.4.2"), (Bump::None, Some("0.4.2".into())));
        // An unreadable version: 0.x rules, no target version.
        assert_eq!(bump(&breaking, "next"), (Bump::Minor, None));
    }
}
