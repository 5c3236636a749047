//! The spec folder as it was at a git revision, written into a temporary folder that is removed
//! when dropped. Uses the `git` command (`rev-parse`, `ls-tree`, `cat-file`), so no checkout or
//! working-tree change is involved.

use super::DiffError;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Files larger than this are refused: spec files are a few kilobytes, and a diff should not read
/// whatever a revision happens to hold into memory.
const MAX_FILE_BYTES: u64 = 8 << 20;
/// More files than this under `spec/` is surely the wrong folder.
const MAX_FILES: usize = 10_000;

/// A temporary copy of the spec folder at a revision; removed on drop.
#[derive(Debug)]
pub struct SpecAtRevision {
    dir: PathBuf,
}

impl SpecAtRevision {
    /// The folder holding the vendor folders, as `spec/` does.
    pub fn path(&self) -> &Path {
        &self.dir
    }
}

impl Drop for SpecAtRevision {
    fn drop(&mut self) {
        // Best effort: a leftover folder in the temp dir is harmless.
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Writes `spec_dir` (a folder of the working tree) as it is at `rev` into a temporary folder.
pub fn spec_at(rev: &str, spec_dir: &Path) -> Result<SpecAtRevision, DiffError> {
    if rev.starts_with('-') || rev.is_empty() {
        return Err(DiffError::Git(format!("{rev:?} is not a revision")));
    }
    let io = |path: &Path| {
        let path = path.display().to_string();
        move |source| DiffError::Io { path, source }
    };
    let spec_abs = spec_dir.canonicalize().map_err(io(spec_dir))?;
    let root = git(&spec_abs, &["rev-parse", "--show-toplevel"])?;
    let root = PathBuf::from(String::from_utf8_lossy(&root).trim());
    let root = root.canonicalize().map_err(io(&root))?;
    let rel = spec_abs.strip_prefix(&root).map_err(|_| {
        DiffError::Git(format!(
            "{} is not inside the repository {}",
            spec_abs.display(),
            root.display()
        ))
    })?;
    let rel = rel.to_string_lossy().replace('\\', "/");
    let pathspec = if rel.is_empty() { "." } else { rel.as_str() };
    let commit = git(
        &root,
        &["rev-parse", "--verify", "--quiet", &format!("{rev}^{{commit}}")],
    )
    .map_err(|_| DiffError::Git(format!("no commit {rev:?} in {}", root.display())))?;
    let commit = String::from_utf8_lossy(&commit).trim().to_owned();
    // `-l` gives each blob's size, so a large one is refused before it is read.
    let listing = git(&root, &["ls-tree", "-r", "-l", "-z", &commit, "--", pathspec])?;
    let out = SpecAtRevision { dir: fresh_dir()? };
    let mut files = 0;
    for entry in listing.split(|&b| b == 0).filter(|e| !e.is_empty()) {
        let entry = String::from_utf8_lossy(entry);
        let Some((meta, path)) = entry.split_once('\t') else {
            return Err(DiffError::Git(format!("unexpected ls-tree line {entry:?}")));
        };
        let meta: Vec<&str> = meta.split_whitespace().collect();
        let [_mode, kind, object, size] = meta[..] else {
            return Err(DiffError::Git(format!("unexpected ls-tree line {entry:?}")));
        };
        if kind != "blob" {
            continue;
        }
        files += 1;
        if files > MAX_FILES {
            return Err(DiffError::Git(format!(
                "{rel} at {rev} holds more than {MAX_FILES} files"
            )));
        }
        if size.parse::<u64>().map_or(true, |s| s > MAX_FILE_BYTES) {
            return Err(DiffError::Git(format!(
                "{path} at {rev} is larger than {MAX_FILE_BYTES} bytes"
            )));
        }
        let inner = path.strip_prefix(rel.as_str()).unwrap_or(path).trim_start_matches('/');
        // Written only below the temp folder: no `..`, no absolute or empty part.
        if inner.split('/').any(|part| part == ".." || part.is_empty()) {
            return Err(DiffError::Git(format!("unexpected path {path:?} at {rev}")));
        }
        let target = out.dir.join(inner);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        let bytes = git(&root, &["cat-file", "blob", object])?;
        std::fs::write(&target, bytes).map_err(io(&target))?;
    }
    if files == 0 {
        return Err(DiffError::Git(format!("{rel} does not exist at {rev}")));
    }
    Ok(out)
}

fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, DiffError> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| DiffError::Git(format!("cannot run git: {e}")))?;
    if !output.status.success() {
        let err = String::from_utf8_lossy(&output.stderr);
        return Err(DiffError::Git(format!("git {} failed: {}", args.join(" "), err.trim())));
    }
    Ok(output.stdout)
}

/// A new, empty folder under the system's temp dir, named so that concurrent runs do not meet.
fn fresh_dir() -> Result<PathBuf, DiffError> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    for attempt in 0..100u32 {
        let dir = std::env::temp_dir().join(format!("workapi-diff-{}-{nanos}-{attempt}", std::process::id()));
        match std::fs::create_dir(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(source) => {
                return Err(DiffError::Io {
                    path: dir.display().to_string(),
                    source,
                });
            }
        }
    }
    Err(DiffError::Git("cannot make a temporary folder".into()))
}
