//! The templates behind Markdown and HTML: real files under `templates/`, embedded at build
//! time; a user folder (`--templates DIR`) overrides any of them by file name.

use std::path::Path;

use anyhow::Context;
use minijinja::{AutoEscape, Environment};

/// Every embedded template, by name.
pub const EMBEDDED: &[(&str, &str)] = &[
    ("assess.md.j2", include_str!("../../templates/assess.md.j2")),
    ("report.md.j2", include_str!("../../templates/report.md.j2")),
    (
        "summary.md.j2",
        include_str!("../../templates/summary.md.j2"),
    ),
    (
        "report.html.j2",
        include_str!("../../templates/report.html.j2"),
    ),
    ("report.css", include_str!("../../templates/report.css")),
];

/// The template environment, with the user's overrides when a folder is given.
pub fn environment(overrides: Option<&Path>) -> anyhow::Result<Environment<'static>> {
    let mut environment = Environment::new();
    environment.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .build()?,
    );
    environment.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    environment.set_auto_escape_callback(|name| {
        if name.ends_with(".html.j2") || name.ends_with(".html") {
            AutoEscape::Html
        } else {
            AutoEscape::None
        }
    });
    environment.add_filter("cell", markdown_cell);
    environment.add_filter("percent", percent);
    for (name, source) in EMBEDDED {
        environment
            .add_template(name, source)
            .map_err(|error| template_error(name, &error))?;
    }
    if let Some(folder) = overrides {
        add_overrides(&mut environment, folder)?;
    }
    Ok(environment)
}

fn add_overrides(environment: &mut Environment<'static>, folder: &Path) -> anyhow::Result<()> {
    let entries = std::fs::read_dir(folder)
        .with_context(|| format!("could not read the templates folder {}", folder.display()))?;
    let mut files: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    files.sort();
    for path in files.into_iter().filter(|path| path.is_file()) {
        let Some(name) = path
            .file_name()
            .and_then(|n| n.to_str())
            .map(str::to_string)
        else {
            continue;
        };
        let source = std::fs::read_to_string(&path)
            .with_context(|| format!("could not read template {}", path.display()))?;
        environment
            .add_template_owned(name.clone(), source)
            .map_err(|error| template_error(&name, &error))?;
    }
    Ok(())
}

/// Template instructions allowed per item of the report (process area practice, evidence
/// record, finding), plus a base: generous for any real template, finite for a runaway loop.
const FUEL_PER_ITEM: u64 = 20_000;
const FUEL_BASE: u64 = 20_000_000;

/// Renders a template, naming it, its line and the problem on failure. Rendering is bounded:
/// a template that loops far beyond the report's size stops with an error.
pub fn render(
    environment: &Environment<'static>,
    name: &str,
    report: &super::Report,
) -> anyhow::Result<String> {
    let items = report
        .process_areas
        .iter()
        .map(|a| a.goals.iter().map(|g| g.practices.len()).sum::<usize>())
        .sum::<usize>()
        + report.evidence.records.len()
        + report.findings.items.len();
    let mut environment = environment.clone();
    environment.set_fuel(Some(FUEL_BASE + FUEL_PER_ITEM * items as u64));
    let context = report;
    let template = environment
        .get_template(name)
        .map_err(|error| template_error(name, &error))?;
    let mut text = template
        .render(minijinja::value::Serde(context))
        .map_err(|error| template_error(name, &error))?;
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Ok(text)
}

fn template_error(name: &str, error: &minijinja::Error) -> anyhow::Error {
    if error.kind() == minijinja::ErrorKind::OutOfFuel {
        return anyhow::anyhow!(
            "template {name}: stopped after too many steps for this report's size (a runaway loop?)"
        );
    }
    let line = error
        .line()
        .map(|line| format!(":{line}"))
        .unwrap_or_default();
    let mut message = format!(
        "template {}{line}: {}",
        error.name().unwrap_or(name),
        error.kind()
    );
    if let Some(detail) = error.detail() {
        message.push_str(": ");
        message.push_str(detail);
    }
    anyhow::anyhow!(message)
}

/// Text made safe for a Markdown table cell: `|` escaped, newlines folded, `<` `>` as entities
/// so no raw HTML reaches a renderer, `[` `]` escaped so no link or image is formed (no
/// tracking pixel in a pull-request comment), `@` as an entity so nobody is mentioned, and
/// other control characters dropped.
fn markdown_cell(value: String) -> String {
    value
        .replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('[', "\\[")
        .replace(']', "\\]")
        .replace('@', "&#64;")
        .replace("\r\n", " ")
        .replace(['\n', '\r'], " ")
        .chars()
        .filter(|c| !c.is_control() || *c == '\t')
        .collect()
}

fn percent(value: Option<f64>) -> String {
    value.map_or_else(|| "n/a".to_string(), |p| format!("{p:.1} %"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_escape_pipes_and_fold_newlines() {
        assert_eq!(markdown_cell("a|b\nc\r\nd".into()), "a\\|b c d");
        assert_eq!(markdown_cell("<script>".into()), "&lt;script&gt;");
        assert_eq!(
            markdown_cell("![x](https://t.example/p.gif) @everyone\u{0}".into()),
            "!\\[x\\](https://t.example/p.gif) &#64;everyone"
        );
    }

    #[test]
    fn every_embedded_template_compiles() {
        if let Err(error) = environment(None) {
            panic!("{error}");
        }
    }
}
