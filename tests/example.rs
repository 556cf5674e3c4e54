//! The bundled example organization: its levels are pinned (worked out by hand in
//! examples/tidewater-bank/EXPECTED.md), its own thresholds pass, and stricter ones fail.

mod support;

use serde_json::Value;
use support::{code, rmm_in, stderr, stdout};

fn example() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/tidewater-bank")
}

fn assess(extra: &[&str]) -> Value {
    let mut args = vec!["assess", "--format", "json"];
    args.extend_from_slice(extra);
    let output = rmm_in(&example(), &args);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    serde_json::from_str(&stdout(&output)).unwrap_or_else(|e| panic!("{e}"))
}

/// (area, level, target, gap, performed %) for 2026-q3, from EXPECTED.md.
const EXPECTED_2026: [(&str, &str, &str, u64, f64); 26] = [
    ("ADM", "CL2", "CL2", 0, 94.7),
    ("AM", "CL3", "CL3", 0, 100.0),
    ("COMM", "CL2", "CL2", 0, 95.0),
    ("COMP", "CL3", "CL3", 0, 100.0),
    ("CTRL", "CL1", "CL2", 1, 75.0),
    ("EC", "CL0", "CL2", 2, 40.9),
    ("EF", "CL2", "CL2", 0, 95.7),
    ("EXD", "CL1", "CL2", 1, 81.8),
    ("FRM", "CL0", "CL1", 1, 54.5),
    ("HRM", "CL2", "CL2", 0, 95.8),
    ("ID", "CL3", "CL2", 0, 100.0),
    ("IMC", "CL3", "CL3", 0, 100.0),
    ("KIM", "CL2", "CL2", 0, 96.2),
    ("MA", "CL0", "CL1", 1, 40.0),
    ("MON", "CL2", "CL2", 0, 90.0),
    ("OPD", "CL0", "CL1", 1, 35.3),
    ("OPF", "CL1", "CL1", 0, 76.2),
    ("OTA", "CL2", "CL2", 0, 95.8),
    ("PM", "CL1", "CL2", 1, 80.0),
    ("RISK", "CL3", "CL3", 0, 100.0),
    ("RRD", "CL2", "CL2", 0, 94.4),
    ("RRM", "CL1", "CL2", 1, 76.5),
    ("RTSE", "CL0", "CL1", 1, 30.0),
    ("SC", "CL2", "CL3", 1, 96.9),
    ("TM", "CL3", "CL2", 0, 100.0),
    ("VAR", "CL3", "CL2", 0, 100.0),
];

#[test]
fn every_level_of_the_latest_assessment_matches_the_hand_worked_values() {
    let report = assess(&[]);
    assert_eq!(report["assessment"]["id"], "2026-q3");
    let areas = report["process_areas"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(areas.len(), 26);
    for (area, (id, level, target, gap, percent)) in areas.iter().zip(EXPECTED_2026) {
        assert_eq!(area["id"], id);
        assert_eq!(area["level"]["id"], level, "{id}");
        assert_eq!(area["target"]["id"], target, "{id}");
        assert_eq!(area["gap"], gap, "{id}");
        assert_eq!(area["performed_percent"], percent, "{id}");
    }
    let summary = &report["summary"];
    assert_eq!(summary["total_gap"], 11);
    assert_eq!(summary["at_target"], 16);
    assert_eq!(summary["counts"]["performed"], 464);
    assert_eq!(summary["applicable"], 555);
    assert_eq!(summary["performed_percent"], 83.6);
}

#[test]
fn service_continuity_is_held_at_cl2_by_one_partial_generic_practice() {
    let report = assess(&[]);
    let sc = report["process_areas"]
        .as_array()
        .and_then(|areas| areas.iter().find(|a| a["id"] == "SC"))
        .cloned()
        .unwrap_or_default();
    let results: Vec<&str> = sc["goals"]
        .as_array()
        .map(|goals| goals.iter().filter_map(|g| g["result"].as_str()).collect())
        .unwrap_or_default();
    // SG1-SG7, GG1, GG2 achieved; GG3 not (GG3.GP2 partial).
    assert_eq!(
        results,
        [
            "achieved",
            "achieved",
            "achieved",
            "achieved",
            "achieved",
            "achieved",
            "achieved",
            "achieved",
            "achieved",
            "not-achieved"
        ]
    );
    assert_eq!(sc["blocking"][0]["id"], "SC:GG3.GP2");
    assert_eq!(sc["blocking"][0]["status"], "partial");
}

#[test]
fn the_earlier_assessment_scores_lower() {
    let report = assess(&["--assessment", "2025-q3"]);
    assert_eq!(report["assessment"]["id"], "2025-q3");
    assert_eq!(report["summary"]["total_gap"], 31);
    let level = |id: &str| {
        report["process_areas"]
            .as_array()
            .and_then(|areas| areas.iter().find(|a| a["id"] == id))
            .map(|a| a["level"]["id"].clone())
            .unwrap_or_default()
    };
    assert_eq!(level("AM"), "CL2");
    assert_eq!(level("CTRL"), "CL0");
    assert_eq!(level("IMC"), "CL2");
}

#[test]
fn validate_and_check_pass_with_the_example_thresholds() {
    let output = rmm_in(&example(), &["validate"]);
    assert_eq!(stderr(&output), "loaded 256 files: 0 errors, 0 warnings\n");
    assert_eq!(code(&output), 0);
    let output = rmm_in(&example(), &["check"]);
    assert_eq!(stdout(&output), "gate: passed for assessment 2026-q3\n");
    assert_eq!(code(&output), 0);
}

#[test]
fn a_stricter_gate_fails_and_lists_every_miss() {
    let output = rmm_in(
        &example(),
        &[
            "check",
            "--max-gap",
            "1",
            "--max-total-gap",
            "10",
            "--min-level",
            "CL1",
        ],
    );
    assert_eq!(
        stdout(&output),
        "gate: failed for assessment 2026-q3: 7 thresholds missed
  - process area EC: gap 2 exceeds max_gap 1
  - process area EC: level CL0 is below min_level CL1
  - process area FRM: level CL0 is below min_level CL1
  - process area MA: level CL0 is below min_level CL1
  - process area OPD: level CL0 is below min_level CL1
  - process area RTSE: level CL0 is below min_level CL1
  - total gap 11 exceeds max_total_gap 10
"
    );
    assert_eq!(code(&output), 1);
}
