//! Faults found while testing, each pinned by the test that found it.

mod support;

use support::{code, minimal_repo, stderr};

#[test]
fn an_invalid_evidence_record_does_not_shift_the_others() {
    // EV-0 sorts first and is dropped for its impossible date; EV-1 must still be EV-1.
    let repo = minimal_repo();
    repo.write(
        "evidence/EV-0.yaml",
        "id: EV-0\ntitle: Broken\nfile: artifacts/review.md\ncollected: 2024-02-30\n",
    );
    repo.write(
        "evidence/EV-1.yaml",
        "id: EV-1\ntitle: Access review\nfile: artifacts/review.md\ncollected: 2025-01-10\nexpires: 2025-12-31\n",
    );
    repo.write("evidence/EV-2.yaml", "id: EV-2\ntitle: Old\nfile: artifacts/review.md\ncollected: 2020-01-01\nexpires: 2020-12-31\n");
    let output = repo.rmm(&["validate", "--format", "short"]);
    let text = stderr(&output);
    assert!(
        text.contains("evidence/EV-0.yaml:4:12: error[invalid-date]: invalid date \"2024-02-30\""),
        "{text}"
    );
    assert!(text.contains("evidence/EV-1.yaml:5:10: warning[evidence-expired]: evidence EV-1 expired on 2025-12-31, before 2026-03-01; cited 16 times by assessment 2026-q1"), "{text}");
    assert!(!text.contains("EV-2 expired"), "{text}");
    assert_eq!(code(&output), 1);
}

#[test]
fn an_answer_citing_an_invalid_record_gets_no_second_finding() {
    let repo = minimal_repo();
    repo.write(
        "evidence/EV-1.yaml",
        "id: EV-1\ntitle: Access review\nfile: artifacts/review.md\ncollected: 2025-13-01\n",
    );
    let output = repo.rmm(&["validate", "--format", "short"]);
    let text = stderr(&output);
    assert!(!text.contains("unknown-evidence"), "{text}");
    assert_eq!(text.matches("error[").count(), 1, "{text}");
}

#[test]
fn a_bad_assessment_date_is_the_only_finding_about_it() {
    let repo = minimal_repo();
    repo.write(
        "assessments/2026-q1/assessment.yaml",
        "id: 2026-q1\ndate: 2026-02-30\nassessors: [A. Assessor]\nscope: [AM]\n",
    );
    let output = repo.rmm(&["validate", "--format", "short"]);
    let text = stderr(&output);
    assert_eq!(
        text,
        "assessments/2026-q1/assessment.yaml:2:7: error[invalid-date]: invalid date \"2026-02-30\"\n  help: write a real calendar date as YYYY-MM-DD\nloaded 4 files: 1 error, 0 warnings\n"
    );
}

#[test]
fn files_that_fail_to_parse_still_count_as_records() {
    let repo = minimal_repo();
    for file in [
        "process-areas/AM.yaml",
        "evidence/EV-1.yaml",
        "assessments/2026-q1/assessment.yaml",
        "assessments/2026-q1/AM.yaml",
    ] {
        repo.write(file, "[unclosed\n");
    }
    let output = repo.rmm(&["validate", "--format", "short"]);
    let text = stderr(&output);
    assert!(
        !text.contains("empty-repository") && !text.contains("no-assessment"),
        "{text}"
    );
    assert_eq!(text.matches("error[yaml-syntax]").count(), 4, "{text}");
}

#[test]
fn a_practice_answered_twice_is_not_also_unanswered() {
    let repo = minimal_repo();
    repo.write(
        "assessments/2026-q1/extra.yaml",
        "answers:\n  AM:SG1.SP1: {status: partial}\n",
    );
    let output = repo.rmm(&["validate", "--format", "short"]);
    let text = stderr(&output);
    assert!(text.contains("error[duplicate-answer]"), "{text}");
    assert!(!text.contains("unanswered"), "{text}");
}

#[test]
fn a_selected_framework_with_errors_shows_them() {
    let repo = minimal_repo();
    repo.write(
        "rmm.toml",
        "[organization]\nname = \"S\"\n[framework]\nid = \"custom-1\"\n",
    );
    repo.write(
        "frameworks/custom.yaml",
        "id: custom-1\nname: Custom\ncategories: [{id: ops, name: Ops}]\nlevels: [{id: L0, name: None}]\ngeneric_goals: []\nprocess_areas:\n  - {id: X, name: X, category: opz, goals: []}\n",
    );
    let output = repo.rmm(&["validate"]);
    let text = stderr(&output);
    assert!(
        text.contains("could not be loaded; the framework files have errors"),
        "{text}"
    );
    assert!(
        text.contains(
            "frameworks/custom.yaml:7:32: unknown category \"opz\" (did you mean \"ops\"?)"
        ),
        "{text}"
    );
    assert_eq!(code(&output), 2);
}

#[test]
fn answer_sheets_beside_a_broken_header_get_no_second_finding() {
    let repo = minimal_repo();
    repo.write(
        "assessments/2026-q1/assessment.yaml",
        "id: 2026-q1\ndate: [\n",
    );
    let output = repo.rmm(&["validate", "--format", "short"]);
    let text = stderr(&output);
    assert!(
        text.contains("assessments/2026-q1/assessment.yaml:"),
        "{text}"
    );
    assert!(
        !text.contains("answers-without-assessment") && !text.contains("no-assessment"),
        "{text}"
    );
    assert_eq!(text.matches("error[").count(), 1, "{text}");
}

#[test]
fn the_verdict_on_a_date_only_expiry_does_not_depend_on_the_time_zone() {
    // Case C04: expiry on the assessment's own day is still valid, in every zone.
    let repo = minimal_repo();
    repo.write(
        "evidence/EV-1.yaml",
        "id: EV-1\ntitle: Access review\nfile: artifacts/review.md\ncollected: 2026-01-10\nexpires: \"2026-03-01\"\n",
    );
    let mut outputs = Vec::new();
    for zone in ["America/Los_Angeles", "Pacific/Auckland", "UTC"] {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_rmm"))
            .args(["validate", "--format", "short"])
            .current_dir(repo.path())
            .env("TZ", zone)
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        outputs.push(String::from_utf8_lossy(&output.stderr).into_owned());
    }
    assert!(
        outputs[0].contains("warning[evidence-expiring]: evidence EV-1 expires on 2026-03-01"),
        "{}",
        outputs[0]
    );
    assert!(!outputs[0].contains("expired"), "{}", outputs[0]);
    assert!(outputs.iter().all(|output| *output == outputs[0]));
}

#[test]
fn a_utf16_file_is_named_as_such() {
    let repo = minimal_repo();
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            "id: AM\nowner: O\n"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    repo.write_bytes("process-areas/AM.yaml", &utf16);
    let output = repo.rmm(&["validate", "--format", "short"]);
    let text = stderr(&output);
    assert!(text.starts_with("process-areas/AM.yaml:1:1: error[invalid-utf8]: the file is UTF-16 encoded; rmm reads UTF-8"), "{text}");
    assert_eq!(code(&output), 1);
}

#[test]
fn a_minimum_level_for_an_area_outside_the_assessment_fails_the_gate() {
    let repo = minimal_repo();
    repo.write(
        "rmm.toml",
        "[organization]\nname = \"S\"\n[gate.min_level_by_area]\nADM = \"CL3\"\n[severity]\nprocess-area-undeclared = \"allow\"\n",
    );
    let output = repo.rmm(&["check"]);
    assert_eq!(
        support::stdout(&output),
        "gate: failed for assessment 2026-q1: 1 threshold missed\n  - process area ADM has min_level_by_area CL3 but is not assessed in this assessment\n"
    );
    assert_eq!(code(&output), 1);
}

#[test]
fn a_huge_expiry_window_does_not_crash() {
    let repo = minimal_repo();
    repo.write(
        "rmm.toml",
        "[organization]\nname = \"S\"\n[evidence]\nexpiring_within_days = 4000000000\n[severity]\nprocess-area-undeclared = \"allow\"\n",
    );
    let output = repo.rmm(&["validate", "--format", "short"]);
    assert!(
        stderr(&output).contains("warning[evidence-expiring]"),
        "{}",
        stderr(&output)
    );
    assert_eq!(code(&output), 0);
    assert_eq!(code(&repo.rmm(&["report", "--format", "html"])), 0);
}

#[test]
fn a_runaway_template_stops_with_an_error() {
    let repo = minimal_repo();
    repo.write(
        "brand/report.md.j2",
        "{% for i in range(10000) %}{% for j in range(10000) %}{% for k in range(100) %}x{% endfor %}{% endfor %}{% endfor %}\n",
    );
    let output = repo.rmm(&["report", "--format", "md", "--templates", "brand"]);
    assert!(
        stderr(&output).contains("stopped after too many steps"),
        "{}",
        stderr(&output)
    );
    assert_eq!(code(&output), 2);
}

#[test]
fn capped_findings_still_count_in_the_totals() {
    let repo = minimal_repo();
    let practices: Vec<String> = (0..250).map(|n| format!("XX:SG{n}.SP1")).collect();
    repo.write(
        "controls/CTL-1.yaml",
        &format!(
            "id: CTL-1\ntitle: T\nowner: O\npractices: [{}]\n",
            practices.join(", ")
        ),
    );
    let output = repo.rmm(&["validate", "--format", "short"]);
    assert!(
        stderr(&output).ends_with("loaded 5 files: 250 errors, 0 warnings\n"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn file_sizes_are_exact() {
    let repo = minimal_repo();
    repo.write(
        "rmm.toml",
        "[organization]\nname = \"S\"\n[limits]\nmax_file_mib = 1\n[severity]\nprocess-area-undeclared = \"allow\"\n",
    );
    repo.write(
        "controls/CTL-1.yaml",
        &format!("id: CTL-1\ndescription: {}\n", "x".repeat((1 << 20) + 10)),
    );
    let output = repo.rmm(&["validate", "--format", "short"]);
    assert!(
        stderr(&output).contains("file is 1048610 bytes (1.0 MiB), over the limit of 1 MiB"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn control_characters_never_reach_the_terminal() {
    let repo = minimal_repo();
    repo.write(
        "process-areas/AM.yaml",
        "id: AM\nowner: \"Bob\\e]0;pwned\\a\"\n",
    );
    repo.write(
        "controls/CTL-1.yaml",
        "id: CTL-1\ntitle: T\nowner: O\npractices: [\"AM\\e[31m:SG1.SP1\"]\n",
    );
    for args in [vec!["validate"], vec!["validate", "--format", "short"]] {
        let text = stderr(&repo.rmm(&args));
        assert!(!text.contains('\u{1b}'), "{text:?}");
        assert!(text.contains("\\u{1b}[31m"), "{text:?}");
    }
    repo.write("controls/CTL-1.yaml", "id: CTL-1\ntitle: T\nowner: O\n");
    let table = support::stdout(&repo.rmm(&["assess"]));
    assert!(
        !table.contains('\u{1b}') && !table.contains('\u{7}'),
        "{table:?}"
    );
    assert!(table.contains("Bob\\u{1b}]0;pwned\\u{7}"), "{table}");
}

#[test]
fn a_record_that_fails_to_parse_is_reported_once() {
    let repo = minimal_repo();
    // The evidence file has a wrong type; answers citing EV-1 must not add "unknown evidence".
    repo.write(
        "evidence/EV-1.yaml",
        "id: EV-1\ntitle: [not, text]\nfile: artifacts/review.md\ncollected: 2026-01-10\n",
    );
    let output = repo.rmm(&["validate", "--format", "short"]);
    let text = stderr(&output);
    assert_eq!(text.matches("error[").count(), 1, "{text}");
    assert!(
        text.contains("evidence/EV-1.yaml:2:8: error[wrong-type]"),
        "{text}"
    );

    // A broken answer sheet: no "unanswered" list of the practices it answers.
    let repo = minimal_repo();
    let sheet =
        std::fs::read_to_string(repo.join("assessments/2026-q1/AM.yaml")).unwrap_or_default();
    repo.write(
        "assessments/2026-q1/AM.yaml",
        &sheet.replace("status: performed, evidence: [EV-1]}", "status: done}"),
    );
    let text = stderr(&repo.rmm(&["validate", "--format", "short"]));
    assert!(text.contains("error[invalid-value]"), "{text}");
    assert!(!text.contains("unanswered"), "{text}");
}

#[test]
fn a_yaml_report_is_never_written_into_a_record_folder() {
    let repo = minimal_repo();
    let output = repo.rmm(&["report", "--format", "json", "--out", "evidence/new.yaml"]);
    assert!(
        stderr(&output).contains("would be read as a record on the next run"),
        "{}",
        stderr(&output)
    );
    assert_eq!(code(&output), 2);
    assert!(!repo.join("evidence/new.yaml").exists());
}

#[test]
fn a_yaml_tag_on_a_date_is_explained() {
    let repo = minimal_repo();
    repo.write(
        "evidence/EV-1.yaml",
        "id: EV-1\ntitle: Access review\nfile: artifacts/review.md\ncollected: !!timestamp 2026-01-10\n",
    );
    let text = stderr(&repo.rmm(&["validate", "--format", "short"]));
    assert!(
        text.contains("error[wrong-type]: a tagged value (such as !!timestamp) where text belongs"),
        "{text}"
    );
}

#[test]
fn areas_an_assessment_does_not_score_have_no_numbers_in_json() {
    let repo = minimal_repo();
    repo.write(
        "process-areas/EC.yaml",
        "id: EC\nowner: F\nscope: out-of-scope\nscope_reason: Leased office.\n",
    );
    let json: serde_json::Value =
        serde_json::from_str(&support::stdout(&repo.rmm(&["report", "--format", "json"])))
            .unwrap_or_default();
    for id in ["EC", "ADM"] {
        let area = json["process_areas"]
            .as_array()
            .and_then(|areas| areas.iter().find(|a| a["id"] == id))
            .cloned()
            .unwrap_or_default();
        assert!(
            area["counts"].is_null() && area["applicable"].is_null(),
            "{id}: {area}"
        );
        assert!(area["performed_percent"].is_null(), "{id}: {area}");
        assert_eq!(area["goals"].as_array().map(Vec::len), Some(0), "{id}");
    }
}

#[test]
fn an_answer_in_an_area_the_organization_does_not_run_says_so() {
    let repo = minimal_repo();
    repo.write(
        "process-areas/EC.yaml",
        "id: EC\nowner: F\nscope: out-of-scope\nscope_reason: Leased.\n",
    );
    repo.write(
        "assessments/2026-q1/assessment.yaml",
        "id: 2026-q1\ndate: 2026-03-01\nassessors: [A. Assessor]\nscope: [AM, EC]\n",
    );
    repo.write(
        "assessments/2026-q1/EC.yaml",
        "answers:\n  EC:SG1.SP1: {status: performed, evidence: [EV-1]}\n",
    );
    let text = stderr(&repo.rmm(&["validate", "--format", "short"]));
    assert!(
        text.contains(
            "EC:SG1.SP1 answers process area EC, which the organization declares out of scope"
        ),
        "{text}"
    );
}

#[test]
fn json_findings_leave_standard_error_empty() {
    let repo = minimal_repo();
    repo.write(
        "assessments/2026-q1/extra.yaml",
        "answers:\n  AM:GG1.GP1: {status: performed}\n",
    );
    for command in ["validate", "check"] {
        let output = repo.rmm(&[command, "--format", "json"]);
        assert_eq!(stderr(&output), "", "{command}");
        assert!(
            serde_json::from_slice::<serde_json::Value>(&output.stdout).is_ok(),
            "{command}"
        );
    }
}
