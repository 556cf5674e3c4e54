//! Scoring rules checked on hand-worked cases over the bundled CERT-RMM catalog.
//! AM has one specific goal (SG1: SP1-SP4), then GG1 (derived), GG2 (GP1-GP10), GG3 (GP1-GP2).

use super::*;
use crate::catalog::bundled;
use crate::model::Answer;
use crate::source::{FileId, Span};

fn framework() -> Framework {
    let (catalog, _, _) = bundled();
    catalog
        .get("cert-rmm-1.2")
        .cloned()
        .unwrap_or_else(|| panic!("no catalog"))
}

fn setup(target: usize) -> AreaSetup {
    AreaSetup {
        owner: Some("Owner".into()),
        in_scope: true,
        scope_reason: None,
        target,
        requirements: Vec::new(),
        declared: None,
    }
}

fn assessment(framework: &Framework, answers: &[(&str, Status)]) -> Assessment {
    let mut assessment = Assessment {
        id: "a".into(),
        title: String::new(),
        date: jiff::civil::Date::new(2026, 1, 1).unwrap_or_default(),
        assessors: vec!["x".into()],
        method: None,
        scope: vec![true; framework.process_areas.len()],
        answers: vec![None; framework.practices.len()],
        span: Span::file_start(FileId(0)),
    };
    for (id, status) in answers {
        let practice = framework.practice(id).unwrap_or_else(|| panic!("{id}"));
        assessment.answers[practice] = Some(Answer {
            status: *status,
            controls: Vec::new(),
            evidence: Vec::new(),
            note: None,
            span: Span::file_start(FileId(0)),
        });
    }
    assessment
}

fn all(area: &str, prefix: &str, count: usize, status: Status) -> Vec<(String, Status)> {
    (1..=count)
        .map(|n| (format!("{area}:{prefix}{n}"), status))
        .collect()
}

fn score_am(answers: Vec<(String, Status)>, target: usize) -> AreaScore {
    let framework = framework();
    let answers: Vec<(&str, Status)> = answers.iter().map(|(id, s)| (id.as_str(), *s)).collect();
    let assessment = assessment(&framework, &answers);
    let area = framework.area("AM").unwrap_or(usize::MAX);
    score_area(&framework, &setup(target), &assessment, area)
}

use Status::*;

#[test]
fn everything_performed_reaches_cl3() {
    let mut answers = all("AM", "SG1.SP", 4, Performed);
    answers.extend(all("AM", "GG2.GP", 10, Performed));
    answers.extend(all("AM", "GG3.GP", 2, Performed));
    let score = score_am(answers, 2);
    assert_eq!(score.outcome, Outcome::Level(3));
    assert_eq!(score.gap, Some(0));
    assert_eq!(score.counts.performed, 16);
    assert_eq!(score.counts.performed_percent(), Some(100.0));
}

#[test]
fn one_partial_specific_practice_leaves_cl0_even_with_generic_goals_met() {
    // SP2 partial: SG1 not achieved, so GG1 is not, so CL0 (levels are cumulative).
    let mut answers = all("AM", "SG1.SP", 4, Performed);
    answers[1].1 = Partial;
    answers.extend(all("AM", "GG2.GP", 10, Performed));
    answers.extend(all("AM", "GG3.GP", 2, Performed));
    let score = score_am(answers, 2);
    assert_eq!(score.outcome, Outcome::Level(0));
    assert_eq!(score.gap, Some(2));
    // Blocking: SP2 for CL1, nothing of GG2 (all performed).
    let framework = framework();
    let blocking: Vec<&str> = score
        .blocking
        .iter()
        .map(|p| framework.practices[*p].id.as_str())
        .collect();
    assert_eq!(blocking, ["AM:SG1.SP2"]);
    // 15 of 16 performed = 93.75 -> 93.8.
    assert_eq!(score.counts.performed_percent(), Some(93.8));
}

#[test]
fn unanswered_generic_practice_stops_at_cl1() {
    let mut answers = all("AM", "SG1.SP", 4, Performed);
    answers.extend(all("AM", "GG2.GP", 9, Performed)); // GP10 unanswered
    answers.extend(all("AM", "GG3.GP", 2, Performed));
    let score = score_am(answers, 3);
    assert_eq!(score.outcome, Outcome::Level(1));
    assert_eq!(score.gap, Some(2));
    assert_eq!(score.counts.unanswered, 1);
    // 15 performed of 16 applicable (the unanswered one counts as not performed).
    assert_eq!(score.counts.performed_percent(), Some(93.8));
    let framework = framework();
    let blocking: Vec<&str> = score
        .blocking
        .iter()
        .map(|p| framework.practices[*p].id.as_str())
        .collect();
    assert_eq!(blocking, ["AM:GG2.GP10"]);
}

#[test]
fn not_applicable_practices_are_left_out() {
    // SP4 not applicable: SG1 achieved by SP1-SP3. GG3.GP2 not applicable: GG3 by GP1.
    let mut answers = all("AM", "SG1.SP", 4, Performed);
    answers[3].1 = NotApplicable;
    answers.extend(all("AM", "GG2.GP", 10, Performed));
    answers.extend(all("AM", "GG3.GP", 2, Performed));
    answers[15].1 = NotApplicable;
    let score = score_am(answers, 3);
    assert_eq!(score.outcome, Outcome::Level(3));
    assert_eq!(score.counts.applicable(), 14);
    assert_eq!(score.counts.performed_percent(), Some(100.0));
}

#[test]
fn an_all_not_applicable_generic_goal_does_not_block() {
    let mut answers = all("AM", "SG1.SP", 4, Performed);
    answers.extend(all("AM", "GG2.GP", 10, NotApplicable));
    let score = score_am(answers, 3);
    // GG2 not applicable, GG3 unanswered -> CL2.
    assert_eq!(score.outcome, Outcome::Level(2));
    assert_eq!(score.goals[2], GoalResult::NotApplicable);
}

#[test]
fn all_not_applicable_specific_goals_are_not_evaluated() {
    let answers = all("AM", "SG1.SP", 4, NotApplicable);
    let score = score_am(answers, 2);
    assert_eq!(score.outcome, Outcome::NotEvaluated);
    assert_eq!(score.gap, None);
    // 12 generic practices unanswered, all applicable, none performed: 0.0 %, not n/a.
    assert_eq!(score.counts.performed_percent(), Some(0.0));
}

#[test]
fn zero_applicable_practices_give_no_percentage() {
    let mut answers = all("AM", "SG1.SP", 4, NotApplicable);
    answers.extend(all("AM", "GG2.GP", 10, NotApplicable));
    answers.extend(all("AM", "GG3.GP", 2, NotApplicable));
    let score = score_am(answers, 2);
    assert_eq!(score.counts.performed_percent(), None);
}

#[test]
fn out_of_scope_area_has_no_level_or_gap() {
    let framework = framework();
    let assessment = assessment(&framework, &[]);
    let mut setup = setup(2);
    setup.in_scope = false;
    let area = framework.area("AM").unwrap_or(usize::MAX);
    let score = score_area(&framework, &setup, &assessment, area);
    assert_eq!(score.outcome, Outcome::OutOfScope);
    assert_eq!((score.target, score.gap), (None, None));
}

#[test]
fn gap_is_never_negative() {
    let mut answers = all("AM", "SG1.SP", 4, Performed);
    answers.extend(all("AM", "GG2.GP", 10, Performed));
    let score = score_am(answers, 1);
    assert_eq!(score.outcome, Outcome::Level(2));
    assert_eq!(score.gap, Some(0));
}

#[test]
fn case_c21_percent_counts_unanswered_as_not_performed() {
    // Six CL1 practices: yes, yes, na, no, partial, unanswered -> 2 / 5 applicable = 40 %.
    let mut counts = Counts::default();
    for status in [
        Some(Performed),
        Some(Performed),
        Some(NotApplicable),
        Some(NotPerformed),
        Some(Partial),
        None,
    ] {
        counts.count(status);
    }
    assert_eq!(counts.applicable(), 5);
    assert_eq!(counts.performed_percent(), Some(40.0));
}
