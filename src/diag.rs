//! Findings about the user's data: each has a stable kebab-case [`Code`], a [`Severity`] the user
//! may tune, a message, a place in a file and hints. They are collected, never thrown, so that
//! one run reports every problem.

use crate::source::Span;

/// Whether a finding fails the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// What a user asked for one code in `rmm.toml` or on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Allow,
    Warn,
    Deny,
}

impl Level {
    pub fn parse(text: &str) -> Option<Level> {
        match text {
            "allow" => Some(Level::Allow),
            "warn" => Some(Level::Warn),
            "deny" => Some(Level::Deny),
            _ => None,
        }
    }
}

macro_rules! codes {
    ($( $variant:ident = $name:literal, $severity:ident, $fixed:literal, $summary:literal; )*) => {
        /// Every kind of finding. The kebab-case names are a contract: documented in
        /// `docs/diagnostics.md` and never renamed.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $( $variant, )* }

        impl Code {
            pub const ALL: &'static [Code] = &[ $( Code::$variant, )* ];

            pub fn name(self) -> &'static str {
                match self { $( Code::$variant => $name, )* }
            }

            pub fn default_severity(self) -> Severity {
                match self { $( Code::$variant => Severity::$severity, )* }
            }

            /// A fixed code marks data that cannot be loaded or resolved; no setting lowers it,
            /// so no flag turns a broken repository into a pass.
            pub fn is_fixed(self) -> bool {
                match self { $( Code::$variant => $fixed, )* }
            }

            pub fn summary(self) -> &'static str {
                match self { $( Code::$variant => $summary, )* }
            }
        }
    };
}

codes! {
    // Reading files.
    UnreadableFile = "unreadable-file", Error, true, "a file or folder could not be read";
    InvalidUtf8 = "invalid-utf8", Error, true, "a YAML file is not valid UTF-8";
    NonUtf8Path = "non-utf8-path", Warning, false, "a file name is not valid UTF-8 and was skipped";
    SymlinkLoop = "symlink-loop", Warning, false, "a symbolic link loops back on a parent folder and was not followed";
    LinkOutsideRepository = "link-outside-repository", Warning, false, "a symbolic link points outside the repository and was not followed";
    FileTooLarge = "file-too-large", Error, true, "a YAML file is larger than the configured limit";
    UnsupportedLineEnding = "unsupported-line-ending", Error, true, "a file uses old Mac (CR only) line endings";
    // Parsing YAML.
    YamlSyntax = "yaml-syntax", Error, true, "the file is not valid YAML";
    TabIndentation = "tab-indentation", Error, true, "a tab is used for indentation";
    EmptyFile = "empty-file", Error, true, "a record file holds no YAML document";
    MultipleDocuments = "multiple-documents", Error, true, "a record file holds more than one YAML document";
    YamlLimitExceeded = "yaml-limit-exceeded", Error, true, "a file exceeds a nesting, node, event or alias-expansion limit";
    DuplicateKey = "duplicate-key", Error, true, "a key appears twice in one mapping";
    UnknownField = "unknown-field", Error, true, "a field that the record kind does not have";
    MissingField = "missing-field", Error, true, "a required field is missing or empty";
    WrongType = "wrong-type", Error, true, "a value has the wrong type";
    InvalidValue = "invalid-value", Error, true, "a value is not one of the allowed values";
    InvalidDate = "invalid-date", Error, true, "a date is not a real calendar date in YYYY-MM-DD form";
    InvalidPeriod = "invalid-period", Error, true, "a validity period is not an ISO 8601 period such as P1Y";
    // The repository as a whole.
    EmptyRepository = "empty-repository", Error, true, "the repository holds no records";
    NoAssessment = "no-assessment", Error, true, "the repository holds no assessment";
    AnswersWithoutAssessment = "answers-without-assessment", Error, true, "an answer sheet sits in a folder with no assessment.yaml";
    // Ids and references.
    DuplicateId = "duplicate-id", Error, true, "two records of one kind declare the same id";
    UnknownFramework = "unknown-framework", Error, true, "a framework id that is neither bundled nor in frameworks/";
    UnknownProcessArea = "unknown-process-area", Error, true, "a reference to a process area the framework does not have";
    UnknownGoal = "unknown-goal", Error, true, "a reference to a goal the process area does not have";
    UnknownPractice = "unknown-practice", Error, true, "a reference to a practice the framework does not have";
    UnknownControl = "unknown-control", Error, true, "a reference to a control no file declares";
    UnknownEvidence = "unknown-evidence", Error, true, "a reference to an evidence record no file declares";
    UnknownLevel = "unknown-level", Error, true, "a capability level the framework does not define";
    UnknownCategory = "unknown-category", Error, true, "a category the framework does not define";
    InvalidFramework = "invalid-framework", Error, true, "a framework or overlay file is inconsistent";
    ProcessAreaUndeclared = "process-area-undeclared", Warning, false, "a process area of the framework has no file in process-areas/";
    TargetConflict = "target-conflict", Warning, false, "a process area's file and rmm.toml give different targets";
    // Evidence.
    EvidenceLocation = "evidence-location", Error, true, "an evidence record needs exactly one of file and url";
    EvidenceUrlScheme = "evidence-url-scheme", Warning, false, "an evidence URL is not http or https; reports show it as text, never as a link";
    EvidenceOutsideRepository = "evidence-outside-repository", Error, true, "an evidence path resolves outside the repository";
    EvidenceFileMissing = "evidence-file-missing", Error, false, "an evidence file does not exist";
    EvidenceHashMismatch = "evidence-hash-mismatch", Error, false, "an evidence file does not match its sha256";
    EvidenceExpired = "evidence-expired", Warning, false, "cited evidence had expired on the assessment's date";
    EvidenceExpiring = "evidence-expiring", Warning, false, "cited evidence expires soon after the assessment's date";
    EvidenceNotYetCollected = "evidence-not-yet-collected", Warning, false, "cited evidence was collected after the assessment's date";
    // Answers.
    DuplicateAnswer = "duplicate-answer", Error, true, "a practice is answered twice in one assessment";
    AnswerOutOfScope = "answer-out-of-scope", Warning, false, "an answer for a process area outside the assessment's scope";
    DerivedPracticeAnswered = "derived-practice-answered", Warning, false, "an answer for a derived practice (GG1.GP1), which is ignored";
    UnansweredPractice = "unanswered-practice", Warning, false, "an in-scope practice has no answer";
    PerformedWithoutEvidence = "performed-without-evidence", Warning, false, "a practice is performed but no evidence supports it";
    NotApplicableWithoutNote = "not-applicable-without-note", Warning, false, "a not-applicable answer gives no reason";
}

/// One finding about the user's data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    /// Where the finding points; `None` with `path` for files that could not be loaded.
    pub span: Option<Span>,
    /// Repository-relative path for findings without a span.
    pub path: Option<String>,
    /// Hints: how to fix it, or the nearest known name.
    pub help: Vec<String>,
    /// Other places that explain the finding ("first defined here").
    pub related: Vec<(Span, String)>,
    /// How many further findings of the same code this one stands for, when a file's findings
    /// were capped; they count in every total.
    pub also: usize,
}

impl Diagnostic {
    pub fn new(code: Code, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.default_severity(),
            message: message.into(),
            span: Some(span),
            path: None,
            help: Vec::new(),
            related: Vec::new(),
            also: 0,
        }
    }

    /// A finding about a file that has no loaded text, or about the repository as a whole.
    pub fn at_path(code: Code, path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.default_severity(),
            message: message.into(),
            span: None,
            path: Some(path.into()),
            help: Vec::new(),
            related: Vec::new(),
            also: 0,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help.push(help.into());
        self
    }

    pub fn with_related(mut self, span: Span, message: impl Into<String>) -> Self {
        self.related.push((span, message.into()));
        self
    }
}

/// Per-code severity choices, applied in one place after every check has run.
#[derive(Clone, Debug, Default)]
pub struct SeverityPolicy {
    overrides: Vec<(Code, Level)>,
    pub warnings_as_errors: bool,
}

impl SeverityPolicy {
    pub fn set(&mut self, code: Code, level: Level) {
        self.overrides.retain(|(known, _)| *known != code);
        self.overrides.push((code, level));
    }

    fn level_of(&self, code: Code) -> Option<Level> {
        self.overrides
            .iter()
            .find(|(known, _)| *known == code)
            .map(|(_, level)| *level)
    }

    /// Applies overrides; a fixed code always stays an error.
    pub fn apply(&self, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
        diagnostics
            .into_iter()
            .filter_map(|mut diagnostic| {
                if diagnostic.code.is_fixed() {
                    diagnostic.severity = Severity::Error;
                    return Some(diagnostic);
                }
                match self.level_of(diagnostic.code) {
                    Some(Level::Allow) => return None,
                    Some(Level::Warn) => diagnostic.severity = Severity::Warning,
                    Some(Level::Deny) => diagnostic.severity = Severity::Error,
                    None => {}
                }
                if self.warnings_as_errors {
                    diagnostic.severity = Severity::Error;
                }
                Some(diagnostic)
            })
            .collect()
    }
}

/// Looks a code up by its kebab-case name.
pub fn code_by_name(name: &str) -> Option<Code> {
    Code::ALL.iter().copied().find(|code| code.name() == name)
}

/// How close a candidate is: edit distance, length difference, and shared prefix (longer first).
type Rank = (usize, usize, std::cmp::Reverse<usize>);

/// The known name nearest to `unknown`, if it is close enough to be a likely typo and no other
/// name is just as likely. Ties in edit distance go to the name of the same length, then to the
/// one sharing the longest prefix (`AM:SG2` suggests `AM:SG1`, not `ADM:SG2`).
pub fn nearest<'a>(unknown: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let unknown_lower = unknown.to_lowercase();
    let length = unknown.chars().count();
    let mut ranked: Vec<(Rank, &'a str)> = known
        .into_iter()
        .filter_map(|candidate| {
            let lower = candidate.to_lowercase();
            let distance = strsim::damerau_levenshtein(&unknown_lower, &lower);
            let longest = length.max(candidate.chars().count());
            if distance > (longest / 3).max(1) {
                return None;
            }
            let length_difference = length.abs_diff(candidate.chars().count());
            let prefix = unknown_lower
                .chars()
                .zip(lower.chars())
                .take_while(|(a, b)| a == b)
                .count();
            Some((
                (distance, length_difference, std::cmp::Reverse(prefix)),
                candidate,
            ))
        })
        .collect();
    ranked.sort();
    match ranked.as_slice() {
        [] => None,
        [(_, only)] => Some(only),
        [(best, first), (second, _), ..] => (best != second).then_some(*first),
    }
}

/// "unknown control "X" (did you mean "Y"?)", or a list of the known ids when there are few.
pub fn unknown<'a>(
    code: Code,
    span: Span,
    noun: &str,
    reference: &str,
    known: impl Iterator<Item = &'a str> + Clone,
) -> Diagnostic {
    let message = match nearest(reference, known.clone()) {
        Some(suggestion) => {
            format!("unknown {noun} \"{reference}\" (did you mean \"{suggestion}\"?)")
        }
        None => format!("unknown {noun} \"{reference}\""),
    };
    let mut diagnostic = Diagnostic::new(code, span, message);
    let listed: Vec<&str> = known.take(9).collect();
    if listed.is_empty() {
        diagnostic = diagnostic.with_help(format!("no {noun} is declared"));
    } else if listed.len() <= 8 {
        diagnostic = diagnostic.with_help(format!("known: {}", listed.join(", ")));
    }
    diagnostic
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    #[test]
    fn code_names_are_unique_kebab_case() {
        let mut names: Vec<&str> = Code::ALL.iter().map(|code| code.name()).collect();
        assert!(names.iter().all(|name| {
            name.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && !name.starts_with('-')
        }));
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Code::ALL.len());
    }

    #[test]
    fn fixed_codes_cannot_be_lowered() {
        let mut policy = SeverityPolicy::default();
        policy.set(Code::UnknownPractice, Level::Allow);
        policy.set(Code::UnansweredPractice, Level::Allow);
        let span = Span::file_start(FileId(0));
        let found = policy.apply(vec![
            Diagnostic::new(Code::UnknownPractice, span, "x"),
            Diagnostic::new(Code::UnansweredPractice, span, "y"),
        ]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Error);
    }

    #[test]
    fn nearest_suggests_close_names_only() {
        let known = ["ADM:SG1.SP2", "ADM:SG1.SP3", "AM:SG1.SP1"];
        // SP2 and SP3 are equally likely: no guess.
        assert_eq!(nearest("ADM:SG1.SP9", known), None);
        assert_eq!(nearest("ADM:SG1.SP22", known), Some("ADM:SG1.SP2"));
        assert_eq!(nearest("evidance", ["evidence", "owner"]), Some("evidence"));
        assert_eq!(nearest("zzzzzz", ["evidence", "owner"]), None);
        assert_eq!(nearest("AM:SG2", ["ADM:SG2", "AM:SG1"]), Some("AM:SG1"));
        assert_eq!(
            nearest("AM:GG2.GP1O", ["AM:GG2.GP1", "AM:GG2.GP10"]),
            Some("AM:GG2.GP10")
        );
        // Every level is one edit away: no guess, the help lists them.
        assert_eq!(nearest("CL4", ["CL0", "CL1", "CL2", "CL3"]), None);
        assert_eq!(
            nearest("operation", ["operations", "engineering"]),
            Some("operations")
        );
    }
}
