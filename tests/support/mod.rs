//! Scratch repositories for tests that build trees git cannot hold (links, odd names).

#![allow(dead_code)]

use std::collections::BTreeMap;
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

fn report(dir: &Path, format: &str, extra: &[&str]) -> String {
    let mut args = vec!["report", "--format", format];
    args.extend_from_slice(extra);
    let output = rmm_in(dir, &args);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    stdout(&output)
}

/// Renders JSON, CSV (areas), Markdown and HTML for the repository at `dir` and checks that
/// every process area shows the same level, target, gap and percentage in all four.
pub fn formats_agree(dir: &Path, areas_expected: usize) {
    let json: serde_json::Value =
        serde_json::from_str(&report(dir, "json", &[])).unwrap_or_else(|e| panic!("{e}"));
    let csv = report(dir, "csv", &["--csv-table", "areas"]);
    let markdown = report(dir, "md", &[]);
    let html = scraper::Html::parse_document(&report(dir, "html", &[]));

    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().filter_map(Result::ok).collect();
    let row_selector = scraper::Selector::parse("tr.area-row").unwrap_or_else(|e| panic!("{e}"));
    let html_rows: BTreeMap<String, Vec<String>> = html
        .select(&row_selector)
        .map(|row| {
            let cells: Vec<String> = row
                .text()
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(String::from)
                .collect();
            (
                row.value()
                    .attr("data-area")
                    .unwrap_or_default()
                    .to_string(),
                cells,
            )
        })
        .collect();
    assert_eq!(html_rows.len(), areas_expected);

    let areas = json["process_areas"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(areas.len(), areas_expected);
    for (area, row) in areas.iter().zip(&rows) {
        let id = area["id"].as_str().unwrap_or_default();
        let status = area["status"].as_str().unwrap_or_default();
        let scored = status == "evaluated" || status == "not-evaluated";
        let level = area["level"]["id"].as_str();
        let target = area["target"]["id"].as_str();
        let gap = area["gap"].as_u64().map(|gap| gap.to_string());
        let percent = area["performed_percent"]
            .as_f64()
            .map(|p| format!("{p:.1}"));
        let state = level.map_or_else(|| status.replace('-', " "), str::to_string);

        // CSV: empty cells for no value.
        assert_eq!(&row[1], id);
        let csv_percent = percent.clone().filter(|_| scored).unwrap_or_default();
        assert_eq!(
            (&row[6], &row[7], &row[8], &row[11]),
            (
                level.unwrap_or(""),
                target.unwrap_or(""),
                gap.as_deref().unwrap_or(""),
                csv_percent.as_str()
            ),
            "{id} csv"
        );

        // Markdown: "-" for no value, "n/a" for no percentage.
        let name = area["name"].as_str().unwrap_or_default();
        let md_percent = match (&percent, scored) {
            (_, false) => "-".to_string(),
            (Some(p), true) => format!("{p} %"),
            (None, true) => "n/a".to_string(),
        };
        let md_row = format!("| {id} {name} |");
        let line = markdown
            .lines()
            .find(|l| l.starts_with(&md_row))
            .unwrap_or_default();
        let md_tail = format!(
            "| {state} | {} | {} | {md_percent} |",
            target.unwrap_or("-"),
            gap.as_deref().unwrap_or("-")
        );
        assert!(
            line.ends_with(&md_tail),
            "{id} markdown: {line} vs {md_tail}"
        );

        // HTML: an en dash for no value, an em dash for no percentage.
        let html_percent = match (&percent, scored) {
            (_, false) => "\u{2013}".to_string(),
            (Some(p), true) => format!("{p} %"),
            (None, true) => "\u{2014}".to_string(),
        };
        let cells = &html_rows[id];
        let expected = [
            state.as_str(),
            target.unwrap_or("\u{2013}"),
            gap.as_deref().unwrap_or("\u{2013}"),
            html_percent.as_str(),
        ];
        assert_eq!(&cells[cells.len() - 4..], expected, "{id} html");
    }
}
