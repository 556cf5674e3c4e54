//! Renderers of `rmm assess` and `rmm report`: all fed the same [`context::Report`].

pub mod context;
pub mod csv_table;
pub mod framework;
pub mod html;
pub mod markdown;
pub mod table;
pub mod templates;
pub mod write;

pub use context::{Dates, Report, build};

/// Pretty JSON with a trailing newline; `null` stands for "no value" (never NaN).
pub fn json(context: &Report) -> anyhow::Result<String> {
    let mut text = serde_json::to_string_pretty(context)?;
    text.push('\n');
    Ok(text)
}
