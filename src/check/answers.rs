//! Assessments and their answer sheets: one answer per practice, every reference resolved,
//! and what is missing (unanswered practices, evidence, notes) reported.

use std::collections::HashMap;

use super::{Checker, Registry};
use crate::diag::{Code, Diagnostic};
use crate::load::records::{RawAnswer, RawAnswerSheet, RawAssessment, Status, Text};
use crate::model::{Answer, AreaSetup, Assessment, Repository};
use crate::source::{FileId, Span};

/// Registries that answers refer into.
pub struct References<'a> {
    pub controls: &'a Registry,
    pub evidence: &'a Registry,
}

impl Checker<'_> {
    pub(super) fn assessments(
        &mut self,
        headers: Vec<(FileId, RawAssessment)>,
        sheets: Vec<(FileId, RawAnswerSheet)>,
        refs: &References,
        areas: &[AreaSetup],
    ) -> Vec<Assessment> {
        let mut registry = Registry::new("assessment");
        let mut assessments = Vec::new();
        let mut by_folder: HashMap<String, usize> = HashMap::new();
        // Folders whose header exists but did not load: its own finding explains why.
        let mut broken_folders: std::collections::HashSet<String> = self
            .sources
            .files()
            .filter(|file| crate::load::Kind::of(&file.path) == Some(crate::load::Kind::Assessment))
            .map(|file| folder_of(&file.path))
            .collect();
        for (file, raw) in headers {
            let folder = folder_of(&self.sources.get(file).path);
            if let Some(assessment) = self.assessment(file, raw, &mut registry, areas) {
                broken_folders.remove(&folder);
                by_folder.insert(folder, assessments.len());
                assessments.push(assessment);
            }
        }
        let mut first_answers: Vec<HashMap<usize, Span>> = vec![HashMap::new(); assessments.len()];
        for (file, sheet) in sheets {
            let folder = folder_of(&self.sources.get(file).path);
            let Some(&index) = by_folder.get(&folder) else {
                if broken_folders.contains(&folder) {
                    // The header's own finding explains why its answers are not checked.
                    continue;
                }
                self.report(
                    Diagnostic::new(
                        Code::AnswersWithoutAssessment,
                        Span::file_start(file),
                        format!("answer sheet in {folder}/ has no assessment.yaml beside it"),
                    )
                    .with_help(format!(
                        "add {folder}/assessment.yaml with the assessment's id, date and assessors"
                    )),
                );
                continue;
            };
            let assessment = &mut assessments[index];
            self.sheet(
                file,
                sheet,
                assessment,
                &mut first_answers[index],
                (refs, areas),
            );
        }
        assessments.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
        assessments
    }

    fn assessment(
        &mut self,
        file: FileId,
        raw: RawAssessment,
        registry: &mut Registry,
        areas: &[AreaSetup],
    ) -> Option<Assessment> {
        let id = self.required(file, raw.id, "id", "assessment")?;
        let span = self.span(file, &id);
        if !registry.declare(&id.value, span, self.sources, self.diagnostics) {
            return None;
        }
        let date = self.required(file, raw.date, "date", "assessment");
        let date = date.and_then(|date| self.date(file, &date));
        let assessors: Vec<String> = raw
            .assessors
            .unwrap_or_default()
            .into_iter()
            .map(|a| a.value)
            .filter(|a| !a.trim().is_empty())
            .collect();
        if assessors.is_empty() {
            self.report(
                Diagnostic::new(
                    Code::MissingField,
                    span,
                    format!("assessment {} names no assessors", id.value),
                )
                .with_help("add `assessors: [Name, ...]`; a result nobody stands behind cannot be defended"),
            );
        }
        let scope = self.scope(file, raw.scope, areas);
        let date = date?;
        registry.accept(&id.value);
        Some(Assessment {
            id: id.value,
            title: raw.title.map(|t| t.value).unwrap_or_default(),
            date,
            assessors,
            method: raw.method,
            scope,
            answers: vec![None; self.framework.practices.len()],
            span,
        })
    }

    /// The areas an assessment covers: those listed, or every in-scope area.
    fn scope(&mut self, file: FileId, listed: Option<Vec<Text>>, areas: &[AreaSetup]) -> Vec<bool> {
        let Some(listed) = listed.filter(|listed| !listed.is_empty()) else {
            return areas.iter().map(|area| area.in_scope).collect();
        };
        let mut scope = vec![false; areas.len()];
        for reference in &listed {
            if let Some(area) = self.area(file, reference) {
                scope[area] = areas[area].in_scope;
            }
        }
        scope
    }

    fn sheet(
        &mut self,
        file: FileId,
        sheet: RawAnswerSheet,
        assessment: &mut Assessment,
        first_answers: &mut HashMap<usize, Span>,
        (refs, areas): (&References, &[AreaSetup]),
    ) {
        for (key, raw) in sheet.answers.unwrap_or_default().0 {
            let span = self.span(file, &key);
            let Some(practice) = self.practice(file, &key) else {
                continue;
            };
            if let Some(first) = first_answers.get(&practice) {
                self.report(
                    Diagnostic::new(
                        Code::DuplicateAnswer,
                        span,
                        format!(
                            "practice {} is answered twice in assessment {} (first at {})",
                            key.value,
                            assessment.id,
                            self.sources.path_line(*first)
                        ),
                    )
                    .with_related(*first, "first answered here")
                    .with_help("keep one answer; rmm does not pick one"),
                );
                // The error stops scoring, so which answer stays here never reaches a number.
                continue;
            }
            first_answers.insert(practice, span);
            if let Some(answer) =
                self.answer(file, &key, raw, (span, practice), assessment, (refs, areas))
            {
                assessment.answers[practice] = Some(answer);
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn answer(
        &mut self,
        file: FileId,
        key: &Text,
        raw: RawAnswer,
        (span, practice): (Span, usize),
        assessment: &Assessment,
        (refs, areas): (&References, &[AreaSetup]),
    ) -> Option<Answer> {
        let framework = self.framework;
        let details = &framework.practices[practice];
        if details.derived {
            self.report(
                Diagnostic::new(
                    Code::DerivedPracticeAnswered,
                    span,
                    format!(
                        "{} is derived from the specific goals; this answer is ignored",
                        key.value
                    ),
                )
                .with_help("delete the answer; rmm computes it"),
            );
            return None;
        }
        if !assessment.scope[details.area] {
            let area = &framework.process_areas[details.area].id;
            let diagnostic = if areas[details.area].in_scope {
                Diagnostic::new(
                    Code::AnswerOutOfScope,
                    span,
                    format!(
                        "{} is outside the scope of assessment {}; the answer is not scored",
                        key.value, assessment.id
                    ),
                )
                .with_help("add the process area to the assessment's scope, or remove the answer")
            } else {
                Diagnostic::new(
                    Code::AnswerOutOfScope,
                    span,
                    format!(
                        "{} answers process area {area}, which the organization declares out of scope; the answer is not scored",
                        key.value
                    ),
                )
                .with_help(format!("remove the answer, or change `scope` in the file of process area {area}"))
            };
            self.report(diagnostic);
            return None;
        }
        let Some(status) = raw.status else {
            self.report(
                Diagnostic::new(
                    Code::MissingField,
                    span,
                    format!("answer for {} has no `status`", key.value),
                )
                .with_help("status is one of performed, partial, not-performed, not-applicable"),
            );
            return None;
        };
        let controls = self.references(file, raw.controls, refs.controls, Code::UnknownControl);
        let evidence = self.references(file, raw.evidence, refs.evidence, Code::UnknownEvidence);
        let note = raw.note.filter(|note| !note.trim().is_empty());
        if status.value == Status::NotApplicable && note.is_none() {
            let status_span = self.span(file, &status);
            self.report(
                Diagnostic::new(
                    Code::NotApplicableWithoutNote,
                    status_span,
                    format!("{} is not-applicable without a note saying why", key.value),
                )
                .with_help("add `note:` with the reason"),
            );
        }
        Some(Answer {
            status: status.value,
            controls,
            evidence,
            note,
            span,
        })
    }

    fn references(
        &mut self,
        file: FileId,
        references: Option<Vec<Text>>,
        registry: &Registry,
        code: Code,
    ) -> Vec<usize> {
        let resolved: Vec<usize> = references
            .unwrap_or_default()
            .iter()
            .filter_map(|reference| self.reference(file, reference, registry, code))
            .collect();
        super::unique(resolved)
    }

    /// Unanswered practices and `performed` answers with no evidence, per process area.
    pub(super) fn unanswered(&mut self, repository: &Repository, assessment: &Assessment) {
        let framework = self.framework;
        let folder = folder_of(&self.sources.get(assessment.span.file).path);
        let sheets_broken = self.broken.sheet_folders.contains(&folder);
        for (area_index, area) in framework.process_areas.iter().enumerate() {
            // A broken answer sheet has its own finding; its answers are not "unanswered".
            if !assessment.scope[area_index] || sheets_broken {
                continue;
            }
            let missing: Vec<&str> = framework
                .answerable(area_index)
                .filter(|practice| assessment.answers[*practice].is_none())
                .map(|practice| framework.practices[practice].id.as_str())
                .collect();
            if !missing.is_empty() {
                self.report(
                    Diagnostic::new(
                        Code::UnansweredPractice,
                        assessment.span,
                        format!(
                            "assessment {} leaves {} practice{} of {} unanswered: {}",
                            assessment.id,
                            missing.len(),
                            if missing.len() == 1 { "" } else { "s" },
                            area.id,
                            missing.join(", ")
                        ),
                    )
                    .with_help(
                        "answer each practice; unanswered practices do not achieve their goal",
                    ),
                );
            }
        }
        for (practice, answer) in assessment.answers.iter().enumerate() {
            let Some(answer) = answer else { continue };
            if answer.status == Status::Performed
                && repository.supporting_evidence(answer).is_empty()
            {
                self.report(
                    Diagnostic::new(
                        Code::PerformedWithoutEvidence,
                        answer.span,
                        format!(
                            "{} is performed but no evidence supports it",
                            framework.practices[practice].id
                        ),
                    )
                    .with_help("cite `evidence:` or a control that has evidence"),
                );
            }
        }
    }
}

/// `assessments/2026-q3` from `assessments/2026-q3/AM.yaml`.
pub(super) fn folder_of(path: &str) -> String {
    path.rsplit_once('/')
        .map_or(String::new(), |(folder, _)| folder.to_string())
}
