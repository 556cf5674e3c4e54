//! Markdown from a minijinja template kept as a real file under `templates/`.

use minijinja::Environment;

use super::context::Report;

const ASSESS_TEMPLATE: &str = include_str!("../../templates/assess.md.j2");

pub fn render(context: &Report) -> anyhow::Result<String> {
    let mut environment = Environment::new();
    environment.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .build()?,
    );
    environment.add_filter("cell", cell);
    environment.add_filter("percent", percent);
    environment.add_template("assess.md", ASSESS_TEMPLATE)?;
    let text = environment
        .get_template("assess.md")?
        .render(minijinja::value::Serde(context))?;
    Ok(text)
}

/// Text made safe for a Markdown table cell: `|` escaped, newlines folded.
fn cell(value: String) -> String {
    value
        .replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace("\r\n", " ")
        .replace(['\n', '\r'], " ")
}

fn percent(value: Option<f64>) -> String {
    value.map_or_else(|| "n/a".to_string(), |p| format!("{p:.1} %"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_escape_pipes_and_fold_newlines() {
        assert_eq!(cell("a|b\nc\r\nd".into()), "a\\|b c d");
    }
}
