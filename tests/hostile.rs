//! Hostile input: whatever is committed, rmm ends with 0, 1 or 2 and a message, within bounded
//! time and memory, and never changes a file it reads (cases C33, C35 and a mutation test).

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::{code, minimal_repo, stderr};

/// Runs rmm under a 2 GiB address-space limit and a time limit; returns (exit code, stderr).
fn bounded(dir: &Path, args: &[&str], limit: Duration) -> (i32, String) {
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg("ulimit -v 2097152; exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_rmm"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut child = command.spawn().unwrap_or_else(|e| panic!("spawn: {e}"));
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap_or_else(|e| panic!("wait: {e}")) {
            let mut text = String::new();
            if let Some(mut pipe) = child.stderr.take() {
                let _ = std::io::Read::read_to_string(&mut pipe, &mut text);
            }
            return (status.code().unwrap_or(-1), text);
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("rmm {args:?} ran past {limit:?} in {}", dir.display());
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn an_alias_bomb_is_refused_and_the_run_goes_on() {
    let repo = minimal_repo();
    let mut bomb = String::from(
        "id: CTL-90\ntitle: Bomb\nowner: O\ndescription:\n  l0: &l0 [ok, ok, ok, ok, ok, ok, ok, ok, ok, ok]\n",
    );
    for level in 1..10 {
        let previous = vec![format!("*l{}", level - 1); 10].join(", ");
        bomb.push_str(&format!("  l{level}: &l{level} [{previous}]\n"));
    }
    repo.write("controls/CTL-90.yaml", &bomb);
    let (code, text) = bounded(
        repo.path(),
        &["validate", "--format", "short"],
        Duration::from_secs(20),
    );
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("controls/CTL-90.yaml:"), "{text}");
    assert!(
        text.ends_with("loaded 5 files: 1 error, 0 warnings\n"),
        "{text}"
    );
}

#[test]
fn deeply_nested_flow_collections_are_refused_quickly() {
    let repo = minimal_repo();
    let n = 16_000;
    repo.write(
        "controls/CTL-91.yaml",
        &format!("id: {}{}\n", "{\"\":[".repeat(n), "]}".repeat(n)),
    );
    let (code, text) = bounded(
        repo.path(),
        &["validate", "--format", "short"],
        Duration::from_secs(20),
    );
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("controls/CTL-91.yaml:1:5: error["), "{text}");
}

#[test]
fn two_hundred_thousand_answers_are_summarised_not_listed() {
    let repo = minimal_repo();
    let mut sheet = String::from("answers:\n");
    for index in 0..200_000 {
        sheet.push_str(&format!("  AM:SG{index}.SP1: {{status: performed}}\n"));
    }
    repo.write("assessments/2026-q1/big.yaml", &sheet);
    let (code, text) = bounded(
        repo.path(),
        &["validate", "--format", "short"],
        Duration::from_secs(60),
    );
    assert_eq!(code, 1);
    assert!(
        text.contains("assessments/2026-q1/big.yaml:1:1: error[unknown-goal]: 199899 more unknown-goal findings in this file are not shown (only the first 100 are)"),
        "{}",
        &text[..text.len().min(2000)]
    );
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let relative = entry.path().strip_prefix(from).unwrap_or(entry.path());
        let target = to.join(relative);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap_or_default();
        } else {
            std::fs::copy(entry.path(), &target).unwrap_or_default();
        }
    }
}

fn yaml_files(root: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .map(walkdir::DirEntry::into_path)
        .filter(|path| path.extension().is_some_and(|e| e == "yaml") || path.ends_with("rmm.toml"))
        .collect();
    files.sort();
    files
}

/// One random corruption: bytes flipped, a line deleted or duplicated, or a field renamed.
fn corrupt(text: &[u8], random: &mut fastrand::Rng) -> Vec<u8> {
    let mut bytes = text.to_vec();
    let lines: Vec<&[u8]> = text.split_inclusive(|b| *b == b'\n').collect();
    match random.u8(0..4) {
        0 if !bytes.is_empty() => {
            for _ in 0..random.usize(1..4) {
                let at = random.usize(..bytes.len());
                bytes[at] ^= 1 << random.u8(0..8);
            }
            bytes
        }
        1 if !lines.is_empty() => {
            let drop = random.usize(..lines.len());
            lines
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != drop)
                .flat_map(|(_, l)| l.iter().copied())
                .collect()
        }
        2 if !lines.is_empty() => {
            let twice = random.usize(..lines.len());
            lines
                .iter()
                .enumerate()
                .flat_map(|(i, l)| {
                    if i == twice {
                        [*l, *l].concat()
                    } else {
                        l.to_vec()
                    }
                })
                .collect()
        }
        _ => {
            let text = String::from_utf8_lossy(text);
            let fields = [
                "id:",
                "title:",
                "owner:",
                "evidence:",
                "status:",
                "date:",
                "answers:",
                "file:",
                "name =",
            ];
            let names = [
                "idd:",
                "titel:",
                "ownr:",
                "evidance:",
                "state:",
                "dated:",
                "answer:",
                "path:",
                "nam =",
            ];
            let pick = random.usize(..fields.len());
            text.replacen(fields[pick], names[random.usize(..names.len())], 1)
                .into_bytes()
        }
    }
}

#[test]
fn random_corruption_of_the_example_never_crashes_or_hangs() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/tidewater-bank");
    let scratch = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    copy_tree(&example, scratch.path());
    let files = yaml_files(scratch.path());
    let mut random = fastrand::Rng::with_seed(20261203);
    let commands: [&[&str]; 3] = [
        &["validate", "--format", "short"],
        &["assess", "--format", "json"],
        &["report", "--format", "html"],
    ];
    for round in 0..40 {
        let victims: Vec<&PathBuf> = (0..random.usize(1..4))
            .map(|_| &files[random.usize(..files.len())])
            .collect();
        let originals: Vec<Vec<u8>> = victims
            .iter()
            .map(|p| std::fs::read(p).unwrap_or_default())
            .collect();
        for (path, original) in victims.iter().zip(&originals) {
            std::fs::write(path, corrupt(original, &mut random)).unwrap_or_default();
        }
        for args in commands {
            let (code, text) = bounded(scratch.path(), args, Duration::from_secs(30));
            assert!(
                matches!(code, 0..=2),
                "round {round} {args:?}: exit {code}\n{text}"
            );
            assert!(!text.contains("panicked"), "round {round} {args:?}: {text}");
            if code != 0 {
                assert!(
                    !text.trim().is_empty(),
                    "round {round} {args:?}: exit {code} without a message"
                );
            }
        }
        for (path, original) in victims.iter().zip(&originals) {
            std::fs::write(path, original).unwrap_or_default();
        }
    }
}

#[test]
fn no_command_changes_the_example_tree() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/tidewater-bank");
    let scratch = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    copy_tree(&example, scratch.path());
    let before = digest(scratch.path());
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out_dir = out.path().to_string_lossy().into_owned();
    for args in [
        vec!["validate"],
        vec!["validate", "--format", "github"],
        vec!["assess", "--format", "markdown"],
        vec!["check", "--max-gap", "0"],
        vec![
            "report",
            "--format",
            "md,html,csv,json",
            "--out-dir",
            &out_dir,
        ],
        vec!["framework", "show", "cert-rmm-1.2", "--dir", "."],
    ] {
        let output = support::rmm_in(scratch.path(), &args);
        assert!(
            matches!(code(&output), 0 | 1),
            "{args:?}: {}",
            stderr(&output)
        );
    }
    assert_eq!(before, digest(scratch.path()));
}

fn digest(root: &Path) -> Vec<(PathBuf, Vec<u8>, Option<std::time::SystemTime>)> {
    walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .map(|entry| {
            let bytes = if entry.file_type().is_file() {
                std::fs::read(entry.path()).unwrap_or_default()
            } else {
                Vec::new()
            };
            let modified = entry.metadata().ok().and_then(|m| m.modified().ok());
            (entry.into_path(), bytes, modified)
        })
        .collect()
}

#[test]
fn thousands_of_files_need_few_open_file_descriptors() {
    // Case C35 c): files are opened one at a time, so a low descriptor limit is enough.
    let repo = minimal_repo();
    for index in 0..3000 {
        let id = format!("EV-{index:05}");
        repo.write(&format!("artifacts/many/{id}.md"), "x\n");
        repo.write(
            &format!("evidence/many/{id}.yaml"),
            &format!("id: {id}\ntitle: T\nfile: artifacts/many/{id}.md\ncollected: 2026-01-10\n"),
        );
    }
    let output = Command::new("sh")
        .arg("-c")
        .arg("ulimit -n 64; exec \"$0\" validate --format short")
        .arg(env!("CARGO_BIN_EXE_rmm"))
        .current_dir(repo.path())
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "loaded 3004 files: 0 errors, 0 warnings\n"
    );
    assert_eq!(output.status.code(), Some(0));
}
