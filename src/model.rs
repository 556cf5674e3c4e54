//! The checked model: what scoring and rendering see. Every reference is an index that is known
//! to resolve; dates are real dates; nothing here needs checking again.

use std::path::PathBuf;

use jiff::civil::Date;

use crate::catalog::Framework;
use crate::config::Config;
pub use crate::load::records::Status;
use crate::source::Span;

#[derive(Debug)]
pub struct Repository {
    pub root: PathBuf,
    pub config: Config,
    pub framework: Framework,
    /// How the organization runs each process area, indexed like `framework.process_areas`.
    pub areas: Vec<AreaSetup>,
    pub controls: Vec<Control>,
    pub evidence: Vec<Evidence>,
    /// Oldest first (by date, then id).
    pub assessments: Vec<Assessment>,
}

#[derive(Debug, Clone)]
pub struct AreaSetup {
    pub owner: Option<String>,
    pub in_scope: bool,
    pub scope_reason: Option<String>,
    /// Target capability level (index into `framework.levels`).
    pub target: usize,
    pub requirements: Vec<String>,
    /// Where the process area's file declares it, if it has one.
    pub declared: Option<Span>,
}

#[derive(Debug, Clone)]
pub struct Control {
    pub id: String,
    pub title: String,
    pub owner: String,
    pub practices: Vec<usize>,
    pub evidence: Vec<usize>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Evidence {
    pub id: String,
    pub title: String,
    pub location: EvidenceLocation,
    pub collected: Date,
    /// Last day on which the evidence is valid; `None` when it never expires.
    pub expires: Option<Date>,
    pub sha256: Option<String>,
    pub file_state: FileState,
    pub span: Span,
    /// Where `collected` is written.
    pub collected_span: Span,
    /// Where the expiry is written (`expires` or `valid_for`), else the id.
    pub expiry_span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EvidenceLocation {
    /// Normalised repository-relative path.
    File(String),
    Url(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileState {
    Present,
    Missing,
    /// The path names a folder, not a file.
    Folder,
    Outside,
    HashMismatch,
    /// A URL: rmm does not fetch it.
    Remote,
}

#[derive(Debug, Clone)]
pub struct Assessment {
    pub id: String,
    pub title: String,
    pub date: Date,
    pub assessors: Vec<String>,
    pub method: Option<String>,
    /// Per process area: whether this assessment covers it.
    pub scope: Vec<bool>,
    /// Per practice of the framework: its answer, if any.
    pub answers: Vec<Option<Answer>>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Answer {
    pub status: Status,
    pub controls: Vec<usize>,
    pub evidence: Vec<usize>,
    pub note: Option<String>,
    pub span: Span,
}

impl Repository {
    /// The assessment with the latest date (ties broken by id), or the one named.
    pub fn assessment(&self, id: Option<&str>) -> Option<usize> {
        match id {
            Some(id) => self.assessments.iter().position(|a| a.id == id),
            None => self.assessments.len().checked_sub(1),
        }
    }

    /// Evidence behind an answer: cited directly or through its controls, without repeats.
    pub fn supporting_evidence(&self, answer: &Answer) -> Vec<usize> {
        let mut evidence: Vec<usize> = answer
            .evidence
            .iter()
            .copied()
            .chain(
                answer
                    .controls
                    .iter()
                    .flat_map(|control| self.controls[*control].evidence.iter().copied()),
            )
            .collect();
        evidence.sort_unstable();
        evidence.dedup();
        evidence
    }
}
