//! The resolution pass: raw records in, a checked [`Repository`] and every finding out.
//! Each record kind has its own step; they share [`Registry`] for ids and references.

mod answers;
mod evidence;
pub use evidence::{days_after, parse_date};
mod registry;
mod settings;

use std::path::Path;

use crate::catalog::{self, Catalog, Framework};
use crate::config::Config;
use crate::diag::{Code, Diagnostic};
use crate::load::records::{RawControl, RawProcessArea, Scope, Text};
use crate::load::{self, Kind, LoadLimits, Loaded, Record, WalkStats};
use crate::model::{AreaSetup, Control, Repository};
use crate::source::{FileId, SourceMap, Span};
use crate::yaml::{Spanned, span_of};
pub use registry::Registry;
pub use settings::{GateSettings, Settings, level_named};

/// What `rmm validate` and every later step start from.
#[derive(Debug)]
pub struct Checked {
    pub repository: Repository,
    pub settings: Settings,
    pub sources: SourceMap,
    /// Every finding, after the severity policy, in a stable order.
    pub diagnostics: Vec<Diagnostic>,
    pub stats: WalkStats,
}

/// Options of a run that change what is checked.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Judge evidence expiry on this date instead of each assessment's date.
    pub as_of: Option<jiff::civil::Date>,
    /// Severity flags of the command line; they win over `rmm.toml`.
    pub severity: Vec<(Code, crate::diag::Level)>,
    pub warnings_as_errors: bool,
}

/// Loads and checks the repository at `root`. `Err` means rmm could not run.
pub fn check_repository(root: &Path, options: &CheckOptions) -> anyhow::Result<Checked> {
    let config = Config::load(root)?;
    let limits = LoadLimits {
        max_file_bytes: config.limits.max_file_mib.saturating_mul(1 << 20),
    };
    let loaded = load::load(root, limits)?;
    check_loaded(root, config, loaded, options)
}

fn check_loaded(
    root: &Path,
    config: Config,
    loaded: Loaded,
    options: &CheckOptions,
) -> anyhow::Result<Checked> {
    let Loaded {
        mut sources,
        records,
        mut diagnostics,
        stats,
    } = loaded;
    let record_count = stats.loaded;
    let parsed: std::collections::HashSet<FileId> = records.iter().map(|r| r.file).collect();
    let broken = Broken::find(&sources, &parsed);
    let mut by_kind = ByKind::default();
    for loaded in records {
        by_kind.push(loaded.file, loaded.record);
    }

    let mut framework_files = catalog::bundled_files(&mut sources, &mut diagnostics);
    framework_files.append(&mut by_kind.frameworks);
    let catalog = Catalog::build(framework_files, &sources, &mut diagnostics);
    let framework = choose_framework(&catalog, &config, &diagnostics, &sources)?;
    let settings = Settings::resolve(&config, &framework).map_err(|error| config.locate(error))?;
    let mut policy = config.severity_policy()?;
    for (code, level) in &options.severity {
        policy.set(*code, *level);
    }
    policy.warnings_as_errors = options.warnings_as_errors;

    let mut limit = FindingLimit::default();
    let mut checker = Checker {
        sources: &sources,
        framework: &framework,
        diagnostics: &mut diagnostics,
        limit: &mut limit,
        broken: &broken,
    };
    let areas = checker.process_areas(by_kind.process_areas, &settings);
    let (evidence, evidence_ids) = checker.evidence(root, by_kind.evidence);
    let (controls, control_ids) = checker.controls(by_kind.controls, &evidence_ids);
    let refs = answers::References {
        controls: &control_ids,
        evidence: &evidence_ids,
    };
    let headers = sources
        .files()
        .filter(|file| load::Kind::of(&file.path) == Some(load::Kind::Assessment))
        .count();
    let assessments =
        checker.assessments(by_kind.assessments, by_kind.answer_sheets, &refs, &areas);

    let repository = Repository {
        root: root.to_path_buf(),
        config,
        framework: framework.clone(),
        areas,
        controls,
        evidence,
        assessments,
    };
    let mut checker = Checker {
        sources: &sources,
        framework: &framework,
        diagnostics: &mut diagnostics,
        limit: &mut limit,
        broken: &broken,
    };
    checker.repository_wide(&repository, (record_count, headers), options);

    diagnostics.extend(limit.summaries());
    let mut diagnostics = policy.apply(diagnostics);
    sort_diagnostics(&mut diagnostics, &sources);
    Ok(Checked {
        repository,
        settings,
        sources,
        diagnostics,
        stats,
    })
}

fn choose_framework(
    catalog: &Catalog,
    config: &Config,
    diagnostics: &[Diagnostic],
    sources: &SourceMap,
) -> anyhow::Result<Framework> {
    if let Some(framework) = catalog.get(&config.framework.id) {
        return Ok(framework.clone());
    }
    let framework_findings: Vec<String> = diagnostics
        .iter()
        .filter_map(|diagnostic| {
            let span = diagnostic.span?;
            let path = &sources.get(span.file).path;
            path.starts_with("frameworks/")
                .then(|| format!("  {}: {}", sources.location(span), diagnostic.message))
        })
        .collect();
    if !framework_findings.is_empty() {
        anyhow::bail!(
            "rmm.toml: [framework] id = \"{}\" could not be loaded; the framework files have errors:\n{}",
            config.framework.id,
            framework_findings.join("\n")
        );
    }
    let known: Vec<&str> = catalog.frameworks.iter().map(|f| f.id.as_str()).collect();
    let hint = crate::diag::nearest(&config.framework.id, known.iter().copied())
        .map(|near| format!(" (did you mean \"{near}\"?)"))
        .unwrap_or_default();
    anyhow::bail!(
        "rmm.toml: [framework] id = \"{}\" is neither bundled nor defined in frameworks/{hint}; known: {}",
        config.framework.id,
        known.join(", ")
    )
}

/// Findings in file order, then line, then code, so output never depends on thread timing.
fn sort_diagnostics(diagnostics: &mut [Diagnostic], sources: &SourceMap) {
    let path = |diagnostic: &Diagnostic| match diagnostic.span {
        Some(span) => sources.get(span.file).path.clone(),
        None => diagnostic.path.clone().unwrap_or_default(),
    };
    diagnostics.sort_by(|a, b| {
        crate::source::natural_cmp(&path(a), &path(b))
            .then_with(|| a.span.map(|s| s.start).cmp(&b.span.map(|s| s.start)))
            .then_with(|| a.code.cmp(&b.code))
            .then_with(|| a.message.cmp(&b.message))
    });
}

#[derive(Default)]
struct ByKind {
    process_areas: Vec<(FileId, RawProcessArea)>,
    controls: Vec<(FileId, RawControl)>,
    evidence: Vec<(FileId, crate::load::records::RawEvidence)>,
    assessments: Vec<(FileId, crate::load::records::RawAssessment)>,
    answer_sheets: Vec<(FileId, crate::load::records::RawAnswerSheet)>,
    frameworks: Vec<(FileId, catalog::RawFrameworkFile)>,
}

impl ByKind {
    fn push(&mut self, file: FileId, record: Record) {
        match record {
            Record::ProcessArea(raw) => self.process_areas.push((file, raw)),
            Record::Control(raw) => self.controls.push((file, raw)),
            Record::Evidence(raw) => self.evidence.push((file, raw)),
            Record::Assessment(raw) => self.assessments.push((file, raw)),
            Record::AnswerSheet(raw) => self.answer_sheets.push((file, raw)),
            Record::Framework(raw) => self.frameworks.push((file, *raw)),
        }
    }
}

/// Shared state of the resolution steps.
struct Checker<'a> {
    sources: &'a SourceMap,
    framework: &'a Framework,
    diagnostics: &'a mut Vec<Diagnostic>,
    limit: &'a mut FindingLimit,
    broken: &'a Broken,
}

/// What is known of record files that failed to parse, so that their failure is reported
/// once: their ids still count as declared (references to them get no second finding), and an
/// assessment with a broken answer sheet is not also called unanswered.
#[derive(Default)]
struct Broken {
    ids: Vec<(Kind, String, Span)>,
    sheet_folders: std::collections::HashSet<String>,
}

impl Broken {
    fn find(sources: &SourceMap, parsed: &std::collections::HashSet<FileId>) -> Broken {
        let mut broken = Broken::default();
        for (index, file) in sources.files().enumerate() {
            let id = FileId(u32::try_from(index).unwrap_or(u32::MAX));
            let Some(kind) = Kind::of(&file.path).filter(|_| !parsed.contains(&id)) else {
                continue;
            };
            if kind == Kind::AnswerSheet {
                broken.sheet_folders.insert(answers::folder_of(&file.path));
            } else if let Some((value, span)) = declared_id(file, id) {
                broken.ids.push((kind, value, span));
            }
        }
        broken
    }

    fn ids(&self, kind: Kind) -> impl Iterator<Item = &(Kind, String, Span)> {
        self.ids.iter().filter(move |(k, _, _)| *k == kind)
    }
}

/// The value of a top-level `id:` line, read without a parser from a file that failed to parse.
fn declared_id(file: &crate::source::SourceFile, id: FileId) -> Option<(String, Span)> {
    let span = top_level_key(file, id, "id")?;
    let line = file.line_range(file.line_index(span.start as usize))?;
    let value = file.text[line].split_once(':')?.1;
    let value = value
        .split(" #")
        .next()
        .unwrap_or(value)
        .trim()
        .trim_matches(['"', '\'']);
    (!value.is_empty()).then(|| (value.to_string(), span))
}

/// Findings of one code in one file beyond this many are counted, not built: a file with
/// 200,000 bad references must not cost 200,000 suggestions.
const MAX_FINDINGS_PER_FILE: usize = 100;

/// Counts findings per file and code, to keep hostile files cheap.
#[derive(Default)]
struct FindingLimit {
    counts: std::collections::BTreeMap<(FileId, Code), usize>,
}

impl FindingLimit {
    /// Whether one more finding of `code` in `file` should be built and reported.
    fn admit(&mut self, file: FileId, code: Code) -> bool {
        let count = self.counts.entry((file, code)).or_insert(0);
        *count += 1;
        *count <= MAX_FINDINGS_PER_FILE
    }

    /// One finding per file and code that went over the limit, saying how many were left out.
    fn summaries(&self) -> Vec<Diagnostic> {
        self.counts
            .iter()
            .filter(|(_, count)| **count > MAX_FINDINGS_PER_FILE)
            .map(|((file, code), count)| {
                let mut summary = Diagnostic::new(
                    *code,
                    Span::file_start(*file),
                    format!(
                        "{} more {} findings in this file are not shown (only the first {MAX_FINDINGS_PER_FILE} are)",
                        count - MAX_FINDINGS_PER_FILE,
                        code.name()
                    ),
                );
                // It stands for the findings left out; the summary stands for none itself.
                summary.also = count - MAX_FINDINGS_PER_FILE - 1;
                summary
            })
            .collect()
    }
}

impl Checker<'_> {
    fn span<T>(&self, file: FileId, value: &Spanned<T>) -> Span {
        span_of(self.sources.get(file), file, &value.referenced)
    }

    fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// A required text field, or a `missing-field` finding: at the key when it is written but
    /// empty, else at the start of the file.
    fn required(
        &mut self,
        file: FileId,
        value: Option<Text>,
        field: &str,
        kind: &str,
    ) -> Option<Text> {
        let value = value.filter(|text| !text.value.trim().is_empty());
        if value.is_none() {
            let diagnostic = match top_level_key(self.sources.get(file), file, field) {
                Some(span) => Diagnostic::new(
                    Code::MissingField,
                    span,
                    format!("{kind} field `{field}` is empty"),
                ),
                None => Diagnostic::new(
                    Code::MissingField,
                    Span::file_start(file),
                    format!("{kind} is missing required field `{field}`"),
                ),
            };
            self.report(diagnostic.with_help(format!("give `{field}:` a value (docs/format.md)")));
        }
        value
    }

    /// Resolves a practice reference, telling apart an unknown area, goal or practice.
    fn practice(&mut self, file: FileId, reference: &Text) -> Option<usize> {
        let id = reference.value.as_str();
        if let Some(practice) = self.framework.practice(id) {
            return Some(practice);
        }
        let span = self.span(file, reference);
        let code = match id.split_once(':') {
            Some((area, _)) if self.framework.area(area).is_none() => Code::UnknownProcessArea,
            Some((_, rest)) if self.framework.goal(&goal_part(id, rest)).is_none() => {
                Code::UnknownGoal
            }
            _ => Code::UnknownPractice,
        };
        if !self.limit.admit(file, code) {
            return None;
        }
        let diagnostic = match id.split_once(':') {
            Some((area, _)) if self.framework.area(area).is_none() => registry::unknown(
                Code::UnknownProcessArea,
                span,
                "process area",
                area,
                self.framework.area_ids(),
            )
            .with_help(format!("in practice reference \"{id}\"")),
            Some((_, rest)) if self.framework.goal(&goal_part(id, rest)).is_none() => {
                registry::unknown(
                    Code::UnknownGoal,
                    span,
                    "goal",
                    &goal_part(id, rest),
                    self.goal_ids(),
                )
            }
            _ => registry::unknown(
                Code::UnknownPractice,
                span,
                "practice",
                id,
                self.framework.practice_ids(),
            )
            .with_help("practice ids look like AM:SG1.SP2 or AM:GG2.GP1"),
        };
        self.report(diagnostic);
        None
    }

    /// Declares the ids of `kind`'s files that failed to parse, never to be accepted.
    fn declare_broken(&mut self, registry: &mut Registry, kind: Kind) {
        for (_, id, span) in self.broken.ids(kind) {
            registry.declare(id, *span, self.sources, self.diagnostics);
        }
    }

    /// Resolves a reference to a record of `registry`, reporting an unknown id as `code`.
    fn reference(
        &mut self,
        file: FileId,
        reference: &Text,
        registry: &Registry,
        code: Code,
    ) -> Option<usize> {
        match registry.lookup(&reference.value) {
            Ok(found) => found,
            Err(()) => {
                if self.limit.admit(file, code) {
                    let span = self.span(file, reference);
                    self.report(registry.unknown(&reference.value, span, code));
                }
                None
            }
        }
    }

    fn goal_ids(&self) -> impl Iterator<Item = &str> + Clone {
        self.framework
            .process_areas
            .iter()
            .flat_map(|area| area.goals.iter().map(|goal| goal.id.as_str()))
    }

    fn area(&mut self, file: FileId, reference: &Text) -> Option<usize> {
        let found = self.framework.area(&reference.value);
        if found.is_none() && self.limit.admit(file, Code::UnknownProcessArea) {
            let span = self.span(file, reference);
            self.report(registry::unknown(
                Code::UnknownProcessArea,
                span,
                "process area",
                &reference.value,
                self.framework.area_ids(),
            ));
        }
        found
    }

    fn level(&mut self, file: FileId, reference: &Text) -> Option<usize> {
        let found = self.framework.level(&reference.value);
        if found.is_none() && self.limit.admit(file, Code::UnknownLevel) {
            let span = self.span(file, reference);
            let levels = self.framework.levels.iter().map(|level| level.id.as_str());
            self.report(registry::unknown(
                Code::UnknownLevel,
                span,
                "capability level",
                &reference.value,
                levels,
            ));
        }
        found
    }

    fn process_areas(
        &mut self,
        raws: Vec<(FileId, RawProcessArea)>,
        settings: &Settings,
    ) -> Vec<AreaSetup> {
        let framework = self.framework;
        let mut areas: Vec<AreaSetup> = (0..framework.process_areas.len())
            .map(|area| AreaSetup {
                owner: None,
                in_scope: true,
                scope_reason: None,
                target: settings.target(area),
                requirements: Vec::new(),
                declared: None,
            })
            .collect();
        let mut registry = Registry::new("process area");
        for (_, id, span) in self.broken.ids(Kind::ProcessArea) {
            if let Some(area) = framework.area(id) {
                areas[area].declared = Some(*span);
            }
        }
        for (file, raw) in raws {
            self.process_area(file, raw, settings, &mut registry, &mut areas);
        }
        let undeclared: Vec<&str> = areas
            .iter()
            .zip(&framework.process_areas)
            .filter(|(setup, _)| setup.declared.is_none())
            .map(|(_, area)| area.id.as_str())
            .collect();
        if !undeclared.is_empty() && !registry.is_empty() {
            self.report(
                Diagnostic::at_path(
                    Code::ProcessAreaUndeclared,
                    "process-areas/",
                    format!(
                        "{} process area{} of {} ha{} no file and {} treated as in scope with the default target and no owner: {}",
                        undeclared.len(),
                        if undeclared.len() == 1 { "" } else { "s" },
                        framework.id,
                        if undeclared.len() == 1 { "s" } else { "ve" },
                        if undeclared.len() == 1 { "is" } else { "are" },
                        undeclared.join(", ")
                    ),
                )
                .with_help("add process-areas/<ID>.yaml with the owner and scope of each"),
            );
        }
        areas
    }

    fn process_area(
        &mut self,
        file: FileId,
        raw: RawProcessArea,
        settings: &Settings,
        registry: &mut Registry,
        areas: &mut [AreaSetup],
    ) {
        let Some(id) = self.required(file, raw.id, "id", "process area") else {
            return;
        };
        let Some(area) = self.area(file, &id) else {
            return;
        };
        let span = self.span(file, &id);
        if !registry.declare(&id.value, span, self.sources, self.diagnostics) {
            return;
        }
        registry.accept(&id.value);
        let owner = self.required(file, raw.owner, "owner", "process area");
        let in_scope = raw
            .scope
            .as_ref()
            .is_none_or(|scope| scope.value == Scope::InScope);
        if !in_scope
            && raw
                .scope_reason
                .as_ref()
                .is_none_or(|r| r.value.trim().is_empty())
        {
            let scope_span = raw
                .scope
                .as_ref()
                .map_or(span, |scope| self.span(file, scope));
            self.report(
                Diagnostic::new(
                    Code::MissingField,
                    scope_span,
                    format!(
                        "process area {} is out of scope without a `scope_reason`",
                        id.value
                    ),
                )
                .with_help("say why the organization does not run this process area"),
            );
        }
        let setup = &mut areas[area];
        setup.declared = Some(span);
        setup.owner = owner.map(|owner| owner.value);
        setup.in_scope = in_scope;
        setup.scope_reason = raw.scope_reason.map(|reason| reason.value);
        setup.requirements = raw.requirements.unwrap_or_default();
        let Some(target) = raw.target else { return };
        let Some(level) = self.level(file, &target) else {
            return;
        };
        areas[area].target = level;
        if let Some(configured) = settings.configured_target(area)
            && configured != level
        {
            let target_span = self.span(file, &target);
            self.report(
                Diagnostic::new(
                    Code::TargetConflict,
                    target_span,
                    format!(
                        "target {} here differs from {} in rmm.toml [targets.process_areas]; this file wins",
                        target.value, self.framework.levels[configured].id
                    ),
                )
                .with_help("keep the target in one place"),
            );
        }
    }

    fn controls(
        &mut self,
        raws: Vec<(FileId, RawControl)>,
        evidence_ids: &Registry,
    ) -> (Vec<Control>, Registry) {
        let mut registry = Registry::new("control");
        self.declare_broken(&mut registry, Kind::Control);
        let mut controls = Vec::new();
        for (file, raw) in raws {
            let Some(id) = self.required(file, raw.id, "id", "control") else {
                continue;
            };
            let span = self.span(file, &id);
            if !registry.declare(&id.value, span, self.sources, self.diagnostics) {
                continue;
            }
            registry.accept(&id.value);
            let title = self.required(file, raw.title, "title", "control");
            let owner = self.required(file, raw.owner, "owner", "control");
            let practices: Vec<usize> = raw
                .practices
                .unwrap_or_default()
                .iter()
                .filter_map(|reference| self.practice(file, reference))
                .collect();
            let practices = unique(practices);
            let evidence: Vec<usize> = raw
                .evidence
                .unwrap_or_default()
                .iter()
                .filter_map(|reference| {
                    self.reference(file, reference, evidence_ids, Code::UnknownEvidence)
                })
                .collect();
            let evidence = unique(evidence);
            controls.push(Control {
                id: id.value,
                title: title.map(|t| t.value).unwrap_or_default(),
                owner: owner.map(|o| o.value).unwrap_or_default(),
                practices,
                evidence,
                span,
            });
        }
        (controls, registry)
    }

    /// Findings about the repository as a whole.
    /// `counts` are the record files found and the assessment headers among them.
    fn repository_wide(
        &mut self,
        repository: &Repository,
        (record_count, headers): (usize, usize),
        options: &CheckOptions,
    ) {
        if record_count == 0 {
            self.report(
                Diagnostic::at_path(
                    Code::EmptyRepository,
                    ".",
                    "the repository holds no records: nothing to check or score",
                )
                .with_help(
                    "add process-areas/, controls/, evidence/ and assessments/ (docs/format.md)",
                ),
            );
        } else if headers == 0 {
            self.report(
                Diagnostic::at_path(
                    Code::NoAssessment,
                    "assessments/",
                    "the repository holds no assessment: nothing to score",
                )
                .with_help("add assessments/<id>/assessment.yaml and its answer sheets"),
            );
        }
        for assessment in &repository.assessments {
            self.unanswered(repository, assessment);
            self.evidence_timing(repository, assessment, options);
        }
    }
}

/// Where a top-level key is written (`owner:` at the start of a line).
fn top_level_key(source: &crate::source::SourceFile, file: FileId, field: &str) -> Option<Span> {
    let mut offset = 0;
    for line in source.text.split_inclusive('\n') {
        let is_key = line
            .strip_prefix(field)
            .is_some_and(|rest| rest.trim_start_matches(' ').starts_with(':'));
        if is_key {
            return Some(Span::new(file, offset..offset + field.len()));
        }
        offset += line.len();
    }
    None
}

/// Indexes in first-seen order without repeats: `[CTL-1, CTL-1]` cites one control.
fn unique(indexes: impl IntoIterator<Item = usize>) -> Vec<usize> {
    let mut seen = std::collections::HashSet::new();
    indexes
        .into_iter()
        .filter(|index| seen.insert(*index))
        .collect()
}

/// `AM:SG1` from `AM:SG1.SP1`.
fn goal_part(id: &str, rest: &str) -> String {
    let area = &id[..id.len() - rest.len() - 1];
    let goal = rest.split('.').next().unwrap_or(rest);
    format!("{area}:{goal}")
}
