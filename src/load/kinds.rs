//! The one place that declares each record kind: the folder it lives in and how it is parsed.
//! Adding a kind means a line in [`KINDS`], a raw struct in `records`, and a resolver in `check`.

use super::records::{
    RawAnswerSheet, RawAssessment, RawControl, RawEvidence, RawProcessArea, Record,
};
use crate::catalog::RawFrameworkFile;
use crate::diag::Diagnostic;
use crate::source::{FileId, SourceFile};
use crate::yaml;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    ProcessArea,
    Control,
    Evidence,
    Assessment,
    AnswerSheet,
    Framework,
}

/// Top-level folders that hold records, and the kind of record each holds.
pub const KINDS: &[(&str, Kind)] = &[
    ("process-areas", Kind::ProcessArea),
    ("controls", Kind::Control),
    ("evidence", Kind::Evidence),
    ("assessments", Kind::Assessment),
    ("frameworks", Kind::Framework),
];

/// The name of an assessment's header inside `assessments/<folder>/`.
pub const ASSESSMENT_FILE: &str = "assessment.yaml";

impl Kind {
    /// The kind of a repository-relative path whose first component is a record folder.
    /// Inside `assessments/`, only `assessment.yaml` is a header; other files are answer sheets.
    pub fn of(relative: &str) -> Option<Kind> {
        let (folder, rest) = relative.split_once('/')?;
        let (_, kind) = KINDS.iter().find(|(name, _)| *name == folder)?;
        if *kind == Kind::Assessment {
            let file_name = rest.rsplit('/').next().unwrap_or(rest);
            let is_header = file_name == ASSESSMENT_FILE || file_name == "assessment.yml";
            return Some(if is_header {
                Kind::Assessment
            } else {
                Kind::AnswerSheet
            });
        }
        Some(*kind)
    }

    pub fn parse(self, file: &SourceFile, id: FileId) -> Result<Record, Box<Diagnostic>> {
        Ok(match self {
            Kind::ProcessArea => Record::ProcessArea(yaml::parse::<RawProcessArea>(file, id)?),
            Kind::Control => Record::Control(yaml::parse::<RawControl>(file, id)?),
            Kind::Evidence => Record::Evidence(yaml::parse::<RawEvidence>(file, id)?),
            Kind::Assessment => Record::Assessment(yaml::parse::<RawAssessment>(file, id)?),
            Kind::AnswerSheet => Record::AnswerSheet(yaml::parse::<RawAnswerSheet>(file, id)?),
            Kind::Framework => {
                Record::Framework(Box::new(yaml::parse::<RawFrameworkFile>(file, id)?))
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_decide_kinds() {
        assert_eq!(Kind::of("controls/CTL-1.yaml"), Some(Kind::Control));
        assert_eq!(Kind::of("controls/iam/CTL-1.yaml"), Some(Kind::Control));
        assert_eq!(
            Kind::of("assessments/2026-q3/assessment.yaml"),
            Some(Kind::Assessment)
        );
        assert_eq!(
            Kind::of("assessments/2026-q3/AM.yaml"),
            Some(Kind::AnswerSheet)
        );
        assert_eq!(Kind::of("artifacts/x.yaml"), None);
        assert_eq!(Kind::of("rmm.yaml"), None);
    }
}
