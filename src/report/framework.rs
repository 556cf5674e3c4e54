//! `rmm framework list` and `rmm framework show`: the catalog as a table or as JSON.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};
use serde::Serialize;

use crate::catalog::{Catalog, Framework, GoalKind};

#[derive(Serialize)]
struct FrameworkSummary<'a> {
    id: &'a str,
    name: &'a str,
    version: &'a str,
    process_areas: usize,
    goals: usize,
    practices: usize,
}

fn summary(framework: &Framework) -> FrameworkSummary<'_> {
    FrameworkSummary {
        id: &framework.id,
        name: &framework.name,
        version: &framework.version,
        process_areas: framework.process_areas.len(),
        goals: framework
            .process_areas
            .iter()
            .map(|area| area.goals.len())
            .sum(),
        practices: framework.practices.len(),
    }
}

pub fn list(catalog: &Catalog, json: bool) -> anyhow::Result<String> {
    let summaries: Vec<FrameworkSummary> = catalog.frameworks.iter().map(summary).collect();
    if json {
        return Ok(serde_json::to_string_pretty(&summaries)? + "\n");
    }
    let mut table = new_table([
        "Id",
        "Name",
        "Version",
        "Process areas",
        "Goals",
        "Practices",
    ]);
    for s in summaries {
        table.add_row([
            s.id.to_string(),
            s.name.to_string(),
            s.version.to_string(),
            s.process_areas.to_string(),
            s.goals.to_string(),
            s.practices.to_string(),
        ]);
    }
    Ok(format!("{table}\n"))
}

#[derive(Serialize)]
struct Shown<'a> {
    id: &'a str,
    name: &'a str,
    version: &'a str,
    publisher: &'a str,
    notice: &'a str,
    source: &'a str,
    levels: Vec<ShownLevel<'a>>,
    categories: Vec<ShownCategory<'a>>,
    process_areas: Vec<ShownArea<'a>>,
}

#[derive(Serialize)]
struct ShownLevel<'a> {
    id: &'a str,
    name: &'a str,
    goals: &'a [String],
}

#[derive(Serialize)]
struct ShownCategory<'a> {
    id: &'a str,
    name: &'a str,
}

#[derive(Serialize)]
struct ShownArea<'a> {
    id: &'a str,
    name: &'a str,
    category: &'a str,
    goals: Vec<ShownGoal<'a>>,
}

#[derive(Serialize)]
struct ShownGoal<'a> {
    id: &'a str,
    title: &'a str,
    kind: &'static str,
    level: &'a str,
    text: Option<&'a str>,
    practices: Vec<ShownPractice<'a>>,
}

#[derive(Serialize)]
struct ShownPractice<'a> {
    id: &'a str,
    title: &'a str,
    derived: bool,
    text: Option<&'a str>,
}

fn shown(framework: &Framework) -> Shown<'_> {
    Shown {
        id: &framework.id,
        name: &framework.name,
        version: &framework.version,
        publisher: &framework.publisher,
        notice: &framework.notice,
        source: &framework.source,
        levels: framework
            .levels
            .iter()
            .map(|level| ShownLevel {
                id: &level.id,
                name: &level.name,
                goals: &level.goals,
            })
            .collect(),
        categories: framework
            .categories
            .iter()
            .map(|category| ShownCategory {
                id: &category.id,
                name: &category.name,
            })
            .collect(),
        process_areas: framework
            .process_areas
            .iter()
            .map(|area| ShownArea {
                id: &area.id,
                name: &area.name,
                category: &framework.categories[area.category].id,
                goals: area
                    .goals
                    .iter()
                    .map(|goal| {
                        let (kind, level) = match goal.kind {
                            GoalKind::Specific => (
                                "specific",
                                goal.practices.first().map_or("", |p| {
                                    framework.levels[framework.practices[*p].level].id.as_str()
                                }),
                            ),
                            GoalKind::Generic { level, .. } => {
                                ("generic", framework.levels[level].id.as_str())
                            }
                        };
                        ShownGoal {
                            id: &goal.id,
                            title: &goal.title,
                            kind,
                            level,
                            text: goal.text.as_deref(),
                            practices: goal
                                .practices
                                .iter()
                                .map(|p| {
                                    let practice = &framework.practices[*p];
                                    ShownPractice {
                                        id: &practice.id,
                                        title: &practice.title,
                                        derived: practice.derived,
                                        text: practice.text.as_deref(),
                                    }
                                })
                                .collect(),
                        }
                    })
                    .collect(),
            })
            .collect(),
    }
}

pub fn show(framework: &Framework, json: bool) -> anyhow::Result<String> {
    let shown = shown(framework);
    if json {
        return Ok(serde_json::to_string_pretty(&shown)? + "\n");
    }
    let mut out = format!(
        "{} {} ({})\n{}\n\n",
        shown.name, shown.version, shown.id, shown.notice
    );
    let mut levels = new_table(["Level", "Name", "Generic goals"]);
    for level in &shown.levels {
        levels.add_row([level.id, level.name, &level.goals.join(", ")]);
    }
    out.push_str(&format!("{levels}\n\n"));
    let mut table = new_table(["Id", "Title", "Category", "Level"]);
    for area in &shown.process_areas {
        table.add_row([area.id, area.name, area.category, ""]);
        for goal in area.goals.iter().filter(|goal| goal.kind == "specific") {
            table.add_row([goal.id, goal.title, "", goal.level]);
            for practice in &goal.practices {
                table.add_row([practice.id, practice.title, "", goal.level]);
            }
        }
    }
    out.push_str(&format!("{table}\n"));
    out.push_str("Generic goals GG1-GG3 and their practices apply to every process area, written per area (ADM:GG2.GP4); see --format json.\n");
    Ok(out)
}

fn new_table<const N: usize>(header: [&str; N]) -> Table {
    let mut table = Table::new();
    table
        .load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(header);
    table
}
