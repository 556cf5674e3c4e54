//! Finding record files: only the record folders are walked, hidden entries are skipped and
//! counted, symbolic links are followed only while they stay inside the repository, and loops
//! are reported once instead of followed.

use std::path::{Path, PathBuf};

use anyhow::Context;
use walkdir::WalkDir;

use super::WalkStats;
use super::kinds::{KINDS, Kind};
use crate::diag::{Code, Diagnostic};

/// "Too many levels of symbolic links" (`ErrorKind::FilesystemLoop` is not stable yet).
#[cfg(target_os = "linux")]
const ELOOP: i32 = 40;
#[cfg(not(target_os = "linux"))]
const ELOOP: i32 = 62;

pub struct Found {
    pub relative: String,
    pub kind: Kind,
}

pub struct Walked {
    pub files: Vec<Found>,
    pub diagnostics: Vec<Diagnostic>,
    pub stats: WalkStats,
}

pub fn walk(root: &Path) -> anyhow::Result<Walked> {
    let canonical_root = root
        .canonicalize()
        .with_context(|| format!("could not open the repository {}", root.display()))?;
    std::fs::read_dir(&canonical_root)
        .with_context(|| format!("could not read the repository {}", root.display()))?;

    let mut walked = Walked {
        files: Vec::new(),
        diagnostics: Vec::new(),
        stats: WalkStats::default(),
    };
    for (folder, _) in KINDS {
        let start = canonical_root.join(folder);
        if start.is_dir() {
            walk_folder(&canonical_root, &start, &mut walked);
        }
    }
    walked
        .files
        .sort_by(|a, b| crate::source::natural_cmp(&a.relative, &b.relative));
    Ok(walked)
}

fn walk_folder(root: &Path, start: &Path, walked: &mut Walked) {
    let mut entries = WalkDir::new(start)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = entries.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let hidden = error
                    .path()
                    .and_then(Path::file_name)
                    .is_some_and(|name| name.as_encoded_bytes().starts_with(b"."));
                if hidden {
                    walked.stats.skipped_hidden += 1;
                } else {
                    walked.diagnostics.push(walk_error(root, &error));
                }
                continue;
            }
        };
        let path = entry.path();
        let name = entry.file_name().to_string_lossy();
        if entry.depth() > 0 && name.starts_with('.') {
            walked.stats.skipped_hidden += 1;
            if entry.file_type().is_dir() {
                entries.skip_current_dir();
            }
            continue;
        }
        let Some(relative) = relative_path(root, path, walked) else {
            if entry.file_type().is_dir() {
                entries.skip_current_dir();
            }
            continue;
        };
        if entry.path_is_symlink() && !stays_inside(root, path) {
            walked.diagnostics.push(
                Diagnostic::at_path(
                    Code::LinkOutsideRepository,
                    relative,
                    "symbolic link points outside the repository; not followed",
                )
                .with_help("copy the file into the repository instead of linking to it"),
            );
            if entry.file_type().is_dir() {
                entries.skip_current_dir();
            }
            continue;
        }
        if entry.file_type().is_file() {
            add_file(relative, walked);
        }
    }
}

fn add_file(relative: String, walked: &mut Walked) {
    let lower = relative.to_ascii_lowercase();
    let is_yaml = lower.ends_with(".yaml") || lower.ends_with(".yml");
    match Kind::of(&relative) {
        Some(kind) if is_yaml => walked.files.push(Found { relative, kind }),
        _ => walked.stats.skipped_not_yaml += 1,
    }
}

/// The path relative to the root with `/` separators, or a warning when it is not UTF-8.
fn relative_path(root: &Path, path: &Path, walked: &mut Walked) -> Option<String> {
    let relative = path.strip_prefix(root).unwrap_or(path);
    match relative.to_str() {
        Some(text) => Some(text.replace('\\', "/")),
        None => {
            let bytes = relative.as_os_str().as_encoded_bytes().to_ascii_lowercase();
            let is_yaml = bytes.ends_with(b".yaml") || bytes.ends_with(b".yml");
            let mut diagnostic = Diagnostic::at_path(
                Code::NonUtf8Path,
                escape_path(relative),
                if is_yaml {
                    "file name is not valid UTF-8; this record was not loaded"
                } else {
                    "file name is not valid UTF-8; skipped"
                },
            )
            .with_help("rename the file with UTF-8 characters");
            if is_yaml {
                // Data that is not loaded must not pass silently.
                diagnostic.severity = crate::diag::Severity::Error;
            }
            walked.diagnostics.push(diagnostic);
            None
        }
    }
}

fn stays_inside(root: &Path, path: &Path) -> bool {
    path.canonicalize()
        .map(|target| target.starts_with(root))
        .unwrap_or(false)
}

fn walk_error(root: &Path, error: &walkdir::Error) -> Diagnostic {
    let path: PathBuf = error.path().map(Path::to_path_buf).unwrap_or_default();
    let relative = escape_path(path.strip_prefix(root).unwrap_or(&path));
    if let Some(ancestor) = error.loop_ancestor() {
        let ancestor = escape_path(ancestor.strip_prefix(root).unwrap_or(ancestor));
        let ancestor = if ancestor.is_empty() {
            ".".to_string()
        } else {
            ancestor
        };
        return Diagnostic::at_path(
            Code::SymlinkLoop,
            relative,
            format!("symbolic link loops back to {ancestor}; not followed"),
        );
    }
    let is_loop = error
        .io_error()
        .is_some_and(|io| io.raw_os_error() == Some(ELOOP));
    if is_loop {
        return Diagnostic::at_path(
            Code::SymlinkLoop,
            relative,
            "symbolic link loops back on itself; not followed",
        );
    }
    let is_dangling = error
        .io_error()
        .is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound);
    if is_dangling {
        return Diagnostic::at_path(
            Code::LinkOutsideRepository,
            relative,
            "symbolic link points to nothing; not followed",
        );
    }
    Diagnostic::at_path(
        Code::UnreadableFile,
        relative,
        format!(
            "could not read: {}",
            error
                .io_error()
                .map_or_else(|| error.to_string(), |e| e.to_string())
        ),
    )
}

/// A path for display: valid UTF-8 as is, other bytes as `\xNN`.
pub fn escape_path(path: &Path) -> String {
    let bytes = path.as_os_str().as_encoded_bytes();
    let mut out = String::new();
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        for byte in chunk.invalid() {
            out.push_str(&format!("\\x{byte:02X}"));
        }
    }
    out
}
