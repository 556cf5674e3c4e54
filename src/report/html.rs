//! The self-contained HTML report: inline CSS and SVG, no script, no network.

use std::path::Path;

use super::{Report, templates};

pub fn render(report: &Report, overrides: Option<&Path>) -> anyhow::Result<String> {
    templates::render(
        &templates::environment(overrides)?,
        "report.html.j2",
        report,
    )
}
