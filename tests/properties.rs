//! Property tests of the scoring invariants, over every process area of the bundled catalog
//! and random answers.

mod support;

use proptest::prelude::*;

use rmm::catalog::{Framework, bundled};
use rmm::model::{Answer, AreaSetup, Assessment, Status};
use rmm::score::{Outcome, score_area};
use rmm::source::{FileId, Span};

fn framework() -> &'static Framework {
    static FRAMEWORK: std::sync::OnceLock<Framework> = std::sync::OnceLock::new();
    FRAMEWORK.get_or_init(|| {
        let (catalog, _, _) = bundled();
        catalog
            .get("cert-rmm-1.2")
            .cloned()
            .unwrap_or_else(|| panic!("no catalog"))
    })
}

/// An answer per answerable practice of `area`: `None` is unanswered.
fn answers_strategy(count: usize) -> impl Strategy<Value = Vec<Option<Status>>> {
    let status = prop_oneof![
        Just(None),
        Just(Some(Status::Performed)),
        Just(Some(Status::Performed)),
        Just(Some(Status::Performed)),
        Just(Some(Status::Partial)),
        Just(Some(Status::NotPerformed)),
        Just(Some(Status::NotApplicable)),
    ];
    proptest::collection::vec(status, count)
}

fn assessment(framework: &Framework, area: usize, statuses: &[Option<Status>]) -> Assessment {
    let mut answers = vec![None; framework.practices.len()];
    for (practice, status) in framework.answerable(area).zip(statuses) {
        answers[practice] = status.map(|status| Answer {
            status,
            controls: Vec::new(),
            evidence: Vec::new(),
            note: None,
            span: Span::file_start(FileId(0)),
        });
    }
    Assessment {
        id: "p".into(),
        title: String::new(),
        date: jiff::civil::date(2026, 1, 1),
        assessors: vec!["x".into()],
        method: None,
        scope: vec![true; framework.process_areas.len()],
        answers,
        span: Span::file_start(FileId(0)),
    }
}

fn setup(target: usize) -> AreaSetup {
    AreaSetup {
        owner: None,
        in_scope: true,
        scope_reason: None,
        target,
        requirements: Vec::new(),
        declared: None,
    }
}

fn level(
    framework: &Framework,
    area: usize,
    statuses: &[Option<Status>],
    target: usize,
) -> (Outcome, Option<usize>) {
    let score = score_area(
        framework,
        &setup(target),
        &assessment(framework, area, statuses),
        area,
    );
    (score.outcome, score.gap)
}

fn case() -> impl Strategy<Value = (usize, Vec<Option<Status>>, usize, usize)> {
    (0usize..26, 0usize..4).prop_flat_map(|(area, target)| {
        let framework = framework();
        let count = framework.answerable(area).count();
        (Just(area), answers_strategy(count), Just(target), 0..count)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn levels_lie_between_cl0_and_cl3_and_gaps_within_the_target((area, statuses, target, _) in case()) {
        let framework = framework();
        let (outcome, gap) = level(framework, area, &statuses, target);
        match outcome {
            Outcome::Level(level) => {
                prop_assert!(level <= 3);
                let gap = gap.unwrap_or(usize::MAX);
                prop_assert!(gap <= target);
                prop_assert_eq!(gap, target.saturating_sub(level));
            }
            Outcome::NotEvaluated => prop_assert!(gap.is_none()),
            other => prop_assert!(false, "unexpected {:?}", other),
        }
    }

    #[test]
    fn raising_an_answer_to_performed_never_lowers_the_level((area, statuses, target, index) in case()) {
        let framework = framework();
        let (before, _) = level(framework, area, &statuses, target);
        let mut raised = statuses.clone();
        raised[index] = Some(Status::Performed);
        let (after, _) = level(framework, area, &raised, target);
        if let (Outcome::Level(before), Outcome::Level(after)) = (before, after) {
            prop_assert!(after >= before, "{} -> {}", before, after);
        }
        // An evaluated area stays evaluated when an answer becomes performed.
        prop_assert!(!(matches!(before, Outcome::Level(_)) && after == Outcome::NotEvaluated));
    }

    #[test]
    fn not_applicable_never_lowers_a_level((area, statuses, target, index) in case()) {
        let framework = framework();
        let (before, _) = level(framework, area, &statuses, target);
        let mut changed = statuses.clone();
        changed[index] = Some(Status::NotApplicable);
        let (after, _) = level(framework, area, &changed, target);
        if let (Outcome::Level(before), Outcome::Level(after)) = (before, after) {
            prop_assert!(after >= before, "{} -> {}", before, after);
        }
    }
}

/// A repository with random answers for six process areas, one of them out of scope.
fn random_repository(statuses: &[Option<Status>], targets: &[usize]) -> support::Repo {
    let framework = framework();
    let repo = support::minimal_repo();
    let areas = ["AM", "ID", "VAR", "CTRL", "RRM", "OPD"];
    repo.write(
        "assessments/2026-q1/assessment.yaml",
        &format!(
            "id: 2026-q1\ndate: 2026-03-01\nassessors: [A]\nscope: [{}]\n",
            areas.join(", ")
        ),
    );
    let mut statuses = statuses.iter().cycle();
    for (index, id) in areas.iter().enumerate() {
        let target = targets[index % targets.len()];
        let scope = if index == 5 {
            "scope: out-of-scope\nscope_reason: Not run here.\n"
        } else {
            ""
        };
        repo.write(
            &format!("process-areas/{id}.yaml"),
            &format!("id: {id}\nowner: O\ntarget: CL{target}\n{scope}"),
        );
        let area = framework.area(id).unwrap_or(usize::MAX);
        let mut sheet = String::from("answers:\n");
        for practice in framework.answerable(area) {
            let Some(status) = statuses.next().copied().flatten() else {
                continue;
            };
            let citation = if status == Status::Performed {
                ", evidence: [EV-1]"
            } else {
                ", note: n"
            };
            sheet.push_str(&format!(
                "  {}: {{status: {}{citation}}}\n",
                framework.practices[practice].id,
                status.as_str()
            ));
        }
        if index != 5 {
            repo.write(&format!("assessments/2026-q1/{id}.yaml"), &sheet);
        }
    }
    repo
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn every_output_format_reports_the_same_numbers(
        statuses in answers_strategy(97),
        targets in proptest::collection::vec(0usize..4, 1..4),
    ) {
        let repo = random_repository(&statuses, &targets);
        support::formats_agree(repo.path(), 26);
    }
}
