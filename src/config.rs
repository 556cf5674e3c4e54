//! `rmm.toml`: the organization, the framework, targets, gate thresholds and severities.
//!
//! A bad `rmm.toml` means rmm does not know the run's settings, so it is a "could not run" error
//! (exit 2) with the file, line, column and a suggestion, not a finding.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, bail};
use serde::Deserialize;

use crate::diag::{Code, Level, SeverityPolicy, code_by_name, nearest};

pub const FILE_NAME: &str = "rmm.toml";

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub organization: Organization,
    #[serde(default)]
    pub framework: FrameworkChoice,
    #[serde(default)]
    pub targets: Targets,
    #[serde(default)]
    pub evidence: EvidencePolicy,
    #[serde(default)]
    pub gate: Gate,
    #[serde(default)]
    pub severity: BTreeMap<String, String>,
    #[serde(default)]
    pub limits: Limits,
    /// The file's text, to point at a value that is checked after parsing.
    #[serde(skip)]
    pub source: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organization {
    pub name: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrameworkChoice {
    pub id: String,
}

impl Default for FrameworkChoice {
    fn default() -> Self {
        FrameworkChoice {
            id: crate::catalog::DEFAULT_FRAMEWORK.to_string(),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Targets {
    /// Level id every in-scope process area aims at unless overridden.
    pub default: Option<String>,
    #[serde(default)]
    pub process_areas: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidencePolicy {
    /// `performed` without evidence is an error rather than a warning.
    #[serde(default)]
    pub required: bool,
    #[serde(default = "default_expiring_within_days")]
    pub expiring_within_days: u32,
}

fn default_expiring_within_days() -> u32 {
    30
}

impl Default for EvidencePolicy {
    fn default() -> Self {
        EvidencePolicy {
            required: false,
            expiring_within_days: default_expiring_within_days(),
        }
    }
}

/// Thresholds of `rmm check`; each is optional.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Gate {
    pub max_gap: Option<u32>,
    pub max_total_gap: Option<u32>,
    pub max_unanswered: Option<u32>,
    pub min_level: Option<String>,
    #[serde(default)]
    pub min_level_by_area: BTreeMap<String, String>,
    #[serde(default)]
    pub min_level_by_category: BTreeMap<String, String>,
    #[serde(default)]
    pub warnings_as_errors: bool,
    #[serde(default)]
    pub allow_not_evaluated: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// Largest YAML file rmm parses, in mebibytes.
    #[serde(default = "default_max_file_mib")]
    pub max_file_mib: u64,
}

fn default_max_file_mib() -> u64 {
    64
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_mib: default_max_file_mib(),
        }
    }
}

impl Config {
    /// Reads `rmm.toml` from the repository root.
    pub fn load(root: &Path) -> anyhow::Result<Config> {
        let path = root.join(FILE_NAME);
        if root.is_file() {
            bail!(
                "{} is a file; give the repository folder, the one that holds {FILE_NAME}",
                root.display()
            );
        }
        if !path.is_file() {
            bail!(
                "no {FILE_NAME} in {}; a resilience repository is a directory with {FILE_NAME} at its root (see docs/format.md)",
                std::path::absolute(root)
                    .unwrap_or_else(|_| root.to_path_buf())
                    .display()
            );
        }
        let bytes =
            std::fs::read(&path).with_context(|| format!("could not read {}", path.display()))?;
        let text = String::from_utf8(bytes).map_err(|error| {
            let valid = error.utf8_error().valid_up_to();
            let before = String::from_utf8_lossy(&error.as_bytes()[..valid]).into_owned();
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            anyhow::anyhow!("{FILE_NAME}:{line}:{column}: not valid UTF-8; save the file as UTF-8")
        })?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text).to_string();
        Config::parse(&text)
    }

    pub fn parse(text: &str) -> anyhow::Result<Config> {
        let mut config: Config = toml::from_str(text).map_err(|error| explain(text, &error))?;
        config.source = text.to_string();
        if config.organization.name.trim().is_empty() {
            bail!(
                "{FILE_NAME}: [organization] name is empty; reports carry the organization's name"
            );
        }
        config.severity_policy()?;
        Ok(config)
    }

    /// The severities asked for in `[severity]`, checked against the known codes.
    pub fn severity_policy(&self) -> anyhow::Result<SeverityPolicy> {
        let mut policy = SeverityPolicy::default();
        if self.evidence.required {
            policy.set(Code::PerformedWithoutEvidence, Level::Deny);
        }
        for (name, level) in &self.severity {
            let code = parse_code(name)?;
            let Some(level) = Level::parse(level) else {
                bail!(
                    "{FILE_NAME}: [severity] {name} = \"{level}\": expected \"allow\", \"warn\" or \"deny\""
                );
            };
            if code.is_fixed() && level != Level::Deny {
                bail!(
                    "{FILE_NAME}: [severity] {name} cannot be lowered: it marks data that rmm cannot load or resolve"
                );
            }
            policy.set(code, level);
        }
        Ok(policy)
    }
}

impl Config {
    /// Prefixes a "rmm.toml: ..." message about a quoted value with the line and column where
    /// that value is written.
    pub fn locate(&self, error: anyhow::Error) -> anyhow::Error {
        let message = error.to_string();
        let Some(rest) = message.strip_prefix(&format!("{FILE_NAME}: ")) else {
            return error;
        };
        let quoted = rest.split('"').nth(1).filter(|value| !value.is_empty());
        let found = quoted.and_then(|value| {
            self.source.lines().enumerate().find_map(|(index, line)| {
                let column = line.find(&format!("\"{value}\"")).or_else(|| {
                    let indent = line.len() - line.trim_start().len();
                    line.trim_start().starts_with(value).then_some(indent)
                })?;
                Some((index + 1, line[..column].chars().count() + 1))
            })
        });
        match found {
            Some((line, column)) => anyhow::anyhow!("{FILE_NAME}:{line}:{column}: {rest}"),
            None => error,
        }
    }
}

/// A diagnostic code by name, or an error that suggests the nearest one.
pub fn parse_code(name: &str) -> anyhow::Result<Code> {
    code_by_name(name).ok_or_else(|| {
        let known = Code::ALL.iter().map(|code| code.name());
        match nearest(name, known) {
            Some(suggestion) => anyhow::anyhow!(
                "unknown diagnostic code \"{name}\" (did you mean \"{suggestion}\"?)"
            ),
            None => anyhow::anyhow!(
                "unknown diagnostic code \"{name}\"; docs/diagnostics.md lists them all"
            ),
        }
    })
}

/// Turns a TOML error into `rmm.toml:line:col: message`, with a suggestion for unknown keys.
fn explain(text: &str, error: &toml::de::Error) -> anyhow::Error {
    let (line, column) = error.span().map_or((1, 1), |span| {
        let before = &text[..span.start.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        (line, column)
    });
    let message = error
        .message()
        .trim()
        .replace("u32", "a whole number")
        .replace("u64", "a whole number")
        .replace("i128", "a whole number");
    let hint = unknown_key_hint(&message).unwrap_or_default();
    anyhow::anyhow!("{FILE_NAME}:{line}:{column}: {message}{hint}")
}

/// For serde's "unknown field `x`, expected one of `a`, `b`", the nearest expected name.
fn unknown_key_hint(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (field, expected) = rest.split_once('`')?;
    let names: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    let suggestion = nearest(field, names.iter().copied())?;
    Some(format!(" (did you mean \"{suggestion}\"?)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn misspelt_gate_key_names_line_column_and_suggestion() {
        let text = "[organization]\nname = \"X\"\n[gate]\nmax_gapp = 1\n";
        let error = Config::parse(text)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            error.starts_with("rmm.toml:4:1: unknown field `max_gapp`"),
            "{error}"
        );
        assert!(error.ends_with("(did you mean \"max_gap\"?)"), "{error}");
    }

    #[test]
    fn fixed_codes_cannot_be_allowed() {
        let text = "[organization]\nname = \"X\"\n[severity]\nunknown-practice = \"allow\"\n";
        let error = Config::parse(text)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.contains("cannot be lowered"), "{error}");
    }

    #[test]
    fn unknown_code_is_suggested() {
        let text = "[organization]\nname = \"X\"\n[severity]\nunanswered-practise = \"deny\"\n";
        let error = Config::parse(text)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            error.contains("did you mean \"unanswered-practice\""),
            "{error}"
        );
    }

    #[test]
    fn wrong_type_is_located() {
        let text = "[organization]\nname = \"X\"\n[gate]\nmax_gap = \"one\"\n";
        let error = Config::parse(text)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.starts_with("rmm.toml:4:11:"), "{error}");
    }
}
