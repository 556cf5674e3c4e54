//! Markdown: the terminal-free forms of `rmm assess` and `rmm report`, from templates.

use super::Report;
use super::templates;

/// The short assessment page of `rmm assess --format markdown`.
pub fn render(context: &Report) -> anyhow::Result<String> {
    templates::render(&templates::environment(None)?, "assess.md.j2", context)
}
