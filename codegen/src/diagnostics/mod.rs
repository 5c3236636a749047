//! Located errors: `spec/dingtalk/report.yaml:41:9: what is wrong and what would be right`, and
//! [`graphical`], the command line's form of them with the source line shown.

pub mod graphical;

use serde_saphyr::Location;
use std::fmt;

/// One problem in the spec, at a place a person can open in an editor.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// The file, as a path relative to the folder that holds `spec/` (`spec/wecom/checkin.yaml`).
    pub file: String,
    /// 1-based line; 0 when the problem belongs to the whole file.
    pub line: u64,
    /// 1-based column; 0 when the problem belongs to the whole file.
    pub column: u64,
    /// What is wrong, and where possible what would be right.
    pub message: String,
}

impl Diagnostic {
    /// A problem at a YAML location of `file`.
    pub fn at(file: &str, location: &Location, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.to_owned(),
            line: location.line(),
            column: location.column(),
            message: message.into(),
        }
    }

    /// A problem with a whole file (it cannot be read, say).
    pub fn file(file: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.to_owned(),
            line: 0,
            column: 0,
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}:{}:{}: {}", self.file, self.line, self.column, self.message)
        }
    }
}

/// Every problem found in one run, sorted by place so the output reads top to bottom.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Records a problem.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(value)` when nothing was recorded, the sorted problems otherwise.
    pub fn into_result<T>(self, value: T) -> Result<T, Diagnostics> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self.sorted())
        }
    }

    /// The problems in file and line order, each once.
    pub fn sorted(mut self) -> Diagnostics {
        self.0.sort();
        self.0.dedup();
        self
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}
