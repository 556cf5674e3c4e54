//! Evidence records: where the file is (inside the repository, never outside), whether it is
//! there and matches its sha256, and whether it was valid on the date an assessment cites it.

use std::io::Read;
use std::path::Path;

use jiff::civil::Date;
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use super::{CheckOptions, Checker, Registry};
use crate::diag::{Code, Diagnostic};
use crate::load::records::{RawEvidence, Text};
use crate::model::{Assessment, Evidence, EvidenceLocation, FileState, Repository};
use crate::source::{FileId, Span};

impl Checker<'_> {
    pub(super) fn evidence(
        &mut self,
        root: &Path,
        raws: Vec<(FileId, RawEvidence)>,
    ) -> (Vec<Evidence>, Registry) {
        let mut registry = Registry::new("evidence record");
        self.declare_broken(&mut registry, crate::load::Kind::Evidence);
        let mut records = Vec::new();
        for (file, raw) in raws {
            if let Some(record) = self.evidence_record(file, raw, &mut registry) {
                records.push(record);
            }
        }
        let states: Vec<FileState> = records
            .par_iter()
            .map(|(evidence, _)| file_state(root, evidence))
            .collect();
        let mut evidence = Vec::with_capacity(records.len());
        for ((mut record, location_span), state) in records.into_iter().zip(states) {
            record.file_state = state;
            if let Some(diagnostic) = state_finding(&record, location_span) {
                self.report(diagnostic);
            }
            evidence.push(record);
        }
        (evidence, registry)
    }

    fn evidence_record(
        &mut self,
        file: FileId,
        raw: RawEvidence,
        registry: &mut Registry,
    ) -> Option<(Evidence, Span)> {
        let id = self.required(file, raw.id, "id", "evidence record")?;
        let span = self.span(file, &id);
        if !registry.declare(&id.value, span, self.sources, self.diagnostics) {
            return None;
        }
        let title = self.required(file, raw.title, "title", "evidence record");
        let (location, location_span) = self.location(file, span, raw.file, raw.url)?;
        let collected = self.required(file, raw.collected, "collected", "evidence record")?;
        let collected_date = self.date(file, &collected)?;
        let (expires, expiry_span) =
            self.expiry(file, collected_date, raw.expires, raw.valid_for)?;
        let sha256 = match (&location, raw.sha256) {
            (EvidenceLocation::Url(_), Some(hash)) => {
                let span = self.span(file, &hash);
                self.report(
                    Diagnostic::new(
                        Code::InvalidValue,
                        span,
                        "sha256 applies to a file; rmm does not fetch URLs",
                    )
                    .with_help("remove sha256, or keep a copy of the evidence under `file:`"),
                );
                None
            }
            (_, hash) => hash.and_then(|hash| self.sha256(file, hash)),
        };
        registry.accept(&id.value);
        Some((
            Evidence {
                id: id.value,
                title: title.map(|t| t.value).unwrap_or_default(),
                location,
                collected: collected_date,
                expires,
                sha256,
                file_state: FileState::Present,
                span,
                collected_span: self.span(file, &collected),
                expiry_span: expiry_span.unwrap_or(span),
            },
            location_span,
        ))
    }

    fn location(
        &mut self,
        file: FileId,
        id_span: Span,
        path: Option<Text>,
        url: Option<Text>,
    ) -> Option<(EvidenceLocation, Span)> {
        match (path, url) {
            (Some(path), None) if path.value.trim().is_empty() => {
                let span = self.span(file, &path);
                self.report(
                    Diagnostic::new(
                        Code::MissingField,
                        span,
                        "evidence record field `file` is empty",
                    )
                    .with_help(
                        "give the path of the evidence file, relative to the repository root",
                    ),
                );
                None
            }
            (Some(path), None) => {
                let span = self.span(file, &path);
                match normalise(&path.value) {
                    Some(normal) => Some((EvidenceLocation::File(normal), span)),
                    None => {
                        self.report(outside(span, &path.value));
                        None
                    }
                }
            }
            (None, Some(url)) => {
                let span = self.span(file, &url);
                if crate::report::context::safe_href(&url.value).is_none() {
                    self.report(url_finding(span, &url.value));
                }
                Some((EvidenceLocation::Url(url.value), span))
            }
            (path, url) => {
                let both = path.is_some() && url.is_some();
                self.report(
                    Diagnostic::new(
                        Code::EvidenceLocation,
                        id_span,
                        if both {
                            "evidence record gives both `file` and `url`"
                        } else {
                            "evidence record gives neither `file` nor `url`"
                        },
                    )
                    .with_help("give exactly one: a file inside the repository, or a URL"),
                );
                None
            }
        }
    }

    pub(super) fn date(&mut self, file: FileId, text: &Text) -> Option<Date> {
        let parsed = parse_date(&text.value);
        if parsed.is_none() {
            let span = self.span(file, text);
            self.report(
                Diagnostic::new(
                    Code::InvalidDate,
                    span,
                    format!("invalid date \"{}\"", text.value),
                )
                .with_help("write a real calendar date as YYYY-MM-DD"),
            );
        }
        parsed
    }

    /// The last valid day, from `expires` or `collected + valid_for`.
    #[allow(clippy::type_complexity)]
    fn expiry(
        &mut self,
        file: FileId,
        collected: Date,
        expires: Option<Text>,
        valid_for: Option<Text>,
    ) -> Option<(Option<Date>, Option<Span>)> {
        match (expires, valid_for) {
            (None, None) => Some((None, None)),
            (Some(expires), None) => {
                let date = self.date(file, &expires)?;
                Some((Some(date), Some(self.span(file, &expires))))
            }
            (None, Some(period)) => {
                let span = self.span(file, &period);
                match add_period(collected, &period.value) {
                    Some(date) => Some((Some(date), Some(span))),
                    None => {
                        self.report(
                            Diagnostic::new(
                                Code::InvalidPeriod,
                                span,
                                format!("invalid validity period \"{}\"", period.value),
                            )
                            .with_help("write an ISO 8601 period of days, weeks, months or years: P90D, P6M, P1Y"),
                        );
                        None
                    }
                }
            }
            (Some(expires), Some(_)) => {
                let span = self.span(file, &expires);
                self.report(
                    Diagnostic::new(
                        Code::InvalidValue,
                        span,
                        "evidence record gives both `expires` and `valid_for`",
                    )
                    .with_help("keep one of them"),
                );
                None
            }
        }
    }

    fn sha256(&mut self, file: FileId, hash: Text) -> Option<String> {
        let value = hash.value.trim().to_ascii_lowercase();
        if value.len() == 64 && value.chars().all(|c| c.is_ascii_hexdigit()) {
            return Some(value);
        }
        let span = self.span(file, &hash);
        self.report(
            Diagnostic::new(
                Code::InvalidValue,
                span,
                "sha256 must be 64 hexadecimal characters",
            )
            .with_help("compute it with `sha256sum FILE`"),
        );
        None
    }

    /// Expired, expiring and not-yet-collected evidence cited by one assessment.
    pub(super) fn evidence_timing(
        &mut self,
        repository: &Repository,
        assessment: &Assessment,
        options: &CheckOptions,
    ) {
        let judged_on = options.as_of.unwrap_or(assessment.date);
        let window = i64::from(repository.config.evidence.expiring_within_days);
        let mut citations = vec![0usize; repository.evidence.len()];
        for answer in assessment.answers.iter().flatten() {
            for evidence in repository.supporting_evidence(answer) {
                citations[evidence] += 1;
            }
        }
        for (index, count) in citations.iter().enumerate().filter(|(_, c)| **c > 0) {
            let evidence = &repository.evidence[index];
            for diagnostic in timing_findings(evidence, assessment, judged_on, window, *count) {
                self.report(diagnostic);
            }
        }
    }
}

/// What is wrong with the timing of cited evidence: collected after the assessment, expired,
/// or expiring soon. Collected-late and expired can both hold.
fn timing_findings(
    evidence: &Evidence,
    assessment: &Assessment,
    judged_on: Date,
    window: i64,
    citations: usize,
) -> Vec<Diagnostic> {
    let cited = format!(
        "cited {citations} time{} by assessment {}",
        if citations == 1 { "" } else { "s" },
        assessment.id
    );
    let mut findings = Vec::new();
    if evidence.collected > assessment.date {
        findings.push(Diagnostic::new(
            Code::EvidenceNotYetCollected,
            evidence.collected_span,
            format!(
                "evidence {} was collected on {}, after assessment {} ({}) that cites it",
                evidence.id, evidence.collected, assessment.id, assessment.date
            ),
        ));
    }
    let Some(expires) = evidence.expires else {
        return findings;
    };
    if expires < judged_on {
        findings.push(
            Diagnostic::new(
                Code::EvidenceExpired,
                evidence.expiry_span,
                format!(
                    "evidence {} expired on {expires}, before {judged_on}; {cited}",
                    evidence.id
                ),
            )
            .with_help("collect fresh evidence and update `collected` and the expiry"),
        );
    } else if expires <= days_after(judged_on, window) {
        findings.push(Diagnostic::new(
            Code::EvidenceExpiring,
            evidence.expiry_span,
            format!(
                "evidence {} expires on {expires}, within {window} days of {judged_on}; {cited}",
                evidence.id
            ),
        ));
    }
    findings
}

fn url_finding(span: Span, url: &str) -> Diagnostic {
    let lower = url.trim().to_ascii_lowercase();
    let web = lower.starts_with("http://") || lower.starts_with("https://");
    if web {
        return Diagnostic::new(
            Code::EvidenceUrlScheme,
            span,
            format!("evidence url \"{url}\" contains a space or control character; reports show it as text"),
        )
        .with_help("encode spaces as %20");
    }
    Diagnostic::new(
        Code::EvidenceUrlScheme,
        span,
        format!("evidence url \"{url}\" is not an http or https address; reports show it as text"),
    )
    .with_help("use an https:// address, or `file:` for a file inside the repository")
}

fn outside(span: Span, path: &str) -> Diagnostic {
    Diagnostic::new(
        Code::EvidenceOutsideRepository,
        span,
        format!("evidence path \"{path}\" resolves outside the repository"),
    )
    .with_help(
        "evidence files must be inside the repository; use a relative path without leading ..",
    )
}

fn state_finding(evidence: &Evidence, span: Span) -> Option<Diagnostic> {
    let EvidenceLocation::File(path) = &evidence.location else {
        return None;
    };
    match evidence.file_state {
        FileState::Present | FileState::Remote => None,
        FileState::Outside => Some(outside(span, path)),
        FileState::Missing => Some(
            Diagnostic::new(
                Code::EvidenceFileMissing,
                span,
                format!("evidence file \"{path}\" does not exist"),
            )
            .with_help("add the file, or correct the path (relative to the repository root)"),
        ),
        FileState::Folder => Some(
            Diagnostic::new(
                Code::EvidenceFileMissing,
                span,
                format!("evidence path \"{path}\" is a folder or special file, not a regular file"),
            )
            .with_help("cite the file inside the folder that holds the evidence"),
        ),
        FileState::HashMismatch => Some(
            Diagnostic::new(
                Code::EvidenceHashMismatch,
                span,
                format!("evidence file \"{path}\" does not match its sha256"),
            )
            .with_help("the file changed since it was recorded; check it and update `sha256`"),
        ),
    }
}

/// Whether the file is there, inside the repository, and matches its hash. Only a file with a
/// sha256 is read, and then streamed.
fn file_state(root: &Path, evidence: &Evidence) -> FileState {
    let EvidenceLocation::File(path) = &evidence.location else {
        return FileState::Remote;
    };
    let Ok(canonical_root) = root.canonicalize() else {
        return FileState::Missing;
    };
    let Ok(target) = root.join(path).canonicalize() else {
        return FileState::Missing;
    };
    if !target.starts_with(&canonical_root) {
        return FileState::Outside;
    }
    if target.is_dir() || (target.exists() && !target.is_file()) {
        return FileState::Folder;
    }
    if !target.is_file() {
        return FileState::Missing;
    }
    match &evidence.sha256 {
        Some(expected) if hash_file(&target).as_deref() != Some(expected.as_str()) => {
            FileState::HashMismatch
        }
        _ => FileState::Present,
    }
}

fn hash_file(path: &Path) -> Option<String> {
    let mut file = std::fs::File::open(path).ok()?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        let read = file.read(&mut buffer).ok()?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
    }
    Some(
        hasher
            .finalize()
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect(),
    )
}

/// `date` plus `days`, or the last representable date when that lies beyond the calendar.
pub fn days_after(date: Date, days: i64) -> Date {
    jiff::Span::new()
        .try_days(days)
        .ok()
        .and_then(|span| date.checked_add(span).ok())
        .unwrap_or(Date::MAX)
}

/// A repository-relative path with `.` and repeated `/` removed, or `None` if it leaves the
/// repository (absolute, a drive letter, or `..` above the root).
pub fn normalise(path: &str) -> Option<String> {
    let has_drive = path.len() >= 2 && path.as_bytes()[1] == b':';
    if path.starts_with('/') || path.starts_with('\\') || has_drive {
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// A calendar date written exactly as YYYY-MM-DD.
pub fn parse_date(text: &str) -> Option<Date> {
    let bytes = text.as_bytes();
    let shape = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !shape {
        return None;
    }
    let number = |range: std::ops::Range<usize>| text[range].parse::<i16>().ok();
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    Date::new(year, i8::try_from(month).ok()?, i8::try_from(day).ok()?).ok()
}

/// `date` plus an ISO 8601 period of years, months, weeks and days (`P1Y6M`, `P90D`).
fn add_period(date: Date, period: &str) -> Option<Date> {
    let mut rest = period.strip_prefix('P')?;
    if rest.is_empty() {
        return None;
    }
    let mut span = jiff::Span::new();
    let mut last_unit = 0;
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit())?;
        let amount: i64 = rest[..digits].parse().ok()?;
        let unit = rest[digits..].chars().next()?;
        let order = "YMWD".find(unit)? + 1;
        if order <= last_unit {
            return None;
        }
        last_unit = order;
        span = match unit {
            'Y' => span.try_years(amount).ok()?,
            'M' => span.try_months(amount).ok()?,
            'W' => span.try_weeks(amount).ok()?,
            _ => span.try_days(amount).ok()?,
        };
        rest = &rest[digits + 1..];
    }
    date.checked_add(span).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_normalised_or_refused() {
        assert_eq!(
            normalise("evidence/./iam//policy.md").as_deref(),
            Some("evidence/iam/policy.md")
        );
        assert_eq!(normalise("a/../b.md").as_deref(), Some("b.md"));
        assert_eq!(normalise("../../../etc/hostname"), None);
        assert_eq!(normalise("/etc/hostname"), None);
        assert_eq!(normalise("C:\\x"), None);
        assert_eq!(normalise("a/../../b"), None);
    }

    #[test]
    fn dates_are_real_calendar_dates() {
        assert_eq!(parse_date("2024-06-30"), Date::new(2024, 6, 30).ok());
        assert_eq!(parse_date("2024-02-29"), Date::new(2024, 2, 29).ok());
        assert_eq!(parse_date("2024-02-30"), None);
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("2024-6-30"), None);
        assert_eq!(parse_date("2024-06-30T00:00"), None);
    }

    #[test]
    fn periods_add_calendar_units() {
        let start = Date::new(2026, 1, 31).unwrap_or_default();
        assert_eq!(add_period(start, "P1Y"), Date::new(2027, 1, 31).ok());
        assert_eq!(add_period(start, "P1M"), Date::new(2026, 2, 28).ok());
        assert_eq!(add_period(start, "P90D"), Date::new(2026, 5, 1).ok());
        assert_eq!(add_period(start, "P1Y6M"), Date::new(2027, 7, 31).ok());
        assert_eq!(add_period(start, "PT1H"), None);
        assert_eq!(add_period(start, "P"), None);
        assert_eq!(add_period(start, "P1D1Y"), None);
        assert_eq!(add_period(start, "1Y"), None);
    }
}
