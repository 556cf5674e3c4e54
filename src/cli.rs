//! Command-line arguments and the commands they run.
//!
//! Exit codes are a contract, pinned by tests:
//! 0 success; 1 findings (errors in the data, or a failed gate); 2 rmm could not run.

mod commands;
mod terminal;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use rmm::diag::{Code, Level};

pub const EXIT_SUCCESS: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_COULD_NOT_RUN: u8 = 2;

/// Run CERT-RMM v1.2 resilience assessments over a repository of YAML files.
#[derive(Debug, Parser)]
#[command(
    name = "rmm",
    version,
    after_help = "Exit codes: 0 success; 1 findings (errors in the data, or a gate threshold missed); 2 rmm could not run (bad usage, unreadable directory, bad rmm.toml, failed write).\nDocs: docs/format.md, docs/diagnostics.md, docs/scoring.md."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// When to colour human output.
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, global = true)]
    pub color: ColorWhen,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Load the repository and check every file and reference; report every finding.
    Validate(ValidateArgs),
    /// Score the latest assessment: capability levels, targets, gaps, performed %.
    Assess(AssessArgs),
    /// For CI: everything `validate` checks, then the gate thresholds.
    Check(CheckArgs),
    /// Render the client deliverables: Markdown, self-contained HTML, CSV and JSON.
    Report(ReportArgs),
    /// Show the bundled frameworks: process areas, goals, practices, levels.
    #[command(subcommand)]
    Framework(FrameworkCommand),
}

#[derive(Debug, Args)]
pub struct DataArgs {
    /// The resilience repository (the directory holding rmm.toml).
    #[arg(default_value = ".")]
    pub dir: PathBuf,

    /// Judge evidence expiry on this date (YYYY-MM-DD) instead of each assessment's date.
    #[arg(long, value_parser = parse_date)]
    pub as_of: Option<jiff::civil::Date>,

    /// Treat a diagnostic code as an error (repeatable).
    #[arg(long, value_name = "CODE", value_parser = parse_code)]
    pub deny: Vec<Code>,

    /// Treat a diagnostic code as a warning (repeatable).
    #[arg(long, value_name = "CODE", value_parser = parse_code)]
    pub warn: Vec<Code>,

    /// Do not report a diagnostic code (repeatable; codes that mark unloadable data stay errors).
    #[arg(long, value_name = "CODE", value_parser = parse_code)]
    pub allow: Vec<Code>,
}

impl DataArgs {
    pub fn severity(&self) -> anyhow::Result<Vec<(Code, Level)>> {
        let mut severity: Vec<(Code, Level)> = Vec::new();
        for (codes, level) in [
            (&self.deny, Level::Deny),
            (&self.warn, Level::Warn),
            (&self.allow, Level::Allow),
        ] {
            for code in codes {
                if code.is_fixed() && level != Level::Deny {
                    anyhow::bail!(
                        "--{} {}: this code marks data that rmm cannot load or resolve and cannot be lowered",
                        if level == Level::Warn {
                            "warn"
                        } else {
                            "allow"
                        },
                        code.name()
                    );
                }
                if severity
                    .iter()
                    .any(|(known, other)| known == code && *other != level)
                {
                    anyhow::bail!(
                        "{} is given two different levels on the command line",
                        code.name()
                    );
                }
                severity.push((*code, level));
            }
        }
        Ok(severity)
    }
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    #[command(flatten)]
    pub data: DataArgs,

    /// Output format of the findings.
    #[arg(long, value_enum, default_value_t = FindingsFormat::Human)]
    pub format: FindingsFormat,

    /// Turn every warning into an error.
    #[arg(long)]
    pub deny_warnings: bool,
}

#[derive(Debug, Args)]
pub struct AssessArgs {
    #[command(flatten)]
    pub data: DataArgs,

    /// The assessment to score (default: the latest by date).
    #[arg(long, value_name = "ID")]
    pub assessment: Option<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = AssessFormat::Table)]
    pub format: AssessFormat,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub data: DataArgs,

    /// The assessment to gate (default: the latest by date).
    #[arg(long, value_name = "ID")]
    pub assessment: Option<String>,

    /// Output format of the findings and the gate.
    #[arg(long, value_enum, default_value_t = FindingsFormat::Human)]
    pub format: FindingsFormat,

    /// Largest gap allowed for any process area (overrides rmm.toml).
    #[arg(long, value_name = "N")]
    pub max_gap: Option<u32>,

    /// Largest sum of gaps allowed (overrides rmm.toml).
    #[arg(long, value_name = "N")]
    pub max_total_gap: Option<u32>,

    /// Most unanswered in-scope practices allowed (overrides rmm.toml).
    #[arg(long, value_name = "N")]
    pub max_unanswered: Option<u32>,

    /// Lowest level allowed for every in-scope process area, e.g. CL1 (overrides rmm.toml).
    #[arg(long, value_name = "LEVEL")]
    pub min_level: Option<String>,

    /// Turn every warning into an error (as `warnings_as_errors` in rmm.toml).
    #[arg(long)]
    pub deny_warnings: bool,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub data: DataArgs,

    /// One or more formats, comma-separated: md, html, csv, json.
    #[arg(long, value_enum, value_delimiter = ',', default_value = "md")]
    pub format: Vec<ReportFormat>,

    /// Write the report to this file (one format) instead of standard output.
    #[arg(long, value_name = "FILE", conflicts_with = "out_dir")]
    pub out: Option<PathBuf>,

    /// Write every format into this folder: report.md, report.html, report.json,
    /// report-practices.csv and report-areas.csv.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,

    /// The assessment to report (default: the latest by date).
    #[arg(long, value_name = "ID")]
    pub assessment: Option<String>,

    /// A folder of templates that override the built-in ones by file name.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,

    /// Markdown: only the short summary, for a pull-request comment.
    #[arg(long)]
    pub summary: bool,

    /// CSV written to standard output or --out: one row per practice (the default), or per
    /// process area.
    #[arg(long, value_enum)]
    pub csv_table: Option<CsvTableArg>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Md,
    Html,
    Csv,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CsvTableArg {
    Practices,
    Areas,
}

#[derive(Debug, Subcommand)]
pub enum FrameworkCommand {
    /// List the bundled frameworks (and a repository's own, with --dir).
    List {
        #[arg(long, value_enum, default_value_t = TableFormat::Table)]
        format: TableFormat,
        /// Also load frameworks and overlays from this repository's frameworks/ folder.
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// Show every process area, goal and practice of a framework.
    Show {
        /// Framework id, e.g. cert-rmm-1.2.
        id: String,
        #[arg(long, value_enum, default_value_t = TableFormat::Table)]
        format: TableFormat,
        /// Also load frameworks and overlays (licensed text) from this repository.
        #[arg(long)]
        dir: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FindingsFormat {
    /// Source excerpts with a caret, coloured on a terminal.
    Human,
    /// One `path:line:col: severity[code]: message` line per finding.
    Short,
    /// One JSON document (schema rmm.diagnostics/v1) on standard output.
    Json,
    /// GitHub Actions workflow annotations.
    Github,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AssessFormat {
    Table,
    Json,
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    Table,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

fn parse_date(text: &str) -> Result<jiff::civil::Date, String> {
    rmm::check::parse_date(text)
        .ok_or_else(|| format!("\"{text}\" is not a real calendar date in YYYY-MM-DD form"))
}

fn parse_code(text: &str) -> Result<Code, String> {
    rmm::config::parse_code(text).map_err(|error| error.to_string())
}

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let color = terminal::color_choice(cli.color);
    let code = match cli.command {
        Command::Validate(args) => commands::validate(&args, color)?,
        Command::Assess(args) => commands::assess(&args, color)?,
        Command::Check(args) => commands::check(&args, color)?,
        Command::Report(args) => commands::report(&args, color)?,
        Command::Framework(command) => commands::framework(&command)?,
    };
    Ok(ExitCode::from(code))
}
