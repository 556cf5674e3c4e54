//! The one report context: every number any output shows comes from here, so the terminal
//! table, JSON, Markdown, HTML and CSV cannot disagree.

use jiff::civil::Date;
use serde::Serialize;

use crate::catalog::{Framework, GoalKind};
use crate::check::Checked;
use crate::diag::Severity;
use crate::model::{EvidenceLocation, FileState, Repository};
use crate::output::diagnostics::location;
use crate::score::{AreaScore, Counts, GoalResult, Outcome, Scorecard};

/// The `schema` value of the JSON report (`rmm assess --format json`, `rmm report --format
/// json`); docs/report-json.md describes it.
pub const REPORT_SCHEMA: &str = "rmm.report/v1";

/// How the percentages are computed, stated in every output.
pub const PERCENT_RULE: &str = "performed % = performed / applicable practices; not-applicable practices are left out, unanswered ones count as not performed";

pub const LEVEL_RULE: &str = "a level counts when every applicable practice of its goals and of all lower levels' goals is performed";

#[derive(Debug, Serialize)]
pub struct Report {
    pub schema: &'static str,
    pub organization: String,
    pub framework: FrameworkInfo,
    pub assessment: AssessmentInfo,
    /// The day evidence is judged on: `--as-of`, else the assessment's date.
    pub as_of: String,
    /// Only from SOURCE_DATE_EPOCH or an explicit option, so output stays reproducible.
    pub generated: Option<String>,
    pub rules: Rules,
    pub summary: Rollup,
    pub categories: Vec<CategoryRow>,
    pub process_areas: Vec<AreaRow>,
    /// Areas below target, largest gap first, then by id.
    pub gaps: Vec<GapRow>,
    pub evidence: EvidenceHealth,
    pub findings: Findings,
}

#[derive(Debug, Serialize)]
pub struct FrameworkInfo {
    pub id: String,
    pub name: String,
    pub version: String,
    pub notice: String,
    pub levels: Vec<LevelRef>,
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

#[derive(Debug, Clone, Serialize)]
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
    pub requirements: Vec<String>,
    pub level: Option<LevelRef>,
    pub target: Option<LevelRef>,
    pub gap: Option<usize>,
    /// `null` for areas this assessment does not score (out of scope, not assessed).
    pub counts: Option<Counts>,
    pub applicable: Option<usize>,
    pub performed_percent: Option<f64>,
    /// Empty for areas this assessment does not score.
    pub goals: Vec<GoalRow>,
    pub blocking: Vec<PracticeRef>,
}

#[derive(Debug, Serialize)]
pub struct GoalRow {
    pub id: String,
    pub title: String,
    /// `specific` or `generic`.
    pub kind: &'static str,
    /// The level the goal counts towards.
    pub level: String,
    pub result: GoalResult,
    /// For the heat map: `achieved`, `partly` (some applicable practice performed), `not` or
    /// `not-applicable`.
    pub heat: &'static str,
    pub performed: usize,
    pub applicable: usize,
    pub practices: Vec<PracticeRow>,
}

#[derive(Debug, Serialize)]
pub struct PracticeRow {
    pub id: String,
    pub title: String,
    pub level: String,
    /// The answer, `unanswered`, or `derived` for GG1.GP1.
    pub status: &'static str,
    pub controls: Vec<String>,
    pub evidence: Vec<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PracticeRef {
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
    pub owner: Option<String>,
    pub level: String,
    pub target: String,
    pub gap: usize,
    pub blocking: Vec<PracticeRef>,
}

#[derive(Debug, Serialize)]
pub struct EvidenceHealth {
    pub expiring_within_days: u32,
    /// Counts and records cover the evidence this assessment relies on.
    pub present: usize,
    pub expiring: usize,
    pub expired: usize,
    pub missing: usize,
    pub records: Vec<EvidenceRow>,
    /// Evidence records in the repository that this assessment does not cite.
    pub not_cited: usize,
}

#[derive(Debug, Serialize)]
pub struct EvidenceRow {
    pub id: String,
    pub title: String,
    /// A repository-relative path or a URL, as text.
    pub location: String,
    /// A link target that is safe to follow: http, https or mailto only.
    pub href: Option<String>,
    pub collected: String,
    pub expires: Option<String>,
    /// `present`, `expiring`, `expired` or `missing` (missing also covers a file outside the
    /// repository or one that fails its sha256).
    pub status: &'static str,
    pub problem: Option<&'static str>,
    /// How many answers of this assessment rely on it, directly or through a control.
    pub cited: usize,
}

#[derive(Debug, Serialize)]
pub struct Findings {
    pub errors: usize,
    pub warnings: usize,
    pub items: Vec<FindingRow>,
}

#[derive(Debug, Serialize)]
pub struct FindingRow {
    pub code: &'static str,
    pub severity: Severity,
    pub location: String,
    pub message: String,
}

/// What the caller decides about dates.
#[derive(Debug, Clone, Default)]
pub struct Dates {
    pub as_of: Option<Date>,
    pub generated: Option<String>,
}

pub fn build(checked: &Checked, scorecard: &Scorecard, dates: &Dates) -> Report {
    let repository = &checked.repository;
    let framework = &repository.framework;
    let assessment = &repository.assessments[scorecard.assessment];
    let as_of = dates.as_of.unwrap_or(assessment.date);
    let process_areas: Vec<AreaRow> = scorecard
        .areas
        .iter()
        .map(|score| area_row(repository, scorecard, score))
        .collect();

    Report {
        schema: REPORT_SCHEMA,
        organization: repository.config.organization.name.clone(),
        framework: FrameworkInfo {
            id: framework.id.clone(),
            name: framework.name.clone(),
            version: framework.version.clone(),
            notice: framework.notice.clone(),
            levels: (0..framework.levels.len())
                .map(|l| level_ref(framework, l))
                .collect(),
        },
        assessment: AssessmentInfo {
            id: assessment.id.clone(),
            title: assessment.title.clone(),
            date: assessment.date.to_string(),
            assessors: assessment.assessors.clone(),
            method: assessment.method.clone(),
        },
        as_of: as_of.to_string(),
        generated: dates.generated.clone(),
        rules: Rules {
            performed_percent: PERCENT_RULE,
            level: LEVEL_RULE,
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
        gaps: gap_rows(&process_areas),
        process_areas,
        evidence: evidence_health(repository, scorecard.assessment, as_of),
        findings: findings(checked),
    }
}

fn gap_rows(areas: &[AreaRow]) -> Vec<GapRow> {
    let mut gaps: Vec<GapRow> = areas
        .iter()
        .filter(|row| row.gap.is_some_and(|gap| gap > 0))
        .map(|row| GapRow {
            process_area: row.id.clone(),
            name: row.name.clone(),
            owner: row.owner.clone(),
            level: row.level.as_ref().map(|l| l.id.clone()).unwrap_or_default(),
            target: row
                .target
                .as_ref()
                .map(|l| l.id.clone())
                .unwrap_or_default(),
            gap: row.gap.unwrap_or(0),
            blocking: row.blocking.clone(),
        })
        .collect();
    gaps.sort_by(|a, b| {
        b.gap
            .cmp(&a.gap)
            .then_with(|| crate::source::natural_cmp(&a.process_area, &b.process_area))
    });
    gaps
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

fn area_row(repository: &Repository, scorecard: &Scorecard, score: &AreaScore) -> AreaRow {
    let framework = &repository.framework;
    let area = &framework.process_areas[score.area];
    let setup = &repository.areas[score.area];
    let category = &framework.categories[area.category];
    let scored = score.in_scope();
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
        requirements: setup.requirements.clone(),
        level: score.level().map(|level| level_ref(framework, level)),
        target: score.target.map(|level| level_ref(framework, level)),
        gap: score.gap,
        counts: scored.then_some(score.counts),
        applicable: scored.then(|| score.counts.applicable()),
        performed_percent: score.counts.performed_percent().filter(|_| scored),
        goals: if scored {
            (0..area.goals.len())
                .map(|goal| goal_row(repository, scorecard, score, goal))
                .collect()
        } else {
            Vec::new()
        },
        blocking: score
            .blocking
            .iter()
            .map(|practice| practice_ref(repository, scorecard, *practice))
            .collect(),
    }
}

fn goal_row(
    repository: &Repository,
    scorecard: &Scorecard,
    score: &AreaScore,
    goal: usize,
) -> GoalRow {
    let framework = &repository.framework;
    let details = &framework.process_areas[score.area].goals[goal];
    let practices: Vec<PracticeRow> = details
        .practices
        .iter()
        .map(|practice| practice_row(repository, scorecard, *practice))
        .collect();
    let answered: Vec<&PracticeRow> = practices.iter().filter(|p| p.status != "derived").collect();
    let applicable = answered
        .iter()
        .filter(|p| p.status != "not-applicable")
        .count();
    let performed = answered.iter().filter(|p| p.status == "performed").count();
    let (kind, level) = match details.kind {
        GoalKind::Specific => (
            "specific",
            practices
                .first()
                .map(|p| p.level.clone())
                .unwrap_or_default(),
        ),
        GoalKind::Generic { level, .. } => ("generic", framework.levels[level].id.clone()),
    };
    let result = score.goals[goal];
    let heat = match result {
        GoalResult::Achieved => "achieved",
        GoalResult::NotApplicable => "not-applicable",
        GoalResult::NotAchieved if performed > 0 => "partly",
        GoalResult::NotAchieved => "not",
    };
    GoalRow {
        id: details.id.clone(),
        title: details.title.clone(),
        kind,
        level,
        result,
        heat,
        performed,
        applicable,
        practices,
    }
}

fn status_of(repository: &Repository, scorecard: &Scorecard, practice: usize) -> &'static str {
    if repository.framework.practices[practice].derived {
        return "derived";
    }
    repository.assessments[scorecard.assessment].answers[practice]
        .as_ref()
        .map_or("unanswered", |answer| answer.status.as_str())
}

fn practice_ref(repository: &Repository, scorecard: &Scorecard, practice: usize) -> PracticeRef {
    let framework = &repository.framework;
    let details = &framework.practices[practice];
    PracticeRef {
        id: details.id.clone(),
        title: details.title.clone(),
        level: framework.levels[details.level].id.clone(),
        status: status_of(repository, scorecard, practice),
    }
}

fn practice_row(repository: &Repository, scorecard: &Scorecard, practice: usize) -> PracticeRow {
    let framework = &repository.framework;
    let details = &framework.practices[practice];
    let answer = repository.assessments[scorecard.assessment].answers[practice].as_ref();
    PracticeRow {
        id: details.id.clone(),
        title: details.title.clone(),
        level: framework.levels[details.level].id.clone(),
        status: status_of(repository, scorecard, practice),
        controls: answer
            .map(|a| {
                a.controls
                    .iter()
                    .map(|c| repository.controls[*c].id.clone())
                    .collect()
            })
            .unwrap_or_default(),
        evidence: answer
            .map(|a| {
                repository
                    .supporting_evidence(a)
                    .into_iter()
                    .map(|e| repository.evidence[e].id.clone())
                    .collect()
            })
            .unwrap_or_default(),
        note: answer.and_then(|a| a.note.clone()),
    }
}

fn evidence_health(repository: &Repository, assessment: usize, as_of: Date) -> EvidenceHealth {
    let window = repository.config.evidence.expiring_within_days;
    let assessed_on = repository.assessments[assessment].date;
    let mut cited = vec![0usize; repository.evidence.len()];
    for answer in repository.assessments[assessment].answers.iter().flatten() {
        for evidence in repository.supporting_evidence(answer) {
            cited[evidence] += 1;
        }
    }
    let soon = crate::check::days_after(as_of, i64::from(window));
    let mut records: Vec<EvidenceRow> = repository
        .evidence
        .iter()
        .zip(&cited)
        .map(|(evidence, cited)| {
            let (status, problem) = match evidence.file_state {
                FileState::Missing => ("missing", Some("file not found")),
                FileState::Folder => ("missing", Some("the path is a folder")),
                FileState::Outside => ("missing", Some("path outside the repository")),
                FileState::HashMismatch => ("missing", Some("file does not match its sha256")),
                FileState::Present | FileState::Remote if evidence.collected > assessed_on => {
                    ("missing", Some("collected after the assessment's date"))
                }
                FileState::Present | FileState::Remote => match evidence.expires {
                    Some(expires) if expires < as_of => ("expired", None),
                    Some(expires) if expires <= soon => ("expiring", None),
                    _ => ("present", None),
                },
            };
            let (location, href) = match &evidence.location {
                EvidenceLocation::File(path) => (path.clone(), None),
                EvidenceLocation::Url(url) => (url.clone(), safe_href(url)),
            };
            EvidenceRow {
                id: evidence.id.clone(),
                title: evidence.title.clone(),
                location,
                href,
                collected: evidence.collected.to_string(),
                expires: evidence.expires.map(|date| date.to_string()),
                status,
                problem,
                cited: *cited,
            }
        })
        .collect();
    records.sort_by(|a, b| crate::source::natural_cmp(&a.id, &b.id));
    let total = records.len();
    records.retain(|record| record.cited > 0);
    let count = |status: &str| records.iter().filter(|r| r.status == status).count();
    EvidenceHealth {
        expiring_within_days: window,
        present: count("present"),
        expiring: count("expiring"),
        expired: count("expired"),
        missing: count("missing"),
        not_cited: total - records.len(),
        records,
    }
}

/// A link target only for http, https and mailto; anything else (javascript:, data:, disguised
/// schemes) is shown as text, never as a link.
pub fn safe_href(url: &str) -> Option<String> {
    let trimmed = url.trim();
    let lower = trimmed.to_ascii_lowercase();
    let allowed = ["http://", "https://", "mailto:"]
        .iter()
        .any(|scheme| lower.starts_with(scheme));
    let clean = !trimmed.chars().any(|c| c.is_control() || c.is_whitespace());
    (allowed && clean).then(|| trimmed.to_string())
}

fn findings(checked: &Checked) -> Findings {
    let items: Vec<FindingRow> = checked
        .diagnostics
        .iter()
        .map(|diagnostic| FindingRow {
            code: diagnostic.code.name(),
            severity: diagnostic.severity,
            location: location(&checked.sources, diagnostic),
            message: diagnostic.message.clone(),
        })
        .collect();
    let errors = items
        .iter()
        .filter(|i| i.severity == Severity::Error)
        .count();
    Findings {
        errors,
        warnings: items.len() - errors,
        items,
    }
}

/// "62.5 %", or "n/a" when nothing is applicable.
pub fn percent_text(percent: Option<f64>) -> String {
    percent.map_or_else(|| "n/a".to_string(), |p| format!("{p:.1} %"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_https_and_mailto_become_links() {
        assert_eq!(
            safe_href("https://intranet.example/policy?a=1&b=2").as_deref(),
            Some("https://intranet.example/policy?a=1&b=2")
        );
        assert_eq!(
            safe_href("mailto:ciso@example.com").as_deref(),
            Some("mailto:ciso@example.com")
        );
        assert_eq!(safe_href("javascript:alert(4)"), None);
        assert_eq!(safe_href("JaVaScRiPt&#58;alert(5)"), None);
        assert_eq!(safe_href("data:text/html,<script>alert(6)</script>"), None);
        assert_eq!(
            safe_href("https://x.example/\"onmouseover=\"a"),
            Some("https://x.example/\"onmouseover=\"a".into())
        );
        assert_eq!(safe_href("https://x.example/a b"), None);
    }
}
