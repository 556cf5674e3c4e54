//! CSV through the csv crate (RFC 4180, UTF-8, header row): one row per practice, or one per
//! process area. A text cell that a spreadsheet would run as a formula is neutralised.

use super::Report;

/// Which table a CSV file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsvTable {
    Practices,
    Areas,
}

pub fn render(report: &Report, table: CsvTable) -> anyhow::Result<String> {
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new());
    match table {
        CsvTable::Practices => practices(report, &mut writer)?,
        CsvTable::Areas => areas(report, &mut writer)?,
    }
    let bytes = writer
        .into_inner()
        .map_err(|error| anyhow::anyhow!("{error}"))?;
    Ok(String::from_utf8(bytes)?)
}

type Writer = ::csv::Writer<Vec<u8>>;

fn practices(report: &Report, writer: &mut Writer) -> anyhow::Result<()> {
    writer.write_record([
        "assessment",
        "process_area",
        "category",
        "goal",
        "practice",
        "title",
        "level",
        "status",
        "controls",
        "evidence",
        "note",
    ])?;
    for area in report.process_areas.iter().filter(|a| scored(a.status)) {
        for goal in &area.goals {
            for practice in goal.practices.iter().filter(|p| p.status != "derived") {
                writer.write_record([
                    text(&report.assessment.id),
                    text(&area.id),
                    text(&area.category_name),
                    text(&goal.id),
                    text(&practice.id),
                    text(&practice.title),
                    text(&practice.level),
                    text(practice.status),
                    text(&practice.controls.join(" ")),
                    text(&practice.evidence.join(" ")),
                    text(practice.note.as_deref().unwrap_or_default()),
                ])?;
            }
        }
    }
    Ok(())
}

fn areas(report: &Report, writer: &mut Writer) -> anyhow::Result<()> {
    writer.write_record([
        "assessment",
        "process_area",
        "name",
        "category",
        "owner",
        "status",
        "level",
        "target",
        "gap",
        "performed",
        "applicable",
        "performed_percent",
    ])?;
    for area in &report.process_areas {
        let level_id = |level: &Option<super::context::LevelRef>| {
            level.as_ref().map(|l| l.id.clone()).unwrap_or_default()
        };
        let counted = scored(area.status);
        writer.write_record([
            text(&report.assessment.id),
            text(&area.id),
            text(&area.name),
            text(&area.category_name),
            text(area.owner.as_deref().unwrap_or_default()),
            area.status.to_string(),
            level_id(&area.level),
            level_id(&area.target),
            number(area.gap),
            number(area.counts.map(|counts| counts.performed)),
            number(area.applicable),
            area.performed_percent
                .filter(|_| counted)
                .map_or_else(String::new, |p| format!("{p:.1}")),
        ])?;
    }
    Ok(())
}

fn scored(status: &str) -> bool {
    status == "evaluated" || status == "not-evaluated"
}

/// A number as plain digits, or an empty cell for "no value" (never NaN or 0).
fn number(value: Option<usize>) -> String {
    value.map_or_else(String::new, |n| n.to_string())
}

/// Text from the repository, with a leading `'` when it would start a formula, and control
/// characters other than tab and line breaks (NUL, escape) dropped.
pub fn text(value: &str) -> String {
    let value: String = value
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let value = value.as_str();
    let starts_formula = value
        .chars()
        .next()
        .is_some_and(|first| matches!(first, '=' | '+' | '-' | '@' | '\t' | '\r'));
    if starts_formula {
        format!("'{value}")
    } else {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_prefixes_are_neutralised() {
        assert_eq!(text("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(text("@helpdesk"), "'@helpdesk");
        assert_eq!(text("+1 approved"), "'+1 approved");
        assert_eq!(text("-1"), "'-1");
        assert_eq!(text("\tx"), "'\tx");
        assert_eq!(text("\rx"), "'\rx");
        assert_eq!(text("Sécurité"), "Sécurité");
        assert_eq!(text("a\u{0}b\u{1b}c"), "abc");
    }
}
