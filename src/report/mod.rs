//! Renderers of `rmm assess`: all fed the same [`context::AssessContext`].

pub mod context;
pub mod framework;
pub mod markdown;
pub mod table;

pub use context::{AssessContext, build};

/// Pretty JSON with a trailing newline; `null` stands for "no value" (never NaN).
pub fn json(context: &AssessContext) -> anyhow::Result<String> {
    let mut text = serde_json::to_string_pretty(context)?;
    text.push('\n');
    Ok(text)
}
