//! Scratch repositories for tests that build trees git cannot hold (links, odd names).

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

pub struct Repo {
    pub dir: tempfile::TempDir,
}

/// A valid repository: AM in scope, every AM practice performed with evidence.
pub fn minimal_repo() -> Repo {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let repo = Repo { dir };
    repo.write(
        "rmm.toml",
        "[organization]\nname = \"Scratch\"\n\n[targets]\ndefault = \"CL2\"\n\n[severity]\nprocess-area-undeclared = \"allow\"\n",
    );
    repo.write("process-areas/AM.yaml", "id: AM\nowner: IAM lead\n");
    repo.write(
        "evidence/EV-1.yaml",
        "id: EV-1\ntitle: Access review\nfile: artifacts/review.md\ncollected: 2026-01-10\nvalid_for: P1Y\n",
    );
    repo.write("artifacts/review.md", "# Access review\n");
    repo.write(
        "assessments/2026-q1/assessment.yaml",
        "id: 2026-q1\ndate: 2026-03-01\nassessors: [A. Assessor]\nscope: [AM]\n",
    );
    let mut answers = String::from("answers:\n");
    let practices = (1..=4)
        .map(|n| format!("AM:SG1.SP{n}"))
        .chain((1..=10).map(|n| format!("AM:GG2.GP{n}")))
        .chain((1..=2).map(|n| format!("AM:GG3.GP{n}")));
    for practice in practices {
        answers.push_str(&format!(
            "  {practice}: {{status: performed, evidence: [EV-1]}}\n"
        ));
    }
    repo.write("assessments/2026-q1/AM.yaml", &answers);
    repo
}

impl Repo {
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn join(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    pub fn write(&self, relative: &str, text: &str) {
        self.write_bytes(relative, text.as_bytes());
    }

    pub fn write_bytes(&self, relative: &str, bytes: &[u8]) {
        let path = self.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("mkdir: {e}"));
        }
        std::fs::write(path, bytes).unwrap_or_else(|e| panic!("write {relative}: {e}"));
    }

    pub fn rmm(&self, args: &[&str]) -> Output {
        rmm_in(self.path(), args)
    }
}

pub fn rmm_in(dir: &Path, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_rmm"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap_or_else(|e| panic!("run rmm: {e}"))
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn code(output: &Output) -> i32 {
    output.status.code().unwrap_or(-1)
}
