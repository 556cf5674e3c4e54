//! The gate of `rmm check`: thresholds from `rmm.toml` (and flags) against a scorecard. Every
//! threshold missed is listed with its numbers.

use crate::catalog::Framework;
use crate::check::GateSettings;
use crate::score::{Outcome, Scorecard};

/// One threshold missed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Miss {
    /// The `rmm.toml` key: `max_gap`, `min_level`, ...
    pub threshold: &'static str,
    /// The process area or category concerned, or `None` for repository-wide thresholds.
    pub subject: Option<String>,
    pub actual: String,
    pub allowed: String,
    pub message: String,
}

pub fn evaluate(framework: &Framework, scorecard: &Scorecard, gate: &GateSettings) -> Vec<Miss> {
    let mut misses = Vec::new();
    let level_id = |level: usize| framework.levels[level].id.clone();
    for score in scorecard.areas.iter().filter(|score| score.in_scope()) {
        let area = &framework.process_areas[score.area];
        let Outcome::Level(level) = score.outcome else {
            if !gate.allow_not_evaluated {
                misses.push(Miss {
                    threshold: "allow_not_evaluated",
                    subject: Some(area.id.clone()),
                    actual: "not evaluated".into(),
                    allowed: "evaluated".into(),
                    message: format!(
                        "process area {} not evaluated: none of its specific practices is applicable",
                        area.id
                    ),
                });
            }
            continue;
        };
        let gap = score.gap.unwrap_or(0);
        if let Some(max) = gate.max_gap.filter(|max| gap > *max) {
            misses.push(Miss {
                threshold: "max_gap",
                subject: Some(area.id.clone()),
                actual: gap.to_string(),
                allowed: max.to_string(),
                message: format!("process area {}: gap {gap} exceeds max_gap {max}", area.id),
            });
        }
        let minimums = [
            ("min_level", gate.min_level),
            (
                "min_level_by_area",
                gate.min_level_by_area.get(&score.area).copied(),
            ),
            (
                "min_level_by_category",
                gate.min_level_by_category.get(&area.category).copied(),
            ),
        ];
        for (threshold, minimum) in minimums {
            let Some(minimum) = minimum.filter(|minimum| level < *minimum) else {
                continue;
            };
            misses.push(Miss {
                threshold,
                subject: Some(area.id.clone()),
                actual: level_id(level),
                allowed: level_id(minimum),
                message: format!(
                    "process area {}: level {} is below {threshold} {}",
                    area.id,
                    level_id(level),
                    level_id(minimum)
                ),
            });
        }
    }
    for (area, minimum) in &gate.min_level_by_area {
        let score = &scorecard.areas[*area];
        let state = match score.outcome {
            Outcome::OutOfScope => "out of scope",
            Outcome::NotAssessed => "not assessed",
            _ => continue,
        };
        let id = &framework.process_areas[*area].id;
        misses.push(Miss {
            threshold: "min_level_by_area",
            subject: Some(id.clone()),
            actual: state.to_string(),
            allowed: level_id(*minimum),
            message: format!(
                "process area {id} has min_level_by_area {} but is {state} in this assessment",
                level_id(*minimum)
            ),
        });
    }
    let total = &scorecard.total;
    if let Some(max) = gate.max_total_gap.filter(|max| total.total_gap > *max) {
        misses.push(Miss {
            threshold: "max_total_gap",
            subject: None,
            actual: total.total_gap.to_string(),
            allowed: max.to_string(),
            message: format!("total gap {} exceeds max_total_gap {max}", total.total_gap),
        });
    }
    let unanswered = total.counts.unanswered;
    if let Some(max) = gate.max_unanswered.filter(|max| unanswered > *max) {
        misses.push(Miss {
            threshold: "max_unanswered",
            subject: None,
            actual: unanswered.to_string(),
            allowed: max.to_string(),
            message: format!("{unanswered} practices unanswered, more than max_unanswered {max}"),
        });
    }
    misses
}
