//! Frameworks: the process areas, goals, practices and capability levels an assessment is scored
//! against. CERT-RMM v1.2 is bundled (embedded from `frameworks/`); a repository may add its own
//! framework files and overlays that add licensed text to a framework's elements.
//!
//! The levels, and which generic goals reach each level, are data; the rule that turns goal
//! results into a level lives in `score`.

mod raw;

use std::collections::HashMap;

use crate::diag::{Code, Diagnostic};
use crate::source::{FileId, SourceFile, SourceMap, Span};

pub use raw::RawFrameworkFile;

/// Framework files compiled into the binary, by file name.
pub const BUNDLED: &[(&str, &str)] = &[(
    "frameworks/cert-rmm-1.2.yaml",
    include_str!("../frameworks/cert-rmm-1.2.yaml"),
)];

/// The framework used when `rmm.toml` names none.
pub const DEFAULT_FRAMEWORK: &str = "cert-rmm-1.2";

#[derive(Debug, Clone)]
pub struct Framework {
    pub id: String,
    pub name: String,
    pub version: String,
    pub publisher: String,
    pub notice: String,
    pub source: String,
    pub categories: Vec<Category>,
    /// Capability levels, lowest first; a level's rank is its index.
    pub levels: Vec<CapabilityLevel>,
    pub process_areas: Vec<ProcessArea>,
    /// Every practice in catalog order; answers and scores index into this.
    pub practices: Vec<Practice>,
    practice_index: HashMap<String, usize>,
    area_index: HashMap<String, usize>,
}

#[derive(Debug, Clone)]
pub struct Category {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct CapabilityLevel {
    pub id: String,
    pub name: String,
    /// Generic goal ids (`GG2`) achieved at this level.
    pub goals: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct ProcessArea {
    pub id: String,
    pub name: String,
    pub category: usize,
    /// Specific goals first, then the generic goals instantiated for this area.
    pub goals: Vec<Goal>,
}

#[derive(Debug, Clone)]
pub struct Goal {
    /// Qualified id: `ADM:SG1`, `ADM:GG2`.
    pub id: String,
    pub title: String,
    pub kind: GoalKind,
    /// Indexes into [`Framework::practices`].
    pub practices: Vec<usize>,
    /// Licensed text from an overlay.
    pub text: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GoalKind {
    Specific,
    /// A generic goal and the capability level it belongs to.
    Generic {
        level: usize,
        /// Achieved exactly when every specific goal is (GG1); its practices are not answered.
        derived: bool,
    },
}

#[derive(Debug, Clone)]
pub struct Practice {
    /// Qualified id: `ADM:SG1.SP1`, `ADM:GG2.GP4`.
    pub id: String,
    pub title: String,
    pub area: usize,
    /// Index of its goal within the area's `goals`.
    pub goal: usize,
    /// The level this practice counts towards: 1 for specific practices.
    pub level: usize,
    /// Derived practices (GG1.GP1) follow from others and are never answered.
    pub derived: bool,
    pub text: Option<String>,
}

impl Framework {
    pub fn practice(&self, id: &str) -> Option<usize> {
        self.practice_index.get(id).copied()
    }

    pub fn area(&self, id: &str) -> Option<usize> {
        self.area_index.get(id).copied()
    }

    pub fn level(&self, id: &str) -> Option<usize> {
        self.levels.iter().position(|level| level.id == id)
    }

    pub fn category(&self, id: &str) -> Option<usize> {
        self.categories
            .iter()
            .position(|category| category.id == id)
    }

    pub fn goal(&self, id: &str) -> Option<(usize, usize)> {
        let (area_id, _) = id.split_once(':')?;
        let area = self.area(area_id)?;
        let goal = self.process_areas[area]
            .goals
            .iter()
            .position(|goal| goal.id == id)?;
        Some((area, goal))
    }

    pub fn practice_ids(&self) -> impl Iterator<Item = &str> + Clone {
        self.practices.iter().map(|practice| practice.id.as_str())
    }

    pub fn area_ids(&self) -> impl Iterator<Item = &str> + Clone {
        self.process_areas.iter().map(|area| area.id.as_str())
    }

    pub fn highest_level(&self) -> usize {
        self.levels.len().saturating_sub(1)
    }

    /// Practices an assessment answers: every practice that is not derived.
    pub fn answerable(&self, area: usize) -> impl Iterator<Item = usize> + '_ {
        self.process_areas[area]
            .goals
            .iter()
            .flat_map(|goal| goal.practices.iter().copied())
            .filter(|practice| !self.practices[*practice].derived)
    }
}

/// All frameworks of a run: the bundled ones and those of the repository.
#[derive(Debug, Default)]
pub struct Catalog {
    pub frameworks: Vec<Framework>,
}

impl Catalog {
    pub fn get(&self, id: &str) -> Option<&Framework> {
        self.frameworks.iter().find(|framework| framework.id == id)
    }

    /// Builds the catalog from parsed framework files; overlays are merged after every
    /// framework is known. Inconsistent files become diagnostics.
    pub fn build(
        files: Vec<(FileId, RawFrameworkFile)>,
        sources: &SourceMap,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Catalog {
        let mut catalog = Catalog::default();
        let (overlays, frameworks): (Vec<_>, Vec<_>) = files
            .into_iter()
            .partition(|(_, file)| file.overlay_of.is_some());

        for (file_id, raw) in frameworks {
            let source = sources.get(file_id);
            if let Some(framework) = raw::build_framework(raw, source, file_id, diagnostics) {
                match catalog.get(&framework.id) {
                    Some(_) => diagnostics.push(Diagnostic::new(
                        Code::DuplicateId,
                        Span::file_start(file_id),
                        format!("framework \"{}\" is defined twice", framework.id),
                    )),
                    None => catalog.frameworks.push(framework),
                }
            }
        }
        for (file_id, raw) in overlays {
            raw::apply_overlay(
                &mut catalog,
                raw,
                sources.get(file_id),
                file_id,
                diagnostics,
            );
        }
        catalog
    }
}

/// Loads the bundled framework files into `sources`, ready for [`Catalog::build`].
pub fn bundled_files(
    sources: &mut SourceMap,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(FileId, RawFrameworkFile)> {
    BUNDLED
        .iter()
        .filter_map(|(path, text)| {
            let id = sources.add(SourceFile::new(
                format!("<bundled>/{path}"),
                text.to_string(),
            ));
            match crate::yaml::parse::<RawFrameworkFile>(sources.get(id), id) {
                Ok(raw) => Some((id, raw)),
                Err(diagnostic) => {
                    diagnostics.push(*diagnostic);
                    None
                }
            }
        })
        .collect()
}

/// The bundled catalog alone, for commands that need no repository.
pub fn bundled() -> (Catalog, SourceMap, Vec<Diagnostic>) {
    let mut sources = SourceMap::default();
    let mut diagnostics = Vec::new();
    let files = bundled_files(&mut sources, &mut diagnostics);
    let catalog = Catalog::build(files, &sources, &mut diagnostics);
    (catalog, sources, diagnostics)
}

/// The bundled catalog plus the framework files of the repository at `root`, if given.
pub fn with_repository(
    root: Option<&std::path::Path>,
) -> anyhow::Result<(Catalog, SourceMap, Vec<Diagnostic>)> {
    let Some(root) = root else {
        return Ok(bundled());
    };
    let limits = crate::load::LoadLimits {
        max_file_bytes: 64 << 20,
    };
    let loaded = crate::load::load(root, limits)?;
    let mut sources = loaded.sources;
    let mut diagnostics: Vec<Diagnostic> = loaded
        .diagnostics
        .into_iter()
        .filter(|d| {
            d.span
                .is_some_and(|s| sources.get(s.file).path.starts_with("frameworks/"))
        })
        .collect();
    let mut files = bundled_files(&mut sources, &mut diagnostics);
    files.extend(
        loaded
            .records
            .into_iter()
            .filter_map(|record| match record.record {
                crate::load::Record::Framework(raw) => Some((record.file, *raw)),
                _ => None,
            }),
    );
    let catalog = Catalog::build(files, &sources, &mut diagnostics);
    Ok((catalog, sources, diagnostics))
}

#[cfg(test)]
mod tests;
