//! The file system cases (C07, C08, C16, C19, C20, C35) on trees built at test time.

mod support;

use support::{code, minimal_repo, stderr};

#[test]
fn the_minimal_repository_is_clean() {
    let repo = minimal_repo();
    let output = repo.rmm(&["validate", "--format", "short"]);
    assert_eq!(stderr(&output), "loaded 4 files: 0 errors, 0 warnings\n");
    assert_eq!(code(&output), 0);
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_reported_once_and_not_followed() {
    let repo = minimal_repo();
    std::fs::create_dir_all(repo.join("controls/IAM/sub")).unwrap_or_default();
    std::os::unix::fs::symlink("..", repo.join("controls/IAM/sub/up")).unwrap_or_default();
    std::os::unix::fs::symlink("self", repo.join("controls/IAM/self")).unwrap_or_default();
    std::os::unix::fs::symlink(
        "someone@host.4242:1700000000",
        repo.join("controls/IAM/.#CTL-1.yaml"),
    )
    .unwrap_or_default();
    let started = std::time::Instant::now();
    let output = repo.rmm(&["validate", "--format", "short"]);
    assert!(started.elapsed().as_secs() < 5);
    let text = stderr(&output);
    assert_eq!(text.matches("[symlink-loop]").count(), 2, "{text}");
    assert!(
        text.contains(
            "controls/IAM/sub/up: warning[symlink-loop]: symbolic link loops back to controls/IAM"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "controls/IAM/self: warning[symlink-loop]: symbolic link loops back on itself"
        ),
        "{text}"
    );
    // The dangling lock file is hidden and skipped without a word.
    assert!(text.contains("skipped 1: hidden 1, not YAML 0"), "{text}");
    assert_eq!(code(&output), 0, "{text}");
}

#[cfg(unix)]
#[test]
fn non_utf8_names_are_escaped_and_an_unloaded_record_is_an_error() {
    use std::os::unix::ffi::OsStrExt;
    let repo = minimal_repo();
    std::fs::create_dir_all(repo.join("controls")).unwrap_or_default();
    // Case C19: a Latin-1 name of a file that is not a record: a warning, exit 0.
    let name = std::ffi::OsStr::from_bytes(b"evidence/r\xe9sum\xe9.txt");
    std::fs::write(repo.path().join(name), "x\n").unwrap_or_default();
    let output = repo.rmm(&["validate", "--format", "short"]);
    let text = stderr(&output);
    assert!(
        text.contains("evidence/r\\xE9sum\\xE9.txt: warning[non-utf8-path]"),
        "{text}"
    );
    assert_eq!(code(&output), 0, "{text}");
    // A record that cannot be loaded because of its name must not pass.
    let name = std::ffi::OsStr::from_bytes(b"controls/r\xe9sum\xe9.yaml");
    std::fs::write(repo.path().join(name), "id: X\n").unwrap_or_default();
    let output = repo.rmm(&["validate", "--format", "short"]);
    let text = stderr(&output);
    assert!(text.contains("controls/r\\xE9sum\\xE9.yaml: error[non-utf8-path]: file name is not valid UTF-8; this record was not loaded"), "{text}");
    assert_eq!(code(&output), 1, "{text}");
}

#[cfg(unix)]
#[test]
fn record_links_out_of_the_repository_are_not_followed() {
    let repo = minimal_repo();
    let outside = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(outside.path().join("CTL-9.yaml"), "id: CTL-9\n").unwrap_or_default();
    std::fs::create_dir_all(repo.join("controls")).unwrap_or_default();
    std::os::unix::fs::symlink(
        outside.path().join("CTL-9.yaml"),
        repo.join("controls/CTL-9.yaml"),
    )
    .unwrap_or_default();
    let output = repo.rmm(&["validate", "--format", "short"]);
    let text = stderr(&output);
    assert!(
        text.contains("controls/CTL-9.yaml: warning[link-outside-repository]"),
        "{text}"
    );
    assert_eq!(code(&output), 0, "{text}");
}

#[cfg(unix)]
#[test]
fn evidence_symlinked_out_of_the_repository_is_refused() {
    let repo = minimal_repo();
    std::os::unix::fs::symlink("/etc/hostname", repo.join("artifacts/link-out.md"))
        .unwrap_or_default();
    repo.write(
        "evidence/EV-2.yaml",
        "id: EV-2\ntitle: Linked\nfile: artifacts/link-out.md\ncollected: 2026-01-10\n",
    );
    let output = repo.rmm(&["validate", "--format", "short"]);
    let text = stderr(&output);
    assert!(
        text.contains("evidence/EV-2.yaml:3:7: error[evidence-outside-repository]: evidence path \"artifacts/link-out.md\" resolves outside the repository"),
        "{text}"
    );
    assert_eq!(code(&output), 1);
}

#[test]
fn hidden_folders_are_skipped_and_counted() {
    let repo = minimal_repo();
    repo.write("controls/.drafts/CTL-60.yaml", "id: CTL-60\nbroken: [\n");
    repo.write("controls/notes.md", "# notes\n");
    let output = repo.rmm(&["validate", "--format", "short"]);
    assert_eq!(
        stderr(&output),
        "loaded 4 files; skipped 2: hidden 1, not YAML 1: 0 errors, 0 warnings\n"
    );
    assert_eq!(code(&output), 0);
}

#[test]
fn a_byte_order_mark_is_removed_before_parsing() {
    let repo = minimal_repo();
    repo.write_bytes(
        "process-areas/AM.yaml",
        b"\xEF\xBB\xBF---\nid: AM\nowner: IAM lead\n",
    );
    repo.write_bytes(
        "evidence/EV-1.yaml",
        b"\xEF\xBB\xBFid: EV-1\ntitle: Access review\nfile: artifacts/review.md\ncollected: 2026-01-10\n",
    );
    let output = repo.rmm(&["validate", "--format", "short"]);
    assert_eq!(stderr(&output), "loaded 4 files: 0 errors, 0 warnings\n");
}

#[test]
fn crlf_files_read_like_lf_files_with_the_same_positions() {
    let repo = minimal_repo();
    repo.write(
        "controls/CTL-1.yaml",
        "id: CTL-1\r\ntitle: Reviews\r\nowner: IAM\r\npractices: [AM:SG1.SP9]\r\ndescription: |\r\n  line one\r\n  line two\r\n",
    );
    let output = repo.rmm(&["validate", "--format", "short"]);
    let text = stderr(&output);
    assert!(
        text.starts_with("controls/CTL-1.yaml:4:13: error[unknown-practice]"),
        "{text}"
    );
}

#[test]
fn a_file_over_the_size_limit_is_refused_without_parsing() {
    let repo = minimal_repo();
    repo.write(
        "rmm.toml",
        "[organization]\nname = \"Scratch\"\n[limits]\nmax_file_mib = 1\n[severity]\nprocess-area-undeclared = \"allow\"\n",
    );
    let big = format!("id: CTL-1\ndescription: \"{}\"\n", "x".repeat(2 << 20));
    repo.write("controls/CTL-1.yaml", &big);
    let output = repo.rmm(&["validate", "--format", "short"]);
    let text = stderr(&output);
    assert!(
        text.contains(
            "controls/CTL-1.yaml: error[file-too-large]: file is 2097178 bytes (2.0 MiB), over the limit of 1 MiB"
        ),
        "{text}"
    );
    assert_eq!(code(&output), 1);
}

#[test]
fn an_evidence_file_is_checked_for_existence_without_being_read() {
    // A 2 GiB sparse file: only its metadata is looked at (no sha256 given).
    let repo = minimal_repo();
    let file =
        std::fs::File::create(repo.join("artifacts/huge.bin")).unwrap_or_else(|e| panic!("{e}"));
    file.set_len(2 << 30).unwrap_or_default();
    repo.write(
        "evidence/EV-2.yaml",
        "id: EV-2\ntitle: Huge\nfile: artifacts/huge.bin\ncollected: 2026-01-10\n",
    );
    let started = std::time::Instant::now();
    let output = repo.rmm(&["validate", "--format", "short"]);
    assert!(started.elapsed().as_secs() < 5);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
}

#[test]
fn nothing_the_user_wrote_is_modified() {
    let repo = minimal_repo();
    let before = tree_digest(repo.path());
    for args in [
        vec!["validate"],
        vec!["assess"],
        vec!["assess", "--format", "json"],
        vec!["assess", "--format", "markdown"],
        vec!["check"],
        vec!["check", "--format", "json"],
    ] {
        let _ = repo.rmm(&args);
    }
    assert_eq!(before, tree_digest(repo.path()));
}

/// Every path with its bytes and modification time, in order.
fn tree_digest(root: &std::path::Path) -> Vec<(String, Vec<u8>, Option<std::time::SystemTime>)> {
    let mut entries: Vec<_> = walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .map(|entry| {
            let path = entry.path().to_string_lossy().into_owned();
            let bytes = if entry.file_type().is_file() {
                std::fs::read(entry.path()).unwrap_or_default()
            } else {
                Vec::new()
            };
            let modified = entry.metadata().ok().and_then(|m| m.modified().ok());
            (path, bytes, modified)
        })
        .collect();
    entries.sort();
    entries
}

/// Runs rmm as an unprivileged user when the tests run as root (root reads every file), so
/// that permissions apply; `None` when that is not possible here.
#[cfg(unix)]
fn rmm_unprivileged(dir: &std::path::Path, args: &[&str]) -> Option<std::process::Output> {
    let is_root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    let mut command = if is_root {
        let mut command = std::process::Command::new("setpriv");
        command.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"]);
        command.arg(env!("CARGO_BIN_EXE_rmm"));
        command
    } else {
        std::process::Command::new(env!("CARGO_BIN_EXE_rmm"))
    };
    command
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .ok()
}

#[cfg(unix)]
#[test]
fn unreadable_files_and_folders_are_findings_not_crashes() {
    use std::os::unix::fs::PermissionsExt;
    let repo = minimal_repo();
    let open = |path: &std::path::Path, mode: u32| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap_or_default();
    };
    // Everything readable by others, then one file and one folder that are not.
    for entry in walkdir::WalkDir::new(repo.path())
        .into_iter()
        .filter_map(Result::ok)
    {
        open(
            entry.path(),
            if entry.file_type().is_dir() {
                0o755
            } else {
                0o644
            },
        );
    }
    repo.write("controls/CTL-1.yaml", "id: CTL-1\ntitle: T\nowner: O\n");
    open(&repo.join("controls/CTL-1.yaml"), 0o000);
    repo.write(
        "controls/locked/CTL-2.yaml",
        "id: CTL-2\ntitle: T\nowner: O\n",
    );
    open(&repo.join("controls/locked"), 0o000);
    let Some(output) = rmm_unprivileged(repo.path(), &["validate", "--format", "short"]) else {
        eprintln!("skipped: cannot run as an unprivileged user here");
        return;
    };
    let text = String::from_utf8_lossy(&output.stderr);
    if text.contains("Operation not permitted") {
        eprintln!("skipped: setpriv is not permitted here");
        return;
    }
    assert!(
        text.contains("controls/CTL-1.yaml: error[unreadable-file]: could not read the file"),
        "{text}"
    );
    assert!(
        text.contains("controls/locked: error[unreadable-file]: could not read"),
        "{text}"
    );
    assert_eq!(output.status.code(), Some(1), "{text}");
    open(&repo.join("controls/locked"), 0o755);
}
