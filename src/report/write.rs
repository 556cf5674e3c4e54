//! Report files are written whole or not at all: every file goes to a temporary file beside its
//! destination, and only when all are written are they renamed into place. A destination that
//! rmm loaded as input is refused.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

/// Writes every `(path, contents)` pair, or none.
pub fn write_all(files: &[(PathBuf, String)], inputs: &HashSet<PathBuf>) -> anyhow::Result<()> {
    for (path, _) in files {
        refuse_input(path, inputs)?;
    }
    let mut staged = Vec::with_capacity(files.len());
    for (path, contents) in files {
        let parent = parent_of(path);
        let mut temporary = tempfile::Builder::new()
            .prefix(".rmm-")
            .suffix(".rmm-tmp")
            .tempfile_in(parent)
            .with_context(|| {
                format!(
                    "could not write {}: cannot create a file in {}",
                    path.display(),
                    parent.display()
                )
            })?;
        temporary
            .write_all(contents.as_bytes())
            .and_then(|()| match_permissions(temporary.as_file(), path))
            .and_then(|()| temporary.as_file().sync_all())
            .with_context(|| format!("could not write {}", path.display()))?;
        staged.push((temporary, path));
    }
    for (temporary, path) in staged {
        temporary.persist(path).map_err(|error| {
            anyhow::anyhow!("could not write {}: {}", path.display(), error.error)
        })?;
    }
    Ok(())
}

/// Gives the temporary file the destination's permissions when it exists, else readable by all
/// as an editor would create it (temporary files start private).
fn match_permissions(file: &std::fs::File, path: &Path) -> std::io::Result<()> {
    if let Ok(metadata) = std::fs::metadata(path) {
        return file.set_permissions(metadata.permissions());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    Ok(())
}

fn parent_of(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

fn refuse_input(path: &Path, inputs: &HashSet<PathBuf>) -> anyhow::Result<()> {
    if path.is_dir() {
        bail!("could not write {}: it is a directory", path.display());
    }
    let Ok(canonical) = path.canonicalize() else {
        return Ok(());
    };
    if inputs.contains(&canonical) {
        bail!(
            "refusing to write {}: rmm read it as input; choose another --out",
            path.display()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temporaries() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let good = dir.path().join("summary.html");
        std::fs::write(&good, "old report").unwrap_or_default();
        std::fs::create_dir(dir.path().join("summary.csv")).unwrap_or_default();
        let files = vec![
            (good.clone(), "new report".to_string()),
            (dir.path().join("summary.csv"), "a,b".to_string()),
        ];
        assert!(write_all(&files, &HashSet::new()).is_err());
        assert_eq!(
            std::fs::read_to_string(&good).unwrap_or_default(),
            "old report"
        );
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        assert!(
            names.iter().all(|name| !name.ends_with(".rmm-tmp")),
            "{names:?}"
        );
    }

    #[test]
    fn an_input_file_is_never_overwritten() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let input = dir.path().join("rmm.toml");
        std::fs::write(&input, "x").unwrap_or_default();
        let inputs: HashSet<PathBuf> = [input.canonicalize().unwrap_or_default()].into();
        let error = write_all(&[(input.clone(), "y".into())], &inputs)
            .err()
            .map(|e| e.to_string());
        assert!(error.unwrap_or_default().contains("rmm read it as input"));
        assert_eq!(std::fs::read_to_string(&input).unwrap_or_default(), "x");
    }
}
