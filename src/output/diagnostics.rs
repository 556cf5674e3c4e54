//! Findings for people and for machines: `human` (excerpt and caret, coloured on a terminal),
//! `short` (one `path:line:col: severity[code]: message` line each), `json` (versioned) and
//! `github` (workflow annotations).

use codespan_reporting::diagnostic::{Diagnostic as Rendered, Label, Severity as RenderedSeverity};
use codespan_reporting::term::{self, termcolor::WriteColor};
use serde::Serialize;

use crate::diag::{Diagnostic, Severity};
use crate::load::WalkStats;
use crate::source::{SourceMap, Span};

/// The `schema` value of the JSON shape; bumped when a field changes meaning or goes away.
pub const JSON_SCHEMA: &str = "rmm.diagnostics/v1";

/// Counts for the summary line and the exit code.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub errors: usize,
    pub warnings: usize,
}

impl Tally {
    /// Counts every finding, including those a capped summary stands for.
    pub fn of(diagnostics: &[Diagnostic]) -> Tally {
        let count = |severity: Severity| {
            diagnostics
                .iter()
                .filter(|d| d.severity == severity)
                .map(|d| 1 + d.also)
                .sum()
        };
        Tally {
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
        }
    }
}

/// Writes every finding with its excerpt; colour only when `writer` supports it.
pub fn write_human(
    writer: &mut dyn WriteColor,
    sources: &SourceMap,
    diagnostics: &[Diagnostic],
) -> std::io::Result<()> {
    let config = term::Config::default();
    let styles = term::Styles::default();
    let mut styled = term::StylesWriter::new(writer, &styles);
    for diagnostic in diagnostics {
        let rendered = to_rendered(diagnostic);
        term::emit_to_write_style(&mut styled, &config, sources, &rendered)
            .map_err(std::io::Error::other)?;
    }
    Ok(())
}

fn to_rendered(diagnostic: &Diagnostic) -> Rendered<crate::source::FileId> {
    let severity = match diagnostic.severity {
        Severity::Error => RenderedSeverity::Error,
        Severity::Warning => RenderedSeverity::Warning,
    };
    let mut labels = Vec::new();
    if let Some(span) = diagnostic.span {
        labels.push(Label::primary(span.file, span.range()));
    }
    for (span, message) in &diagnostic.related {
        labels.push(Label::secondary(span.file, span.range()).with_message(message.clone()));
    }
    let mut notes: Vec<String> = diagnostic
        .help
        .iter()
        .map(|help| format!("help: {}", crate::source::terminal_safe(help)))
        .collect();
    if diagnostic.span.is_none()
        && let Some(path) = &diagnostic.path
    {
        notes.insert(0, format!("in {path}"));
    }
    Rendered::new(severity)
        .with_code(diagnostic.code.name())
        .with_message(crate::source::terminal_safe(&diagnostic.message))
        .with_labels(labels)
        .with_notes(notes)
}

/// `path:line:col` of a finding, or its path alone.
pub fn location(sources: &SourceMap, diagnostic: &Diagnostic) -> String {
    match diagnostic.span {
        Some(span) => sources.location(span),
        None => diagnostic.path.clone().unwrap_or_default(),
    }
}

pub fn write_short(
    out: &mut dyn std::io::Write,
    sources: &SourceMap,
    diagnostics: &[Diagnostic],
) -> std::io::Result<()> {
    for diagnostic in diagnostics {
        writeln!(
            out,
            "{}: {}[{}]: {}",
            crate::source::terminal_safe(&location(sources, diagnostic)),
            diagnostic.severity.as_str(),
            diagnostic.code.name(),
            crate::source::terminal_safe(&diagnostic.message)
        )?;
        for help in &diagnostic.help {
            writeln!(out, "  help: {}", crate::source::terminal_safe(help))?;
        }
    }
    Ok(())
}

/// One line for the end of a run: what was loaded and skipped, and the counts.
pub fn summary_line(stats: &WalkStats, tally: Tally) -> String {
    let skipped = stats.skipped_hidden + stats.skipped_not_yaml;
    let skipped = if skipped == 0 {
        String::new()
    } else {
        format!(
            "; skipped {skipped}: hidden {}, not YAML {}",
            stats.skipped_hidden, stats.skipped_not_yaml
        )
    };
    format!(
        "loaded {} file{}{skipped}: {} error{}, {} warning{}",
        stats.loaded,
        plural(stats.loaded),
        tally.errors,
        plural(tally.errors),
        tally.warnings,
        plural(tally.warnings)
    )
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[derive(Serialize)]
pub struct JsonDiagnostic {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub path: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub end_line: Option<usize>,
    pub end_column: Option<usize>,
    pub help: Vec<String>,
    pub related: Vec<JsonRelated>,
}

#[derive(Serialize)]
pub struct JsonRelated {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

pub fn to_json(sources: &SourceMap, diagnostic: &Diagnostic) -> JsonDiagnostic {
    let position = |span: Span, offset: u32| sources.get(span.file).line_col(offset as usize);
    let (path, start, end) = match diagnostic.span {
        Some(span) => (
            Some(sources.get(span.file).path.clone()),
            Some(position(span, span.start)),
            Some(position(span, span.end)),
        ),
        None => (diagnostic.path.clone(), None, None),
    };
    JsonDiagnostic {
        code: diagnostic.code.name(),
        severity: diagnostic.severity,
        message: diagnostic.message.clone(),
        path,
        line: start.map(|(line, _)| line),
        column: start.map(|(_, column)| column),
        end_line: end.map(|(line, _)| line),
        end_column: end.map(|(_, column)| column),
        help: diagnostic.help.clone(),
        related: diagnostic
            .related
            .iter()
            .map(|(span, message)| {
                let (line, column) = position(*span, span.start);
                JsonRelated {
                    path: sources.get(span.file).path.clone(),
                    line,
                    column,
                    message: message.clone(),
                }
            })
            .collect(),
    }
}

/// GitHub workflow commands: `::error file=...,line=...,col=...,title=...::message`.
pub fn write_github(
    out: &mut dyn std::io::Write,
    sources: &SourceMap,
    diagnostics: &[Diagnostic],
) -> std::io::Result<()> {
    for diagnostic in diagnostics {
        let json = to_json(sources, diagnostic);
        let mut properties = Vec::new();
        if let Some(path) = &json.path {
            properties.push(format!("file={}", escape_property(path)));
        }
        if let (Some(line), Some(column)) = (json.line, json.column) {
            properties.push(format!("line={line},col={column}"));
        }
        properties.push(format!(
            "title={}",
            escape_property(&format!("rmm {}", json.code))
        ));
        let mut message = diagnostic.message.clone();
        for help in &diagnostic.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        writeln!(
            out,
            "::{} {}::{}",
            diagnostic.severity.as_str(),
            properties.join(","),
            escape_data(&message)
        )?;
    }
    Ok(())
}

/// Encodes a workflow command's message: `%`, CR and LF.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Encodes a workflow command's property value: also `:` and `,`.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_escaping_encodes_percent_newlines_and_separators() {
        let title = "Rotate keys: 100% of \"prod\",\nsee %0A doc::x";
        assert_eq!(
            escape_data(title),
            "Rotate keys: 100%25 of \"prod\",%0Asee %250A doc::x"
        );
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
