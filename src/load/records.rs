//! Records as written in the repository's YAML, before any reference is resolved. Ids and
//! references are `Spanned` so that every finding can point at them.

use serde::Deserialize;

use crate::catalog::RawFrameworkFile;
use crate::yaml::{Entries, Spanned};

pub type Text = Spanned<String>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProcessArea {
    pub id: Option<Text>,
    pub owner: Option<Text>,
    pub scope: Option<Spanned<Scope>>,
    pub scope_reason: Option<Text>,
    pub target: Option<Text>,
    pub requirements: Option<Vec<String>>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    InScope,
    OutOfScope,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawControl {
    pub id: Option<Text>,
    pub title: Option<Text>,
    pub owner: Option<Text>,
    pub practices: Option<Vec<Text>>,
    pub evidence: Option<Vec<Text>>,
    pub description: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEvidence {
    pub id: Option<Text>,
    pub title: Option<Text>,
    pub file: Option<Text>,
    pub url: Option<Text>,
    pub collected: Option<Text>,
    pub expires: Option<Text>,
    pub valid_for: Option<Text>,
    pub sha256: Option<Text>,
    pub notes: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAssessment {
    pub id: Option<Text>,
    pub title: Option<Text>,
    pub date: Option<Text>,
    pub assessors: Option<Vec<Text>>,
    pub scope: Option<Vec<Text>>,
    pub method: Option<String>,
    pub notes: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAnswerSheet {
    pub answers: Option<Entries<RawAnswer>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAnswer {
    pub status: Option<Spanned<Status>>,
    pub controls: Option<Vec<Text>>,
    pub evidence: Option<Vec<Text>>,
    pub note: Option<String>,
}

/// The answer to one practice. Words, never YAML booleans.
#[derive(
    Debug, Clone, Copy, Deserialize, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Performed,
    Partial,
    NotPerformed,
    NotApplicable,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Performed => "performed",
            Status::Partial => "partial",
            Status::NotPerformed => "not-performed",
            Status::NotApplicable => "not-applicable",
        }
    }
}

/// One parsed file of any kind.
// Each record is moved once from the parser into its list, so boxing would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Record {
    ProcessArea(RawProcessArea),
    Control(RawControl),
    Evidence(RawEvidence),
    Assessment(RawAssessment),
    AnswerSheet(RawAnswerSheet),
    Framework(Box<RawFrameworkFile>),
}
