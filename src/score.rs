//! Scoring: capability levels, gaps and performed percentages for one assessment.
//!
//! The rules (docs/scoring.md states them with a worked example):
//! - a goal is achieved when every applicable practice in it is `performed`; `partial`,
//!   `not-performed` and unanswered practices do not achieve it; `not-applicable` practices are
//!   left out, and a goal with no applicable practice is not applicable;
//! - the derived generic goal (GG1) is achieved exactly when every specific goal is achieved or
//!   not applicable, and at least one is achieved;
//! - the level is the highest level whose goals, and every lower level's goals, are achieved or
//!   not applicable; an area whose specific goals are all not applicable is not evaluated;
//! - gap = target - level, never below zero; performed % = performed / applicable practices.

use crate::catalog::{Framework, GoalKind};
use crate::model::{AreaSetup, Assessment, Status};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum GoalResult {
    Achieved,
    NotAchieved,
    NotApplicable,
}

/// Where a process area stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The organization does not run this process area (its file says out-of-scope).
    OutOfScope,
    /// The organization runs it, but this assessment does not cover it.
    NotAssessed,
    /// In scope, but no applicable specific practice: no level can be given.
    NotEvaluated,
    Level(usize),
}

/// Answers of one area (or more) by status. Derived practices are not counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub performed: usize,
    pub partial: usize,
    pub not_performed: usize,
    pub not_applicable: usize,
    pub unanswered: usize,
}

impl Counts {
    pub fn add(&mut self, other: &Counts) {
        self.performed += other.performed;
        self.partial += other.partial;
        self.not_performed += other.not_performed;
        self.not_applicable += other.not_applicable;
        self.unanswered += other.unanswered;
    }

    fn count(&mut self, answer: Option<Status>) {
        match answer {
            Some(Status::Performed) => self.performed += 1,
            Some(Status::Partial) => self.partial += 1,
            Some(Status::NotPerformed) => self.not_performed += 1,
            Some(Status::NotApplicable) => self.not_applicable += 1,
            None => self.unanswered += 1,
        }
    }

    /// Practices that count: everything but `not-applicable` (unanswered included).
    pub fn applicable(&self) -> usize {
        self.performed + self.partial + self.not_performed + self.unanswered
    }

    /// Performed share of applicable practices in percent, one decimal; `None` for 0/0.
    pub fn performed_percent(&self) -> Option<f64> {
        let applicable = self.applicable();
        (applicable > 0).then(|| {
            let tenths = (self.performed as f64 * 1000.0 / applicable as f64).round();
            tenths / 10.0
        })
    }
}

#[derive(Debug, Clone)]
pub struct AreaScore {
    pub area: usize,
    pub outcome: Outcome,
    /// `None` when out of scope or not assessed.
    pub target: Option<usize>,
    /// `None` when out of scope or not evaluated.
    pub gap: Option<usize>,
    pub counts: Counts,
    /// Per goal of the area, in catalog order.
    pub goals: Vec<GoalResult>,
    /// Practices between the achieved level and the target that are not performed.
    pub blocking: Vec<usize>,
}

impl AreaScore {
    pub fn level(&self) -> Option<usize> {
        match self.outcome {
            Outcome::Level(level) => Some(level),
            _ => None,
        }
    }

    /// Whether this assessment scores the area (in the organization's and the assessment's
    /// scope).
    pub fn in_scope(&self) -> bool {
        !matches!(self.outcome, Outcome::OutOfScope | Outcome::NotAssessed)
    }

    pub fn meets_target(&self) -> bool {
        self.gap == Some(0)
    }
}

#[derive(Debug, Clone, Default)]
pub struct Rollup {
    pub in_scope: usize,
    pub evaluated: usize,
    pub at_target: usize,
    pub total_gap: usize,
    pub counts: Counts,
}

impl Rollup {
    fn add(&mut self, score: &AreaScore) {
        if !score.in_scope() {
            return;
        }
        self.in_scope += 1;
        self.evaluated += usize::from(score.level().is_some());
        self.at_target += usize::from(score.meets_target());
        self.total_gap += score.gap.unwrap_or(0);
        self.counts.add(&score.counts);
    }
}

#[derive(Debug, Clone)]
pub struct Scorecard {
    pub assessment: usize,
    pub areas: Vec<AreaScore>,
    /// Per category of the framework.
    pub categories: Vec<Rollup>,
    pub total: Rollup,
}

/// Scores one assessment.
pub fn score(
    framework: &Framework,
    setups: &[AreaSetup],
    assessment: &Assessment,
    assessment_index: usize,
) -> Scorecard {
    let areas: Vec<AreaScore> = (0..framework.process_areas.len())
        .map(|area| score_area(framework, &setups[area], assessment, area))
        .collect();
    let mut categories = vec![Rollup::default(); framework.categories.len()];
    let mut total = Rollup::default();
    for score in &areas {
        categories[framework.process_areas[score.area].category].add(score);
        total.add(score);
    }
    Scorecard {
        assessment: assessment_index,
        areas,
        categories,
        total,
    }
}

pub fn score_area(
    framework: &Framework,
    setup: &AreaSetup,
    assessment: &Assessment,
    area: usize,
) -> AreaScore {
    let status = |practice: usize| assessment.answers[practice].as_ref().map(|a| a.status);
    let mut counts = Counts::default();
    for practice in framework.answerable(area) {
        counts.count(status(practice));
    }
    let goals = goal_results(framework, area, &status);
    if !setup.in_scope || !assessment.scope[area] {
        return AreaScore {
            area,
            outcome: if setup.in_scope {
                Outcome::NotAssessed
            } else {
                Outcome::OutOfScope
            },
            target: None,
            gap: None,
            counts,
            goals,
            blocking: Vec::new(),
        };
    }

    let level = achieved_level(framework, area, &goals);
    let target = setup.target;
    let blocking = match level {
        Some(level) => blocking_practices(framework, area, &goals, level, target, &status),
        None => Vec::new(),
    };
    AreaScore {
        area,
        outcome: level.map_or(Outcome::NotEvaluated, Outcome::Level),
        target: Some(target),
        gap: level.map(|level| target.saturating_sub(level)),
        counts,
        goals,
        blocking,
    }
}

fn goal_results(
    framework: &Framework,
    area: usize,
    status: &impl Fn(usize) -> Option<Status>,
) -> Vec<GoalResult> {
    let goals = &framework.process_areas[area].goals;
    let mut results: Vec<GoalResult> = goals
        .iter()
        .map(|goal| practice_goal_result(goal.practices.iter().map(|p| status(*p))))
        .collect();
    let specific: Vec<GoalResult> = goals
        .iter()
        .zip(&results)
        .filter(|(goal, _)| goal.kind == GoalKind::Specific)
        .map(|(_, result)| *result)
        .collect();
    for (goal, result) in goals.iter().zip(results.iter_mut()) {
        if let GoalKind::Generic { derived: true, .. } = goal.kind {
            *result = derived_goal_result(&specific);
        }
    }
    results
}

/// A goal answered through its practices.
fn practice_goal_result(statuses: impl Iterator<Item = Option<Status>>) -> GoalResult {
    let mut applicable = 0;
    let mut performed = 0;
    for status in statuses {
        if status == Some(Status::NotApplicable) {
            continue;
        }
        applicable += 1;
        performed += usize::from(status == Some(Status::Performed));
    }
    match applicable {
        0 => GoalResult::NotApplicable,
        n if n == performed => GoalResult::Achieved,
        _ => GoalResult::NotAchieved,
    }
}

/// GG1: achieved exactly when every specific goal is.
fn derived_goal_result(specific: &[GoalResult]) -> GoalResult {
    if specific.contains(&GoalResult::NotAchieved) {
        GoalResult::NotAchieved
    } else if specific.contains(&GoalResult::Achieved) {
        GoalResult::Achieved
    } else {
        GoalResult::NotApplicable
    }
}

/// The level a goal counts towards: its generic level, or the derived goal's level for
/// specific goals.
fn goal_level(framework: &Framework, area: usize, goal: usize) -> usize {
    let goals = &framework.process_areas[area].goals;
    match goals[goal].kind {
        GoalKind::Generic { level, .. } => level,
        GoalKind::Specific => goals
            .iter()
            .find_map(|g| match g.kind {
                GoalKind::Generic {
                    level,
                    derived: true,
                } => Some(level),
                _ => None,
            })
            .unwrap_or(1),
    }
}

/// The highest level whose goals and all lower levels' goals hold; `None` when no specific
/// goal is applicable.
fn achieved_level(framework: &Framework, area: usize, goals: &[GoalResult]) -> Option<usize> {
    let kinds = &framework.process_areas[area].goals;
    let all_specific_not_applicable = kinds
        .iter()
        .zip(goals)
        .filter(|(goal, _)| goal.kind == GoalKind::Specific)
        .all(|(_, result)| *result == GoalResult::NotApplicable);
    if all_specific_not_applicable {
        return None;
    }
    let mut achieved = 0;
    for level in 1..framework.levels.len() {
        let holds = (0..goals.len())
            .filter(|goal| goal_level(framework, area, *goal) == level)
            .all(|goal| goals[goal] != GoalResult::NotAchieved);
        if !holds {
            break;
        }
        achieved = level;
    }
    Some(achieved)
}

/// Practices of goals above the achieved level, up to the target, that are not performed.
fn blocking_practices(
    framework: &Framework,
    area: usize,
    goals: &[GoalResult],
    achieved: usize,
    target: usize,
    status: &impl Fn(usize) -> Option<Status>,
) -> Vec<usize> {
    let kinds = &framework.process_areas[area].goals;
    let mut blocking = Vec::new();
    for (goal, result) in goals.iter().enumerate() {
        let level = goal_level(framework, area, goal);
        let derived = matches!(kinds[goal].kind, GoalKind::Generic { derived: true, .. });
        if level <= achieved || level > target || derived || *result != GoalResult::NotAchieved {
            continue;
        }
        blocking.extend(kinds[goal].practices.iter().copied().filter(|practice| {
            !matches!(
                status(*practice),
                Some(Status::Performed | Status::NotApplicable)
            )
        }));
    }
    blocking
}

#[cfg(test)]
mod tests;
