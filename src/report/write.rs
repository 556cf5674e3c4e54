//! Report files are written whole or not at all: every file goes to a temporary file beside its
//! destination, and only when all are written are they renamed into place. A destination that
//! rmm loaded as input is refused.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

/// Writes every `(path, contents)` pair, or none.
///
/// A destination that is a symbolic link to a file is written through the link (the link
/// stays); one that is a device, FIFO or socket (`/dev/stdout`, `/dev/null`) is written to
/// directly, since it cannot be replaced, only after every regular file is staged.
pub fn write_all(files: &[(PathBuf, String)], inputs: &HashSet<PathBuf>) -> anyhow::Result<()> {
    let mut regular = Vec::new();
    let mut special = Vec::new();
    for (path, contents) in files {
        refuse_input(path, inputs)?;
        match destination(path)? {
            Destination::Special => special.push((path, contents)),
            Destination::File(target) => regular.push((target, path, contents)),
        }
    }
    let mut staged = Vec::with_capacity(regular.len());
    for (target, shown, contents) in regular {
        staged.push((stage(&target, shown, contents)?, target, shown));
    }
    for (path, contents) in special {
        std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .and_then(|mut file| file.write_all(contents.as_bytes()))
            .with_context(|| format!("could not write {}", path.display()))?;
    }
    for (temporary, target, shown) in staged {
        temporary.persist(&target).map_err(|error| {
            anyhow::anyhow!("could not write {}: {}", shown.display(), error.error)
        })?;
    }
    Ok(())
}

enum Destination {
    /// Where the file goes: the path itself, or the file a symbolic link points to.
    File(PathBuf),
    Special,
}

fn destination(path: &Path) -> anyhow::Result<Destination> {
    let parent = parent_of(path);
    if !parent.is_dir() {
        bail!(
            "could not write {}: the folder {} does not exist",
            path.display(),
            parent.display()
        );
    }
    let Ok(metadata) = std::fs::metadata(path) else {
        return Ok(Destination::File(path.to_path_buf()));
    };
    if metadata.is_dir() {
        bail!("could not write {}: it is a directory", path.display());
    }
    if !metadata.is_file() {
        return Ok(Destination::Special);
    }
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if is_link {
        let target = path
            .canonicalize()
            .with_context(|| format!("could not follow the link {}", path.display()))?;
        return Ok(Destination::File(target));
    }
    Ok(Destination::File(path.to_path_buf()))
}

/// A temporary file beside `target` holding `contents`, not yet renamed into place.
fn stage(target: &Path, shown: &Path, contents: &str) -> anyhow::Result<tempfile::NamedTempFile> {
    let parent = parent_of(target);
    let mut temporary = tempfile::Builder::new()
        .prefix(".rmm-")
        .suffix(".rmm-tmp")
        .tempfile_in(parent)
        .with_context(|| {
            format!(
                "could not write {}: cannot create a file in {}",
                shown.display(),
                parent.display()
            )
        })?;
    temporary
        .write_all(contents.as_bytes())
        .and_then(|()| match_permissions(temporary.as_file(), target))
        .and_then(|()| temporary.as_file().sync_all())
        .with_context(|| format!("could not write {}", shown.display()))?;
    Ok(temporary)
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
    let Ok(canonical) = path.canonicalize() else {
        return Ok(());
    };
    if inputs.contains(&canonical) {
        bail!(
            "refusing to write {}: rmm read it as input; choose another output path",
            path.display()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn links_are_written_through_and_fifos_are_not_replaced() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let real = dir.path().join("real.md");
        std::fs::write(&real, "old").unwrap_or_default();
        let link = dir.path().join("link.md");
        std::os::unix::fs::symlink(&real, &link).unwrap_or_default();
        assert!(write_all(&[(link.clone(), "new".into())], &HashSet::new()).is_ok());
        assert!(std::fs::symlink_metadata(&link).is_ok_and(|m| m.file_type().is_symlink()));
        assert_eq!(std::fs::read_to_string(&real).unwrap_or_default(), "new");

        // /dev/null stays a device.
        assert!(write_all(&[(PathBuf::from("/dev/null"), "x".into())], &HashSet::new()).is_ok());
        let null = std::fs::metadata("/dev/null").map(|m| m.file_type().is_file());
        assert_eq!(null.ok(), Some(false));
    }

    #[test]
    fn a_missing_folder_is_named() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("no/such/report.md");
        let error = write_all(&[(path, "x".into())], &HashSet::new())
            .err()
            .map(|e| e.to_string());
        assert!(error.unwrap_or_default().contains("does not exist"));
    }

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
