//! Loading: walk the record folders of a repository, read and parse every YAML file on all
//! cores, and keep each file's text for diagnostics. Nothing here resolves references.

pub mod kinds;
pub mod records;
mod walk;

use std::path::Path;

use rayon::prelude::*;

use crate::diag::{Code, Diagnostic};
use crate::source::{FileId, SourceFile, SourceMap, Span};
pub use kinds::Kind;
pub use records::Record;
pub use walk::escape_path;

/// A parsed file and the kind its folder gave it.
#[derive(Debug)]
pub struct LoadedRecord {
    pub file: FileId,
    pub kind: Kind,
    pub record: Record,
}

/// What the walk found and what it left out, for the summary line.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize)]
pub struct WalkStats {
    /// YAML files read from the record folders (whether or not they parse).
    pub loaded: usize,
    /// Files and folders whose name starts with a dot (editor lock files, drafts).
    pub skipped_hidden: usize,
    /// Files in record folders that are not YAML (`.md` notes, for example).
    pub skipped_not_yaml: usize,
}

#[derive(Debug, Default)]
pub struct Loaded {
    pub sources: SourceMap,
    pub records: Vec<LoadedRecord>,
    pub diagnostics: Vec<Diagnostic>,
    pub stats: WalkStats,
}

/// Limits that keep a run bounded whatever is committed.
#[derive(Debug, Clone, Copy)]
pub struct LoadLimits {
    pub max_file_bytes: u64,
}

/// Loads every record file under `root`.
pub fn load(root: &Path, limits: LoadLimits) -> anyhow::Result<Loaded> {
    let walked = walk::walk(root)?;
    let mut loaded = Loaded {
        diagnostics: walked.diagnostics,
        stats: walked.stats,
        ..Loaded::default()
    };

    let results: Vec<(SourceFile, Result<Record, Box<Diagnostic>>)> = walked
        .files
        .par_iter()
        .enumerate()
        .map(|(index, found)| {
            let id = FileId(u32::try_from(index).unwrap_or(u32::MAX));
            read_and_parse(root, &found.relative, found.kind, id, limits)
        })
        .collect();

    for ((source, result), found) in results.into_iter().zip(&walked.files) {
        let file = loaded.sources.add(source);
        match result {
            Ok(record) => loaded.records.push(LoadedRecord {
                file,
                kind: found.kind,
                record,
            }),
            Err(diagnostic) => loaded.diagnostics.push(*diagnostic),
        }
    }
    loaded.stats.loaded = walked.files.len();
    Ok(loaded)
}

/// Reads one file and parses it; the text is kept even when parsing fails.
fn read_and_parse(
    root: &Path,
    relative: &str,
    kind: Kind,
    id: FileId,
    limits: LoadLimits,
) -> (SourceFile, Result<Record, Box<Diagnostic>>) {
    let empty = || SourceFile::new(relative.to_string(), String::new());
    let bytes = match read_bounded(&root.join(relative), limits.max_file_bytes) {
        Ok(bytes) => bytes,
        Err(diagnostic) => {
            let mut diagnostic = *diagnostic;
            diagnostic.path = Some(relative.to_string());
            return (empty(), Err(Box::new(diagnostic)));
        }
    };
    match decode(bytes, relative, id) {
        Ok(source) => {
            let result = kind.parse(&source, id);
            (source, result)
        }
        Err((source, diagnostic)) => (source, Err(diagnostic)),
    }
}

fn read_bounded(path: &Path, max_bytes: u64) -> Result<Vec<u8>, Box<Diagnostic>> {
    let unreadable = |error: std::io::Error| {
        Box::new(Diagnostic::at_path(
            Code::UnreadableFile,
            "",
            format!("could not read the file: {error}"),
        ))
    };
    let size = std::fs::metadata(path).map_err(unreadable)?.len();
    if size > max_bytes {
        return Err(Box::new(
            Diagnostic::at_path(
                Code::FileTooLarge,
                "",
                format!(
                    "file is {size} bytes ({:.1} MiB), over the limit of {} MiB",
                    size as f64 / f64::from(1u32 << 20),
                    max_bytes >> 20
                ),
            )
            .with_help("split the file, or raise [limits] max_file_mib in rmm.toml"),
        ));
    }
    std::fs::read(path).map_err(unreadable)
}

/// UTF-8 text with one leading byte-order mark removed.
fn decode(
    mut bytes: Vec<u8>,
    relative: &str,
    id: FileId,
) -> Result<SourceFile, (SourceFile, Box<Diagnostic>)> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(relative.to_string(), text)),
        Err(error) => {
            let valid = error.utf8_error().valid_up_to();
            let bytes = error.into_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..valid]).into_owned();
            let source = SourceFile::new(relative.to_string(), prefix);
            let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
            let message = if utf16 {
                "the file is UTF-16 encoded; rmm reads UTF-8".to_string()
            } else {
                format!("invalid UTF-8 byte 0x{:02X}", bytes[valid])
            };
            let diagnostic =
                Diagnostic::new(Code::InvalidUtf8, Span::new(id, valid..valid), message)
                    .with_help("save the file as UTF-8");
            Err((source, Box::new(diagnostic)))
        }
    }
}
