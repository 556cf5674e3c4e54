//! The worked example of docs/scoring.md, checked against `rmm assess --format json`.

mod support;

use serde_json::Value;
use support::{code, rmm_in, stdout};

fn assess() -> Value {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/scoring-example");
    let output = rmm_in(&dir, &["assess", "--format", "json"]);
    assert_eq!(code(&output), 0);
    serde_json::from_str(&stdout(&output)).unwrap_or_else(|e| panic!("{e}"))
}

fn area<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["process_areas"]
        .as_array()
        .and_then(|areas| areas.iter().find(|area| area["id"] == id))
        .unwrap_or_else(|| panic!("no area {id}"))
}

#[test]
fn access_management_is_cl1_with_gap_1() {
    let report = assess();
    let am = area(&report, "AM");
    assert_eq!(am["level"]["id"], "CL1");
    assert_eq!(am["target"]["id"], "CL2");
    assert_eq!(am["gap"], 1);
    assert_eq!(am["performed_percent"], 86.7);
    assert_eq!(am["applicable"], 15);
    assert_eq!(am["counts"]["performed"], 13);
    assert_eq!(am["blocking"][0]["id"], "AM:GG2.GP10");
    assert_eq!(am["blocking"].as_array().map(Vec::len), Some(1));
}

#[test]
fn identity_management_is_cl0_despite_its_generic_practices() {
    let report = assess();
    let id = area(&report, "ID");
    assert_eq!(id["level"]["id"], "CL0");
    assert_eq!(id["gap"], 3);
    assert_eq!(id["performed_percent"], 94.7);
    assert_eq!(id["blocking"][0]["id"], "ID:SG2.SP4");
    assert_eq!(id["blocking"][0]["status"], "unanswered");
}

#[test]
fn out_of_scope_and_not_assessed_areas_have_no_level() {
    let report = assess();
    let ec = area(&report, "EC");
    assert_eq!(ec["status"], "out-of-scope");
    assert!(ec["level"].is_null() && ec["gap"].is_null());
    assert_eq!(area(&report, "ADM")["status"], "not-assessed");
}

#[test]
fn totals_sum_numerators_and_denominators() {
    let report = assess();
    let summary = &report["summary"];
    assert_eq!(summary["process_areas"], 2);
    assert_eq!(summary["at_target"], 0);
    assert_eq!(summary["total_gap"], 4);
    assert_eq!(summary["applicable"], 34);
    assert_eq!(summary["performed_percent"], 91.2);
}

#[test]
fn the_document_states_the_numbers_the_tests_check() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/scoring.md"))
        .unwrap_or_default();
    for figure in [
        "**86.7 %**",
        "**94.7 %**",
        "**91.2 %**",
        "**CL1**",
        "**CL0**",
        "1 + 3 = 4",
    ] {
        assert!(doc.contains(figure), "docs/scoring.md lost {figure}");
    }
}
