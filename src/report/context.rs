//! The one report context: every number any output shows comes from here, so the table, JSON
//! and Markdown cannot disagree.

use serde::Serialize;

use crate::catalog::Framework;
use crate::model::Repository;
use crate::score::{Counts, GoalResult, Outcome, Scorecard};

/// The `schema` value of `rmm assess --format json`.
pub const ASSESS_SCHEMA: &str = "rmm.assess/v1";

/// How the percentages are computed, stated in every output.
pub const PERCENT_RULE: &str = "performed % = performed / applicable practices; not-applicable practices are left out, unanswered ones count as not performed";

#[derive(Debug, Serialize)]
pub struct AssessContext {
    pub schema: &'static str,
    pub organization: String,
    pub framework: FrameworkInfo,
    pub assessment: AssessmentInfo,
    pub rules: Rules,
    pub summary: Rollup,
    pub categories: Vec<CategoryRow>,
    pub process_areas: Vec<AreaRow>,
    /// Areas below target, largest gap first, then by id.
    pub gaps: Vec<GapRow>,
}

#[derive(Debug, Serialize)]
pub struct FrameworkInfo {
    pub id: String,
    pub name: String,
    pub version: String,
    pub notice: String,
}

#[derive(Debug, Serialize)]
pub struct AssessmentInfo {
    pub id: String,
    pub title: String,
    pub date: String,
    pub assessors: Vec<String>,
    pub method: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Rules {
    pub performed_percent: &'static str,
    pub level: &'static str,
}

#[derive(Debug, Serialize)]
pub struct Rollup {
    pub process_areas: usize,
    pub evaluated: usize,
    pub at_target: usize,
    pub below_target: usize,
    pub total_gap: usize,
    pub counts: Counts,
    pub applicable: usize,
    pub performed_percent: Option<f64>,
}

#[derive(Debug, Serialize)]
pub struct CategoryRow {
    pub id: String,
    pub name: String,
    #[serde(flatten)]
    pub rollup: Rollup,
}

#[derive(Debug, Serialize)]
pub struct LevelRef {
    pub id: String,
    pub name: String,
    pub rank: usize,
}

#[derive(Debug, Serialize)]
pub struct AreaRow {
    pub id: String,
    pub name: String,
    pub category: String,
    pub category_name: String,
    pub owner: Option<String>,
    /// `evaluated`, `not-evaluated` (no applicable practice), `not-assessed` (outside this
    /// assessment's scope) or `out-of-scope` (the organization does not run it).
    pub status: &'static str,
    pub scope_reason: Option<String>,
    pub level: Option<LevelRef>,
    pub target: Option<LevelRef>,
    pub gap: Option<usize>,
    pub counts: Counts,
    pub applicable: usize,
    pub performed_percent: Option<f64>,
    pub goals: Vec<GoalRow>,
    pub blocking: Vec<PracticeRow>,
}

#[derive(Debug, Serialize)]
pub struct GoalRow {
    pub id: String,
    pub title: String,
    pub result: GoalResult,
}

#[derive(Debug, Serialize)]
pub struct PracticeRow {
    pub id: String,
    pub title: String,
    /// The level the practice counts towards.
    pub level: String,
    /// The answer, or `unanswered`.
    pub status: &'static str,
}

#[derive(Debug, Serialize)]
pub struct GapRow {
    pub process_area: String,
    pub name: String,
    pub level: String,
    pub target: String,
    pub gap: usize,
    pub blocking: Vec<PracticeRow>,
}

pub fn build(repository: &Repository, scorecard: &Scorecard) -> AssessContext {
    let framework = &repository.framework;
    let assessment = &repository.assessments[scorecard.assessment];
    let process_areas: Vec<AreaRow> = scorecard
        .areas
        .iter()
        .map(|score| area_row(repository, scorecard, score))
        .collect();
    let mut gaps: Vec<GapRow> = process_areas
        .iter()
        .filter(|row| row.gap.is_some_and(|gap| gap > 0))
        .map(|row| GapRow {
            process_area: row.id.clone(),
            name: row.name.clone(),
            level: row.level.as_ref().map(|l| l.id.clone()).unwrap_or_default(),
            target: row
                .target
                .as_ref()
                .map(|l| l.id.clone())
                .unwrap_or_default(),
            gap: row.gap.unwrap_or(0),
            blocking: row.blocking.iter().map(PracticeRow::clone_row).collect(),
        })
        .collect();
    gaps.sort_by(|a, b| {
        b.gap
            .cmp(&a.gap)
            .then_with(|| a.process_area.cmp(&b.process_area))
    });

    AssessContext {
        schema: ASSESS_SCHEMA,
        organization: repository.config.organization.name.clone(),
        framework: FrameworkInfo {
            id: framework.id.clone(),
            name: framework.name.clone(),
            version: framework.version.clone(),
            notice: framework.notice.clone(),
        },
        assessment: AssessmentInfo {
            id: assessment.id.clone(),
            title: assessment.title.clone(),
            date: assessment.date.to_string(),
            assessors: assessment.assessors.clone(),
            method: assessment.method.clone(),
        },
        rules: Rules {
            performed_percent: PERCENT_RULE,
            level: "a level counts when every applicable practice of its goals and of all lower levels' goals is performed",
        },
        summary: rollup(&scorecard.total),
        categories: framework
            .categories
            .iter()
            .zip(&scorecard.categories)
            .map(|(category, rolled)| CategoryRow {
                id: category.id.clone(),
                name: category.name.clone(),
                rollup: rollup(rolled),
            })
            .collect(),
        process_areas,
        gaps,
    }
}

impl PracticeRow {
    fn clone_row(&self) -> PracticeRow {
        PracticeRow {
            id: self.id.clone(),
            title: self.title.clone(),
            level: self.level.clone(),
            status: self.status,
        }
    }
}

fn rollup(rolled: &crate::score::Rollup) -> Rollup {
    Rollup {
        process_areas: rolled.in_scope,
        evaluated: rolled.evaluated,
        at_target: rolled.at_target,
        below_target: rolled.evaluated - rolled.at_target,
        total_gap: rolled.total_gap,
        counts: rolled.counts,
        applicable: rolled.counts.applicable(),
        performed_percent: rolled.counts.performed_percent(),
    }
}

fn level_ref(framework: &Framework, level: usize) -> LevelRef {
    LevelRef {
        id: framework.levels[level].id.clone(),
        name: framework.levels[level].name.clone(),
        rank: level,
    }
}

fn area_row(
    repository: &Repository,
    scorecard: &Scorecard,
    score: &crate::score::AreaScore,
) -> AreaRow {
    let framework = &repository.framework;
    let area = &framework.process_areas[score.area];
    let setup = &repository.areas[score.area];
    let category = &framework.categories[area.category];
    let assessment = &repository.assessments[scorecard.assessment];
    let status = match score.outcome {
        Outcome::OutOfScope => "out-of-scope",
        Outcome::NotAssessed => "not-assessed",
        Outcome::NotEvaluated => "not-evaluated",
        Outcome::Level(_) => "evaluated",
    };
    AreaRow {
        id: area.id.clone(),
        name: area.name.clone(),
        category: category.id.clone(),
        category_name: category.name.clone(),
        owner: setup.owner.clone(),
        status,
        scope_reason: setup.scope_reason.clone(),
        level: score.level().map(|level| level_ref(framework, level)),
        target: score.target.map(|level| level_ref(framework, level)),
        gap: score.gap,
        counts: score.counts,
        applicable: score.counts.applicable(),
        performed_percent: score.counts.performed_percent(),
        goals: area
            .goals
            .iter()
            .zip(&score.goals)
            .map(|(goal, result)| GoalRow {
                id: goal.id.clone(),
                title: goal.title.clone(),
                result: *result,
            })
            .collect(),
        blocking: score
            .blocking
            .iter()
            .map(|practice| {
                let details = &framework.practices[*practice];
                PracticeRow {
                    id: details.id.clone(),
                    title: details.title.clone(),
                    level: framework.levels[details.level].id.clone(),
                    status: assessment.answers[*practice]
                        .as_ref()
                        .map_or("unanswered", |answer| answer.status.as_str()),
                }
            })
            .collect(),
    }
}

/// "62.5 %", or "n/a" when nothing is applicable.
pub fn percent_text(percent: Option<f64>) -> String {
    percent.map_or_else(|| "n/a".to_string(), |p| format!("{p:.1} %"))
}
