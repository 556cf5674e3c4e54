//! Exit codes are a contract (case C30): 0 success, 1 findings, 2 could not run. One test per row.

mod support;

use support::{Repo, code, minimal_repo, stderr, stdout};

/// The minimal repository with AM:GG3.GP2 not performed: AM reaches CL2.
fn repo_at_cl2() -> Repo {
    let repo = minimal_repo();
    let sheet =
        std::fs::read_to_string(repo.join("assessments/2026-q1/AM.yaml")).unwrap_or_default();
    repo.write(
        "assessments/2026-q1/AM.yaml",
        &sheet.replace(
            "AM:GG3.GP2: {status: performed, evidence: [EV-1]}",
            "AM:GG3.GP2: {status: not-performed}",
        ),
    );
    repo
}

#[test]
fn a_valid_repository_meeting_every_threshold_exits_0() {
    let repo = repo_at_cl2();
    let output = repo.rmm(&["check", "--max-gap", "0", "--min-level", "CL2"]);
    assert_eq!(stdout(&output), "gate: passed for assessment 2026-q1\n");
    assert_eq!(code(&output), 0, "{}", stderr(&output));
}

#[test]
fn a_missed_threshold_exits_1_and_lists_the_numbers() {
    let repo = repo_at_cl2();
    let output = repo.rmm(&["check", "--min-level", "CL3", "--max-total-gap", "0"]);
    assert_eq!(
        stdout(&output),
        "gate: failed for assessment 2026-q1: 1 threshold missed\n  - process area AM: level CL2 is below min_level CL3\n"
    );
    assert_eq!(code(&output), 1);

    repo.write("rmm.toml", "[organization]\nname = \"S\"\n[targets]\ndefault = \"CL3\"\n[gate]\nmax_gap = 0\nmax_total_gap = 0\n[severity]\nprocess-area-undeclared = \"allow\"\n");
    let output = repo.rmm(&["check"]);
    assert_eq!(
        stdout(&output),
        "gate: failed for assessment 2026-q1: 2 thresholds missed\n  - process area AM: gap 1 exceeds max_gap 0\n  - total gap 1 exceeds max_total_gap 0\n"
    );
    assert_eq!(code(&output), 1);
}

#[test]
fn assess_reports_and_exits_0_whatever_the_gaps() {
    let repo = repo_at_cl2();
    repo.write("rmm.toml", "[organization]\nname = \"S\"\n[targets]\ndefault = \"CL3\"\n[severity]\nprocess-area-undeclared = \"allow\"\n");
    let output = repo.rmm(&["assess"]);
    assert!(
        stdout(&output).contains("AM Access Management: CL2 -> CL3 (gap 1)"),
        "{}",
        stdout(&output)
    );
    assert_eq!(code(&output), 0);
}

#[test]
fn a_yaml_syntax_error_exits_1_even_with_relaxed_thresholds() {
    let repo = minimal_repo();
    repo.write("controls/CTL-1.yaml", "id: CTL-1\ntitle: \"unclosed\n");
    let output = repo.rmm(&["check", "--max-gap", "99", "--allow", "unanswered-practice"]);
    assert_eq!(stdout(&output), "gate: not run: the data has 1 error\n");
    assert!(
        stderr(&output).contains("error[yaml-syntax]"),
        "{}",
        stderr(&output)
    );
    assert_eq!(code(&output), 1);
}

#[test]
fn a_dangling_reference_exits_1() {
    let repo = minimal_repo();
    repo.write(
        "controls/CTL-1.yaml",
        "id: CTL-1\ntitle: T\nowner: O\nevidence: [EV-9]\n",
    );
    let output = repo.rmm(&["validate", "--format", "short"]);
    assert!(stderr(&output).starts_with("controls/CTL-1.yaml:4:12: error[unknown-evidence]: unknown evidence record \"EV-9\" (did you mean \"EV-1\"?)"), "{}", stderr(&output));
    assert_eq!(code(&output), 1);
}

#[test]
fn bad_usage_exits_2() {
    let repo = minimal_repo();
    assert_eq!(code(&repo.rmm(&["validate", "--no-such-flag"])), 2);
    assert_eq!(code(&repo.rmm(&["check", "--max-gap", "8x"])), 2);
    assert_eq!(code(&repo.rmm(&["check", "--min-level", "CL9"])), 2);
    assert_eq!(code(&repo.rmm(&["validate", "--as-of", "2024-02-30"])), 2);
    assert_eq!(code(&repo.rmm(&["assess", "--assessment", "2026-q2"])), 2);
}

#[test]
fn a_flag_that_would_hide_broken_data_is_refused_with_2() {
    let repo = minimal_repo();
    let output = repo.rmm(&["validate", "--allow", "yaml-syntax"]);
    assert!(
        stderr(&output).contains("cannot be lowered"),
        "{}",
        stderr(&output)
    );
    assert_eq!(code(&output), 2);
}

#[test]
fn a_bad_config_exits_2_with_its_position() {
    let repo = minimal_repo();
    repo.write(
        "rmm.toml",
        "[organization]\nname = \"S\"\n[gate]\nmin_overal = 1\n",
    );
    let output = repo.rmm(&["check"]);
    assert!(
        stderr(&output).starts_with("rmm: error: rmm.toml:4:1: unknown field `min_overal`"),
        "{}",
        stderr(&output)
    );
    assert_eq!(code(&output), 2);

    repo.write(
        "rmm.toml",
        "[organization]\nname = \"S\"\n[gate]\nmax_gap = \"one\"\n",
    );
    assert_eq!(code(&repo.rmm(&["check"])), 2);
}

#[test]
fn a_missing_directory_or_config_exits_2() {
    let repo = minimal_repo();
    assert_eq!(code(&repo.rmm(&["validate", "no/such/dir"])), 2);
    std::fs::remove_file(repo.join("rmm.toml")).unwrap_or_default();
    let output = repo.rmm(&["validate"]);
    assert!(
        stderr(&output).contains("no rmm.toml in"),
        "{}",
        stderr(&output)
    );
    assert_eq!(code(&output), 2);
}

#[test]
fn json_output_is_one_document_that_says_whether_data_or_gate_failed() {
    let repo = repo_at_cl2();
    let output = repo.rmm(&["check", "--format", "json", "--min-level", "CL3"]);
    let report: serde_json::Value =
        serde_json::from_str(&stdout(&output)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report["schema"], "rmm.diagnostics/v1");
    assert_eq!(report["gate"]["status"], "failed");
    assert_eq!(report["gate"]["misses"][0]["threshold"], "min_level");
    assert_eq!(code(&output), 1);

    repo.write("controls/CTL-1.yaml", "id: CTL-1\ntitle: \"unclosed\n");
    let output = repo.rmm(&["check", "--format", "json"]);
    let report: serde_json::Value =
        serde_json::from_str(&stdout(&output)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report["gate"]["status"], "not-run");
    assert_eq!(report["summary"]["errors"], 1);
    assert_eq!(code(&output), 1);
}

#[test]
fn warnings_as_errors_fail_the_gate() {
    let repo = repo_at_cl2();
    repo.write(
        "assessments/2026-q1/extra.yaml",
        "answers:\n  AM:GG1.GP1: {status: performed}\n",
    );
    let output = repo.rmm(&["check"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let output = repo.rmm(&["check", "--deny-warnings"]);
    assert!(
        stderr(&output).contains("error[derived-practice-answered]"),
        "{}",
        stderr(&output)
    );
    assert_eq!(code(&output), 1);
}

#[test]
fn an_empty_organization_or_a_non_utf8_config_exits_2_with_a_place() {
    let repo = minimal_repo();
    repo.write("rmm.toml", "[organization]\nname = \"\"\n");
    let output = repo.rmm(&["validate"]);
    assert!(
        stderr(&output).contains("[organization] name is empty"),
        "{}",
        stderr(&output)
    );
    assert_eq!(code(&output), 2);

    repo.write_bytes("rmm.toml", b"[organization]\nname = \"Caf\xe9\"\n");
    let output = repo.rmm(&["validate"]);
    assert!(
        stderr(&output).starts_with("rmm: error: rmm.toml:2:12: not valid UTF-8"),
        "{}",
        stderr(&output)
    );
    assert_eq!(code(&output), 2);
}
