//! One function per command: run the library, print, choose the exit code.

use std::io::Write;

use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
use serde::Serialize;

use super::{
    AssessArgs, AssessFormat, CheckArgs, CsvTableArg, DataArgs, EXIT_FINDINGS, EXIT_SUCCESS,
    FindingsFormat, FrameworkCommand, ReportArgs, ReportFormat, TableFormat, ValidateArgs,
};
use rmm::check::{CheckOptions, Checked, check_repository};
use rmm::gate::{self, Miss};
use rmm::output::diagnostics::{self as findings, JsonDiagnostic, Tally};
use rmm::score;

fn load(data: &DataArgs, warnings_as_errors: bool) -> anyhow::Result<Checked> {
    let options = CheckOptions {
        as_of: data.as_of,
        severity: data.severity()?,
        warnings_as_errors,
    };
    check_repository(&data.dir, &options)
}

pub fn validate(args: &ValidateArgs, color: ColorChoice) -> anyhow::Result<u8> {
    let checked = load(&args.data, args.deny_warnings)?;
    let tally = Tally::of(&checked.diagnostics);
    report_findings(&checked, args.format, color, None)?;
    Ok(if tally.errors > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_SUCCESS
    })
}

pub fn assess(args: &AssessArgs, color: ColorChoice) -> anyhow::Result<u8> {
    let checked = load(&args.data, false)?;
    if refuse_broken_data(&checked, color, "not scored")? {
        return Ok(EXIT_FINDINGS);
    }
    let tally = Tally::of(&checked.diagnostics);
    let scorecard = score_assessment(&checked, args.assessment.as_deref())?;
    let dates = rmm::report::Dates {
        as_of: args.data.as_of,
        generated: None,
    };
    let context = rmm::report::build(&checked, &scorecard, &dates);
    let text = match args.format {
        AssessFormat::Table => rmm::report::table::render(&context),
        AssessFormat::Json => rmm::report::json(&context)?,
        AssessFormat::Markdown => rmm::report::markdown::render(&context)?,
    };
    write_stdout(&text)?;
    if tally.warnings > 0 {
        eprintln!(
            "{} (run `rmm validate` to see them)",
            findings::summary_line(&checked.stats, tally)
        );
    }
    Ok(EXIT_SUCCESS)
}

/// Prints the findings and says so when the data has errors: numbers from broken data would
/// be wrong, so `assess` and `report` stop there.
fn refuse_broken_data(checked: &Checked, color: ColorChoice, what: &str) -> anyhow::Result<bool> {
    if Tally::of(&checked.diagnostics).errors == 0 {
        return Ok(false);
    }
    report_findings(checked, FindingsFormat::Human, color, None)?;
    eprintln!("rmm: {what}: the data has errors, and numbers from broken data would be wrong");
    Ok(true)
}

/// Scores the named assessment, or the latest.
fn score_assessment(checked: &Checked, wanted: Option<&str>) -> anyhow::Result<score::Scorecard> {
    let repository = &checked.repository;
    let Some(index) = repository.assessment(wanted) else {
        anyhow::bail!("{}", unknown_assessment(checked, wanted));
    };
    let assessment = &repository.assessments[index];
    Ok(score::score(
        &repository.framework,
        &repository.areas,
        assessment,
        index,
    ))
}

/// The gate's outcome, part of `check`'s JSON.
#[derive(Serialize)]
struct GateReport {
    /// `passed`, `failed`, or `not-run` when the data has errors.
    status: &'static str,
    assessment: Option<String>,
    misses: Vec<Miss>,
}

pub fn check(args: &CheckArgs, color: ColorChoice) -> anyhow::Result<u8> {
    let checked = load(&args.data, false)?;
    let mut gate_settings = checked.settings.gate.clone();
    apply_gate_flags(args, &checked, &mut gate_settings)?;
    let mut checked = checked;
    if gate_settings.warnings_as_errors {
        // The same rule as the severity policy's, applied without loading twice.
        for diagnostic in &mut checked.diagnostics {
            diagnostic.severity = rmm::diag::Severity::Error;
        }
    }
    let tally = Tally::of(&checked.diagnostics);

    let gate = if tally.errors > 0 {
        GateReport {
            status: "not-run",
            assessment: None,
            misses: Vec::new(),
        }
    } else {
        let scorecard = score_assessment(&checked, args.assessment.as_deref())?;
        let repository = &checked.repository;
        let misses = gate::evaluate(&repository.framework, &scorecard, &gate_settings);
        GateReport {
            status: if misses.is_empty() {
                "passed"
            } else {
                "failed"
            },
            assessment: Some(repository.assessments[scorecard.assessment].id.clone()),
            misses,
        }
    };
    report_findings(&checked, args.format, color, Some(&gate))?;
    match args.format {
        FindingsFormat::Human | FindingsFormat::Short => print_gate(&gate, tally)?,
        FindingsFormat::Github => annotate_gate(&gate)?,
        FindingsFormat::Json => {}
    }
    Ok(if gate.status == "passed" {
        EXIT_SUCCESS
    } else {
        EXIT_FINDINGS
    })
}

fn apply_gate_flags(
    args: &CheckArgs,
    checked: &Checked,
    gate: &mut rmm::check::GateSettings,
) -> anyhow::Result<()> {
    let to_usize = |n: u32| n as usize;
    if let Some(max) = args.max_gap {
        gate.max_gap = Some(to_usize(max));
    }
    if let Some(max) = args.max_total_gap {
        gate.max_total_gap = Some(to_usize(max));
    }
    if let Some(max) = args.max_unanswered {
        gate.max_unanswered = Some(to_usize(max));
    }
    if let Some(level) = &args.min_level {
        let framework = &checked.repository.framework;
        gate.min_level = Some(
            rmm::check::level_named(framework, level, "--min-level")
                .map_err(|e| anyhow::anyhow!("{}", e.to_string().replace("rmm.toml: ", "")))?,
        );
    }
    gate.warnings_as_errors |= args.deny_warnings;
    Ok(())
}

fn print_gate(gate: &GateReport, tally: Tally) -> anyhow::Result<()> {
    let mut out = String::new();
    match gate.status {
        "passed" => out.push_str(&format!(
            "gate: passed for assessment {}\n",
            gate.assessment.as_deref().unwrap_or_default()
        )),
        "failed" => {
            out.push_str(&format!(
                "gate: failed for assessment {}: {} threshold{} missed\n",
                gate.assessment.as_deref().unwrap_or_default(),
                gate.misses.len(),
                if gate.misses.len() == 1 { "" } else { "s" }
            ));
            for miss in &gate.misses {
                out.push_str(&format!("  - {}\n", miss.message));
            }
        }
        _ => out.push_str(&format!(
            "gate: not run: the data has {} error{}\n",
            tally.errors,
            if tally.errors == 1 { "" } else { "s" }
        )),
    }
    write_stdout(&out)
}

/// Each missed threshold as a workflow error annotation.
fn annotate_gate(gate: &GateReport) -> anyhow::Result<()> {
    let mut out = String::new();
    for miss in &gate.misses {
        out.push_str(&format!(
            "::error title={}::{}\n",
            findings::escape_property(&format!("rmm gate {}", miss.threshold)),
            findings::escape_data(&miss.message)
        ));
    }
    write_stdout(&out)
}

/// The JSON shape of `validate` and `check` (docs/diagnostics.md).
#[derive(Serialize)]
struct FindingsReport<'a> {
    schema: &'static str,
    summary: Summary,
    diagnostics: Vec<JsonDiagnostic>,
    #[serde(skip_serializing_if = "Option::is_none")]
    gate: Option<&'a GateReport>,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    skipped_hidden: usize,
    skipped_not_yaml: usize,
    errors: usize,
    warnings: usize,
}

fn report_findings(
    checked: &Checked,
    format: FindingsFormat,
    color: ColorChoice,
    gate: Option<&GateReport>,
) -> anyhow::Result<()> {
    let diagnostics = &checked.diagnostics;
    let tally = Tally::of(diagnostics);
    match format {
        FindingsFormat::Human => {
            let mut stderr = StandardStream::stderr(color);
            findings::write_human(&mut stderr, &checked.sources, diagnostics)?;
            writeln!(stderr, "{}", findings::summary_line(&checked.stats, tally))?;
        }
        FindingsFormat::Short => {
            let mut stderr = std::io::stderr().lock();
            findings::write_short(&mut stderr, &checked.sources, diagnostics)?;
            writeln!(stderr, "{}", findings::summary_line(&checked.stats, tally))?;
        }
        FindingsFormat::Github => {
            let mut stdout = std::io::stdout().lock();
            findings::write_github(&mut stdout, &checked.sources, diagnostics)?;
            eprintln!("{}", findings::summary_line(&checked.stats, tally));
        }
        FindingsFormat::Json => {
            let report = FindingsReport {
                schema: findings::JSON_SCHEMA,
                summary: Summary {
                    files: checked.stats.loaded,
                    skipped_hidden: checked.stats.skipped_hidden,
                    skipped_not_yaml: checked.stats.skipped_not_yaml,
                    errors: tally.errors,
                    warnings: tally.warnings,
                },
                diagnostics: diagnostics
                    .iter()
                    .map(|d| findings::to_json(&checked.sources, d))
                    .collect(),
                gate,
            };
            let mut text = serde_json::to_string_pretty(&report)?;
            text.push('\n');
            write_stdout(&text)?;
        }
    }
    Ok(())
}

fn unknown_assessment(checked: &Checked, wanted: Option<&str>) -> String {
    let known: Vec<&str> = checked
        .repository
        .assessments
        .iter()
        .map(|a| a.id.as_str())
        .collect();
    match wanted {
        Some(id) => {
            let hint = rmm::diag::nearest(id, known.iter().copied())
                .map(|near| format!(" (did you mean \"{near}\"?)"))
                .unwrap_or_default();
            format!("no assessment \"{id}\"{hint}; known: {}", known.join(", "))
        }
        None => "the repository holds no assessment to score".to_string(),
    }
}

fn write_stdout(text: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

pub fn report(args: &ReportArgs, color: ColorChoice) -> anyhow::Result<u8> {
    let checked = load(&args.data, false)?;
    if refuse_broken_data(&checked, color, "no report")? {
        return Ok(EXIT_FINDINGS);
    }
    let scorecard = score_assessment(&checked, args.assessment.as_deref())?;
    let dates = rmm::report::Dates {
        as_of: args.data.as_of,
        generated: generated_date()?,
    };
    let context = rmm::report::build(&checked, &scorecard, &dates);
    let mut formats = args.format.clone();
    formats.sort_by_key(|format| *format as u8);
    formats.dedup();
    if args.summary && !formats.contains(&ReportFormat::Md) {
        anyhow::bail!("--summary applies to --format md only");
    }
    if args.csv_table.is_some() && (!formats.contains(&ReportFormat::Csv) || args.out_dir.is_some())
    {
        anyhow::bail!(
            "--csv-table applies to --format csv written to standard output or --out; --out-dir writes both tables"
        );
    }

    let Some(out_dir) = &args.out_dir else {
        let [format] = formats.as_slice() else {
            anyhow::bail!("several formats need --out-dir DIR");
        };
        let table = csv_table(args.csv_table.unwrap_or(CsvTableArg::Practices));
        let text = render_format(&context, *format, args, table)?;
        return match &args.out {
            Some(path) => {
                let inputs = input_files(&checked);
                let is_input = path.canonicalize().is_ok_and(|p| inputs.contains(&p));
                if !is_input {
                    refuse_record_folder(&checked, path)?;
                }
                rmm::report::write::write_all(&[(path.clone(), text)], &inputs)?;
                Ok(EXIT_SUCCESS)
            }
            None => write_stdout(&text).map(|()| EXIT_SUCCESS),
        };
    };
    std::fs::create_dir_all(out_dir)
        .map_err(|error| anyhow::anyhow!("could not create {}: {error}", out_dir.display()))?;
    let mut files = Vec::new();
    for format in formats {
        let tables: &[(rmm::report::csv_table::CsvTable, &str)] = match format {
            ReportFormat::Csv => &[
                (
                    rmm::report::csv_table::CsvTable::Practices,
                    "report-practices.csv",
                ),
                (rmm::report::csv_table::CsvTable::Areas, "report-areas.csv"),
            ],
            ReportFormat::Md => &[(rmm::report::csv_table::CsvTable::Practices, "report.md")],
            ReportFormat::Html => &[(rmm::report::csv_table::CsvTable::Practices, "report.html")],
            ReportFormat::Json => &[(rmm::report::csv_table::CsvTable::Practices, "report.json")],
        };
        for (table, name) in tables {
            files.push((
                out_dir.join(name),
                render_format(&context, format, args, *table)?,
            ));
        }
    }
    rmm::report::write::write_all(&files, &input_files(&checked))?;
    for (path, _) in &files {
        eprintln!("wrote {}", path.display());
    }
    Ok(EXIT_SUCCESS)
}

fn csv_table(table: CsvTableArg) -> rmm::report::csv_table::CsvTable {
    match table {
        CsvTableArg::Practices => rmm::report::csv_table::CsvTable::Practices,
        CsvTableArg::Areas => rmm::report::csv_table::CsvTable::Areas,
    }
}

fn render_format(
    context: &rmm::report::Report,
    format: ReportFormat,
    args: &ReportArgs,
    table: rmm::report::csv_table::CsvTable,
) -> anyhow::Result<String> {
    use rmm::report::templates;
    let templates = args.templates.as_deref();
    match format {
        ReportFormat::Md => {
            let name = if args.summary {
                "summary.md.j2"
            } else {
                "report.md.j2"
            };
            templates::render(&templates::environment(templates)?, name, context)
        }
        ReportFormat::Html => rmm::report::html::render(context, templates),
        ReportFormat::Csv => rmm::report::csv_table::render(context, table),
        ReportFormat::Json => rmm::report::json(context),
    }
}

/// The report date, only when SOURCE_DATE_EPOCH asks for one (reproducible builds' convention).
fn generated_date() -> anyhow::Result<Option<String>> {
    let epoch = std::env::var("SOURCE_DATE_EPOCH").unwrap_or_default();
    if epoch.trim().is_empty() {
        return Ok(None);
    }
    let out_of_range = || {
        anyhow::anyhow!(
            "SOURCE_DATE_EPOCH=\"{epoch}\" must be whole seconds since 1970-01-01, up to the year 9999"
        )
    };
    let seconds: i64 = epoch.trim().parse().map_err(|_| out_of_range())?;
    if !(0..=253_402_300_799).contains(&seconds) {
        return Err(out_of_range());
    }
    let days = jiff::Span::new()
        .try_days(seconds / 86_400)
        .map_err(|_| out_of_range())?;
    let date = jiff::civil::date(1970, 1, 1)
        .checked_add(days)
        .map_err(|_| out_of_range())?;
    Ok(Some(date.to_string()))
}

/// Refuses a report that would land as a record: a `.yaml` file in one of the repository's
/// record folders would be read back as data on the next run.
fn refuse_record_folder(checked: &Checked, path: &std::path::Path) -> anyhow::Result<()> {
    let lower = path.to_string_lossy().to_ascii_lowercase();
    if !(lower.ends_with(".yaml") || lower.ends_with(".yml")) {
        return Ok(());
    }
    let root = checked.repository.root.canonicalize().unwrap_or_default();
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let Ok(parent) = parent.canonicalize() else {
        return Ok(());
    };
    let inside = parent
        .strip_prefix(&root)
        .ok()
        .and_then(|rest| rest.components().next());
    let in_record_folder = inside.is_some_and(|first| {
        rmm::load::kinds::KINDS
            .iter()
            .any(|(folder, _)| first.as_os_str() == *folder)
    });
    if in_record_folder {
        anyhow::bail!(
            "refusing to write {}: a YAML file there would be read as a record on the next run",
            path.display()
        );
    }
    Ok(())
}

/// Every file rmm read, so that no report is written over one of them.
fn input_files(checked: &Checked) -> std::collections::HashSet<std::path::PathBuf> {
    let root = &checked.repository.root;
    let mut inputs: std::collections::HashSet<std::path::PathBuf> = checked
        .sources
        .files()
        .filter(|file| !file.path.starts_with("<bundled>"))
        .filter_map(|file| root.join(&file.path).canonicalize().ok())
        .collect();
    inputs.extend(root.join(rmm::config::FILE_NAME).canonicalize().ok());
    for evidence in &checked.repository.evidence {
        if let rmm::model::EvidenceLocation::File(path) = &evidence.location {
            inputs.extend(root.join(path).canonicalize().ok());
        }
    }
    inputs
}

pub fn framework(command: &FrameworkCommand) -> anyhow::Result<u8> {
    let dir = match command {
        FrameworkCommand::List { dir, .. } | FrameworkCommand::Show { dir, .. } => dir.as_deref(),
    };
    let (catalog, sources, diagnostics) = rmm::catalog::with_repository(dir)?;
    if !diagnostics.is_empty() {
        let mut stderr = StandardStream::stderr(ColorChoice::Never);
        findings::write_human(&mut stderr, &sources, &diagnostics)?;
        anyhow::bail!("the framework files have errors");
    }
    let text = match command {
        FrameworkCommand::List { format, .. } => {
            rmm::report::framework::list(&catalog, *format == TableFormat::Json)?
        }
        FrameworkCommand::Show { id, format, .. } => {
            let Some(framework) = catalog.get(id) else {
                let known: Vec<&str> = catalog.frameworks.iter().map(|f| f.id.as_str()).collect();
                let hint = rmm::diag::nearest(id, known.iter().copied())
                    .map(|near| format!(" (did you mean \"{near}\"?)"))
                    .unwrap_or_default();
                anyhow::bail!(
                    "unknown framework \"{id}\"{hint}; known: {}",
                    known.join(", ")
                );
            };
            rmm::report::framework::show(framework, *format == TableFormat::Json)?
        }
    };
    write_stdout(&text)?;
    Ok(EXIT_SUCCESS)
}
