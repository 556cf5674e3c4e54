//! Framework files as written, and their translation into a checked [`Framework`].

use std::collections::HashMap;

use serde::Deserialize;

use super::{CapabilityLevel, Catalog, Category, Framework, Goal, GoalKind, Practice, ProcessArea};
use crate::diag::{Code, Diagnostic};
use crate::source::{FileId, SourceFile, Span};
use crate::yaml::{Entries, Spanned, span_of};

/// A framework definition, or an overlay (`overlay_of`) that adds text to one.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFrameworkFile {
    id: Option<Spanned<String>>,
    name: Option<String>,
    version: Option<String>,
    publisher: Option<String>,
    notice: Option<String>,
    source: Option<String>,
    categories: Option<Vec<RawCategory>>,
    levels: Option<Vec<RawLevel>>,
    generic_goals: Option<Vec<RawGenericGoal>>,
    process_areas: Option<Vec<RawArea>>,
    /// Set in an overlay: the framework whose elements it adds text to.
    pub overlay_of: Option<Spanned<String>>,
    /// Overlay text by qualified id (`ADM:SG1.SP1`).
    texts: Option<Entries<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCategory {
    id: String,
    name: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLevel {
    id: String,
    name: String,
    goals: Option<Vec<Spanned<String>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGenericGoal {
    id: Spanned<String>,
    title: String,
    achieved_by: Option<Spanned<String>>,
    practices: Vec<RawItem>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawArea {
    id: Spanned<String>,
    name: String,
    category: Spanned<String>,
    goals: Vec<RawSpecificGoal>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpecificGoal {
    id: Spanned<String>,
    title: String,
    practices: Vec<RawItem>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    id: Spanned<String>,
    title: String,
}

/// Collects problems of one framework file while it is built.
struct Builder<'a> {
    source: &'a SourceFile,
    file: FileId,
    diagnostics: &'a mut Vec<Diagnostic>,
}

impl Builder<'_> {
    fn span<T>(&self, value: &Spanned<T>) -> Span {
        span_of(self.source, self.file, &value.referenced)
    }

    fn report(&mut self, code: Code, span: Span, message: String) {
        self.diagnostics.push(Diagnostic::new(code, span, message));
    }

    fn require<T>(&mut self, value: Option<T>, field: &str) -> Option<T> {
        if value.is_none() {
            self.report(
                Code::MissingField,
                Span::file_start(self.file),
                format!("framework file is missing required field `{field}`"),
            );
        }
        value
    }
}

pub(super) fn build_framework(
    raw: RawFrameworkFile,
    source: &SourceFile,
    file: FileId,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Framework> {
    let mut builder = Builder {
        source,
        file,
        diagnostics,
    };
    let before = builder.diagnostics.len();
    let id = builder.require(raw.id, "id");
    let name = builder.require(raw.name, "name");
    let categories = builder.require(raw.categories, "categories");
    let levels = builder.require(raw.levels, "levels");
    let generic_goals = builder.require(raw.generic_goals, "generic_goals");
    let areas = builder.require(raw.process_areas, "process_areas");
    let (id, name, categories, levels, generic_goals, areas) =
        (id?, name?, categories?, levels?, generic_goals?, areas?);

    let mut framework = Framework {
        id: id.value,
        name,
        version: raw.version.unwrap_or_default(),
        publisher: raw.publisher.unwrap_or_default(),
        notice: raw.notice.unwrap_or_default(),
        source: raw.source.unwrap_or_default(),
        categories: categories
            .into_iter()
            .map(|category| Category {
                id: category.id,
                name: category.name,
            })
            .collect(),
        levels: Vec::new(),
        process_areas: Vec::new(),
        practices: Vec::new(),
        practice_index: HashMap::new(),
        area_index: HashMap::new(),
    };
    let generic_levels = assign_levels(&mut builder, &mut framework, levels, &generic_goals);
    for area in areas {
        add_area(
            &mut builder,
            &mut framework,
            area,
            &generic_goals,
            &generic_levels,
        );
    }
    (builder.diagnostics.len() == before).then_some(framework)
}

/// Fills `framework.levels` and returns, per generic goal, the level it belongs to.
fn assign_levels(
    builder: &mut Builder,
    framework: &mut Framework,
    levels: Vec<RawLevel>,
    generic_goals: &[RawGenericGoal],
) -> Vec<usize> {
    let mut goal_level = vec![usize::MAX; generic_goals.len()];
    for (rank, level) in levels.into_iter().enumerate() {
        if framework.levels.iter().any(|known| known.id == level.id) {
            builder.report(
                Code::InvalidFramework,
                Span::file_start(builder.file),
                format!("level {} is defined twice", level.id),
            );
        }
        let goals = level.goals.unwrap_or_default();
        for goal in &goals {
            match generic_goals.iter().position(|g| g.id.value == goal.value) {
                Some(index) if goal_level[index] != usize::MAX => builder.report(
                    Code::InvalidFramework,
                    builder.span(goal),
                    format!("generic goal \"{}\" belongs to two levels", goal.value),
                ),
                Some(index) => goal_level[index] = rank,
                None => builder.report(
                    Code::InvalidFramework,
                    builder.span(goal),
                    format!(
                        "level {} names unknown generic goal \"{}\"",
                        level.id, goal.value
                    ),
                ),
            }
        }
        framework.levels.push(CapabilityLevel {
            id: level.id,
            name: level.name,
            goals: goals.into_iter().map(|goal| goal.value).collect(),
        });
    }
    for (goal, level) in generic_goals.iter().zip(&goal_level) {
        if *level == usize::MAX {
            builder.report(
                Code::InvalidFramework,
                builder.span(&goal.id),
                format!("generic goal \"{}\" belongs to no level", goal.id.value),
            );
        }
        if let Some(by) = &goal.achieved_by
            && by.value != "specific-goals"
        {
            builder.report(
                Code::InvalidValue,
                builder.span(by),
                format!("unknown value \"{}\" (expected specific-goals)", by.value),
            );
        }
    }
    goal_level
}

fn add_area(
    builder: &mut Builder,
    framework: &mut Framework,
    raw: RawArea,
    generic_goals: &[RawGenericGoal],
    generic_levels: &[usize],
) {
    let Some(category) = framework.category(&raw.category.value) else {
        let span = builder.span(&raw.category);
        let known = framework.categories.iter().map(|c| c.id.as_str());
        let diagnostic = crate::diag::unknown(
            Code::UnknownCategory,
            span,
            "category",
            &raw.category.value,
            known,
        );
        builder.diagnostics.push(diagnostic);
        return;
    };
    let area_index = framework.process_areas.len();
    if framework
        .area_index
        .insert(raw.id.value.clone(), area_index)
        .is_some()
    {
        let span = builder.span(&raw.id);
        builder.report(
            Code::DuplicateId,
            span,
            format!("process area \"{}\" is defined twice", raw.id.value),
        );
        return;
    }
    let specific_level = generic_goals
        .iter()
        .zip(generic_levels)
        .find(|(goal, _)| goal.achieved_by.is_some())
        .map_or(1, |(_, level)| *level);

    // Specific goals first, then every generic goal instantiated for this area.
    let specific = raw.goals.iter().map(|goal| {
        let kind = GoalKind::Specific;
        (
            &goal.id.value,
            &goal.title,
            goal.practices.as_slice(),
            kind,
            specific_level,
        )
    });
    let generic = generic_goals
        .iter()
        .zip(generic_levels)
        .map(|(goal, level)| {
            let derived = goal.achieved_by.is_some();
            let kind = GoalKind::Generic {
                level: *level,
                derived,
            };
            (
                &goal.id.value,
                &goal.title,
                goal.practices.as_slice(),
                kind,
                *level,
            )
        });
    let area_id = &raw.id.value;
    let mut goals = Vec::new();
    for (goal_id, title, items, kind, level) in specific.chain(generic) {
        let derived = matches!(kind, GoalKind::Generic { derived: true, .. });
        let practices = add_practices(
            builder,
            framework,
            (area_id, goal_id),
            items.iter().map(|p| (&p.id, p.title.as_str())),
            (area_index, goals.len()),
            (level, derived),
        );
        goals.push(Goal {
            id: format!("{area_id}:{goal_id}"),
            title: title.clone(),
            kind,
            practices,
            text: None,
        });
    }
    framework.process_areas.push(ProcessArea {
        id: area_id.clone(),
        name: raw.name,
        category,
        goals,
    });
}

/// Adds the practices of one goal; `(area, goal)` name it, `place` is its area's index and the
/// goal's index within the area.
fn add_practices<'a>(
    builder: &mut Builder,
    framework: &mut Framework,
    (area_id, goal_id): (&str, &str),
    items: impl Iterator<Item = (&'a Spanned<String>, &'a str)>,
    (area, goal): (usize, usize),
    (level, derived): (usize, bool),
) -> Vec<usize> {
    let goal_id = format!("{area_id}:{goal_id}");
    let mut indexes = Vec::new();
    for (id, title) in items {
        let qualified = format!("{goal_id}.{}", id.value);
        let index = framework.practices.len();
        if framework
            .practice_index
            .insert(qualified.clone(), index)
            .is_some()
        {
            let span = builder.span(id);
            builder.report(
                Code::DuplicateId,
                span,
                format!("practice \"{qualified}\" is defined twice"),
            );
            continue;
        }
        framework.practices.push(Practice {
            id: qualified,
            title: title.to_string(),
            area,
            goal,
            level,
            derived,
            text: None,
        });
        indexes.push(index);
    }
    indexes
}

/// Adds an overlay's text to the framework it names.
pub(super) fn apply_overlay(
    catalog: &mut Catalog,
    raw: RawFrameworkFile,
    source: &SourceFile,
    file: FileId,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let Some(target) = raw.overlay_of else { return };
    let Some(index) = catalog.frameworks.iter().position(|f| f.id == target.value) else {
        let known = catalog.frameworks.iter().map(|f| f.id.as_str());
        diagnostics.push(crate::diag::unknown(
            Code::UnknownFramework,
            span_of(source, file, &target.referenced),
            "framework",
            &target.value,
            known,
        ));
        return;
    };
    let framework = &mut catalog.frameworks[index];
    for (id, text) in raw.texts.unwrap_or_default().0 {
        if let Some(practice) = framework.practice(&id.value) {
            framework.practices[practice].text = Some(text);
        } else if let Some((area, goal)) = framework.goal(&id.value) {
            framework.process_areas[area].goals[goal].text = Some(text);
        } else {
            diagnostics.push(crate::diag::unknown(
                Code::UnknownPractice,
                span_of(source, file, &id.referenced),
                "practice or goal",
                &id.value,
                framework.practice_ids(),
            ));
        }
    }
}
