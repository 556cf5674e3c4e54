//! Writes a synthetic resilience repository for benchmarks: deterministic for a given seed.
//!
//! ```sh
//! cargo run --release --example synth -- --scale 10 --out bench/out/scale-10
//! cargo run --release --example synth -- --big-file --out bench/out/big
//! ```
//!
//! Scale 1 is a mid-size organization: 26 process areas, 400 controls, 2,000 evidence records
//! with their files, one assessment answering every practice. Scale N has 400·N controls,
//! 1,500·N + 500 evidence records and N assessments: about 2,450 YAML files at scale 1, 20,000 at
//! scale 10 and 97,000 at scale 50. `--big-file` adds one framework file of about 30 MB.
//!
//! The repository validates with no errors. Its only findings are deliberate: none at all for
//! the default seed, so `rmm validate` measures loading and checking, not printing.

use std::fmt::Write as _;
use std::path::PathBuf;

use rmm::catalog::{self, Framework};

struct Options {
    scale: usize,
    seed: u64,
    out: PathBuf,
    big_file: bool,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let options = parse_arguments()?;
    if options.out.exists() {
        return Err(format!("{} exists; choose a new folder", options.out.display()).into());
    }
    let (catalog, _, _) = catalog::bundled();
    let framework = catalog
        .get(catalog::DEFAULT_FRAMEWORK)
        .ok_or("no bundled framework")?;
    let mut random = fastrand::Rng::with_seed(options.seed);
    let writer = Writer {
        root: options.out.clone(),
    };

    let controls = 400 * options.scale;
    let evidence = 1_500 * options.scale + 500;
    write_config(&writer)?;
    write_process_areas(&writer, framework)?;
    write_evidence(&writer, evidence, &mut random)?;
    write_controls(&writer, framework, controls, evidence, &mut random)?;
    for index in 0..options.scale {
        write_assessment(&writer, framework, index, controls, evidence, &mut random)?;
    }
    if options.big_file {
        write_big_framework(&writer)?;
    }
    eprintln!("wrote {}", options.out.display());
    Ok(())
}

fn parse_arguments() -> Result<Options, Box<dyn std::error::Error>> {
    let mut options = Options {
        scale: 1,
        seed: 2026,
        out: PathBuf::new(),
        big_file: false,
    };
    let mut arguments = std::env::args().skip(1);
    while let Some(argument) = arguments.next() {
        let mut value = || arguments.next().ok_or(format!("{argument} needs a value"));
        match argument.as_str() {
            "--scale" => options.scale = value()?.parse()?,
            "--seed" => options.seed = value()?.parse()?,
            "--out" => options.out = PathBuf::from(value()?),
            "--big-file" => options.big_file = true,
            other => {
                return Err(format!(
                    "unknown argument {other}; use --scale N --out DIR [--seed S] [--big-file]"
                )
                .into());
            }
        }
    }
    if options.out.as_os_str().is_empty() || options.scale == 0 {
        return Err("usage: synth --scale N (N >= 1) --out DIR [--seed S] [--big-file]".into());
    }
    Ok(options)
}

struct Writer {
    root: PathBuf,
}

impl Writer {
    fn write(&self, relative: &str, text: &str) -> std::io::Result<()> {
        let path = self.root.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, text)
    }
}

fn write_config(writer: &Writer) -> std::io::Result<()> {
    writer.write(
        "rmm.toml",
        "[organization]\nname = \"Synthetic Holdings\"\n\n[targets]\ndefault = \"CL2\"\n\n[gate]\nmax_unanswered = 0\n",
    )
}

fn write_process_areas(writer: &Writer, framework: &Framework) -> std::io::Result<()> {
    for area in &framework.process_areas {
        let text = format!(
            "id: {}\nowner: Owner of {}\nrequirements:\n  - {} is reviewed every quarter.\n",
            area.id, area.name, area.name
        );
        writer.write(&format!("process-areas/{}.yaml", area.id), &text)?;
    }
    Ok(())
}

fn evidence_id(index: usize) -> String {
    format!("EV-{:06}", index + 1)
}

fn control_id(index: usize) -> String {
    format!("CTL-{:05}", index + 1)
}

fn write_evidence(
    writer: &Writer,
    count: usize,
    random: &mut fastrand::Rng,
) -> std::io::Result<()> {
    for index in 0..count {
        let id = evidence_id(index);
        let folder = index / 500;
        let artifact = format!("artifacts/{folder:03}/{id}.md");
        let body = format!(
            "# {id}\n\nRecord of control operation number {index}.\nReviewed by team {}.\n",
            random.u32(1..50)
        );
        writer.write(&artifact, &body)?;
        let text = format!(
            "id: {id}\ntitle: Evidence record {index}\nfile: {artifact}\ncollected: 2026-0{}-1{}\nvalid_for: P{}Y\n",
            random.u8(1..7),
            random.u8(0..10),
            random.u8(2..4)
        );
        writer.write(&format!("evidence/{folder:03}/{id}.yaml"), &text)?;
    }
    Ok(())
}

fn write_controls(
    writer: &Writer,
    framework: &Framework,
    count: usize,
    evidence: usize,
    random: &mut fastrand::Rng,
) -> std::io::Result<()> {
    let practices: Vec<&str> = framework
        .practices
        .iter()
        .filter(|p| !p.derived)
        .map(|p| p.id.as_str())
        .collect();
    for index in 0..count {
        let id = control_id(index);
        let mut text = format!(
            "id: {id}\ntitle: Control {index}\nowner: Team {}\npractices:\n",
            random.u32(1..40)
        );
        for _ in 0..random.usize(1..4) {
            let _ = writeln!(text, "  - {}", practices[random.usize(..practices.len())]);
        }
        text.push_str("evidence:\n");
        for _ in 0..random.usize(1..4) {
            let _ = writeln!(text, "  - {}", evidence_id(random.usize(..evidence)));
        }
        writer.write(&format!("controls/{:03}/{id}.yaml", index / 500), &text)?;
    }
    Ok(())
}

fn write_assessment(
    writer: &Writer,
    framework: &Framework,
    index: usize,
    controls: usize,
    evidence: usize,
    random: &mut fastrand::Rng,
) -> std::io::Result<()> {
    let id = format!("unit-{:03}", index + 1);
    let day = index % 28 + 1;
    let header = format!(
        "id: {id}\ntitle: Business unit {} self-assessment\ndate: 2026-10-{day:02}\nassessors: [Assessor {}]\n",
        index + 1,
        random.u32(1..20)
    );
    writer.write(&format!("assessments/{id}/assessment.yaml"), &header)?;
    for (area_index, area) in framework.process_areas.iter().enumerate() {
        let mut text = String::from("answers:\n");
        for practice in framework.answerable(area_index) {
            let status = match random.u8(0..20) {
                0..=13 => "performed",
                14..=16 => "partial",
                17..=18 => "not-performed",
                _ => "not-applicable",
            };
            let _ = write!(
                text,
                "  {}: {{status: {status}",
                framework.practices[practice].id
            );
            if status == "performed" {
                let _ = write!(
                    text,
                    ", controls: [{}], evidence: [{}]",
                    control_id(random.usize(..controls)),
                    evidence_id(random.usize(..evidence))
                );
            }
            if status != "performed" {
                text.push_str(", note: Reviewed with the process owner");
            }
            text.push_str("}\n");
        }
        writer.write(&format!("assessments/{id}/{}.yaml", area.id), &text)?;
    }
    Ok(())
}

/// About 30 MB: a framework of 6,000 process areas, each with goals and practices.
fn write_big_framework(writer: &Writer) -> std::io::Result<()> {
    let mut text = String::with_capacity(31 << 20);
    text.push_str("id: synthetic-big\nname: Synthetic large framework\nversion: \"1\"\n");
    text.push_str("categories:\n  - {id: general, name: General}\n");
    text.push_str(
        "levels:\n  - {id: L0, name: None, goals: []}\n  - {id: L1, name: Basic, goals: [G1]}\n",
    );
    text.push_str("generic_goals:\n  - id: G1\n    title: Basic practice\n    achieved_by: specific-goals\n    practices:\n      - {id: P1, title: Perform}\n");
    text.push_str("process_areas:\n");
    let mut area = 0;
    while text.len() < 30 << 20 {
        area += 1;
        let _ = writeln!(
            text,
            "  - id: A{area:05}\n    name: Synthetic area {area}\n    category: general\n    goals:"
        );
        for goal in 1..=4 {
            let _ = writeln!(
                text,
                "      - id: SG{goal}\n        title: \"Goal {goal} of area {area}, kept long enough to resemble real titles\"\n        practices:"
            );
            for practice in 1..=5 {
                let _ = writeln!(
                    text,
                    "          - {{id: SP{practice}, title: \"Practice {practice} of goal {goal} in area {area}\"}}"
                );
            }
        }
    }
    writer.write("frameworks/synthetic-big.yaml", &text)
}
