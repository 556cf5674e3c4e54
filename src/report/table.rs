//! `rmm assess` in the terminal: one row per process area, a line per category, then the gaps.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{CellAlignment, ContentArrangement, Table};

use super::context::{AreaRow, Report, percent_text};

/// The table and summary lines; repository text is made terminal-safe.
pub fn render(context: &Report) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "{}: assessment {} ({}) against {} {}\n\n",
        context.organization,
        context.assessment.id,
        context.assessment.date,
        context.framework.name,
        context.framework.version
    ));
    out.push_str(&areas_table(context).to_string());
    out.push_str("\n\n");
    out.push_str(&category_lines(context));
    out.push('\n');
    out.push_str(&gap_lines(context));
    crate::source::terminal_safe(&out).into_owned()
}

fn areas_table(context: &Report) -> Table {
    let mut table = Table::new();
    table
        .load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header([
            "Process area",
            "Category",
            "Owner",
            "Level",
            "Target",
            "Gap",
            "Performed",
        ]);
    for row in &context.process_areas {
        let cells = area_cells(row);
        table.add_row(
            cells
                .iter()
                .map(|cell| crate::source::terminal_safe(cell).into_owned()),
        );
    }
    for column in 3..7 {
        if let Some(column) = table.column_mut(column) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    table
}

fn area_cells(row: &AreaRow) -> Vec<String> {
    let level = match row.status {
        "evaluated" => row.level.as_ref().map(|l| l.id.clone()).unwrap_or_default(),
        other => other.replace('-', " "),
    };
    let scored = row.status == "evaluated" || row.status == "not-evaluated";
    let dash = || "-".to_string();
    vec![
        format!("{} {}", row.id, row.name),
        row.category_name.clone(),
        row.owner.clone().unwrap_or_else(dash),
        level,
        row.target.as_ref().map_or_else(dash, |l| l.id.clone()),
        row.gap.map_or_else(dash, |gap| gap.to_string()),
        if scored {
            percent_text(row.performed_percent)
        } else {
            dash()
        },
    ]
}

fn category_lines(context: &Report) -> String {
    let mut out = String::new();
    let summary = std::iter::once(("All process areas", &context.summary)).chain(
        context
            .categories
            .iter()
            .map(|c| (c.name.as_str(), &c.rollup)),
    );
    for (name, rollup) in summary {
        if rollup.process_areas == 0 {
            out.push_str(&format!("{name}: no process area assessed\n"));
            continue;
        }
        out.push_str(&format!(
            "{name}: {} of {} at target, total gap {}, performed {} ({} of {} applicable practices)\n",
            rollup.at_target,
            rollup.process_areas,
            rollup.total_gap,
            percent_text(rollup.performed_percent),
            rollup.counts.performed,
            rollup.applicable,
        ));
    }
    out
}

fn gap_lines(context: &Report) -> String {
    if context.gaps.is_empty() {
        return "Gaps: none; every evaluated process area meets its target.\n".to_string();
    }
    let mut out = format!("Gaps ({}):\n", context.gaps.len());
    for gap in &context.gaps {
        out.push_str(&format!(
            "  {} {}: {} -> {} (gap {}), {} practice{} to perform:\n",
            gap.process_area,
            gap.name,
            gap.level,
            gap.target,
            gap.gap,
            gap.blocking.len(),
            if gap.blocking.len() == 1 { "" } else { "s" }
        ));
        for practice in &gap.blocking {
            out.push_str(&format!(
                "    {} {} [{}, {}]\n",
                practice.id, practice.title, practice.level, practice.status
            ));
        }
    }
    out
}
