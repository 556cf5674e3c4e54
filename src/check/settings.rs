//! `rmm.toml` settings that name the framework's elements (levels, areas, categories), checked
//! against the chosen framework. A bad name here is a bad configuration: rmm cannot run.

use std::collections::BTreeMap;

use anyhow::bail;

use crate::catalog::Framework;
use crate::config::{Config, FILE_NAME, Gate};
use crate::diag::nearest;

#[derive(Debug, Clone)]
pub struct Settings {
    default_target: usize,
    configured_targets: Vec<Option<usize>>,
    pub gate: GateSettings,
    pub expiring_within_days: u32,
}

/// Gate thresholds with level names resolved to level indexes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GateSettings {
    pub max_gap: Option<usize>,
    pub max_total_gap: Option<usize>,
    pub max_unanswered: Option<usize>,
    pub min_level: Option<usize>,
    /// Per process area index.
    pub min_level_by_area: BTreeMap<usize, usize>,
    /// Per category index.
    pub min_level_by_category: BTreeMap<usize, usize>,
    pub warnings_as_errors: bool,
    pub allow_not_evaluated: bool,
}

impl Settings {
    pub fn resolve(config: &Config, framework: &Framework) -> anyhow::Result<Settings> {
        let default_target = match &config.targets.default {
            Some(level) => level_named(framework, level, "[targets] default")?,
            None => framework.highest_level().min(2),
        };
        let mut configured_targets = vec![None; framework.process_areas.len()];
        for (area, level) in &config.targets.process_areas {
            let area = area_named(framework, area, "[targets.process_areas]")?;
            configured_targets[area] =
                Some(level_named(framework, level, "[targets.process_areas]")?);
        }
        Ok(Settings {
            default_target,
            configured_targets,
            gate: GateSettings::resolve(&config.gate, framework)?,
            expiring_within_days: config.evidence.expiring_within_days,
        })
    }

    /// The target rmm.toml gives an area, before a process-area file overrides it.
    pub fn target(&self, area: usize) -> usize {
        self.configured_targets[area].unwrap_or(self.default_target)
    }

    pub fn configured_target(&self, area: usize) -> Option<usize> {
        self.configured_targets[area]
    }
}

impl GateSettings {
    pub fn resolve(gate: &Gate, framework: &Framework) -> anyhow::Result<GateSettings> {
        let to_usize = |n: Option<u32>| n.map(|n| n as usize);
        let mut settings = GateSettings {
            max_gap: to_usize(gate.max_gap),
            max_total_gap: to_usize(gate.max_total_gap),
            max_unanswered: to_usize(gate.max_unanswered),
            min_level: None,
            min_level_by_area: BTreeMap::new(),
            min_level_by_category: BTreeMap::new(),
            warnings_as_errors: gate.warnings_as_errors,
            allow_not_evaluated: gate.allow_not_evaluated,
        };
        if let Some(level) = &gate.min_level {
            settings.min_level = Some(level_named(framework, level, "[gate] min_level")?);
        }
        for (area, level) in &gate.min_level_by_area {
            let area = area_named(framework, area, "[gate.min_level_by_area]")?;
            let level = level_named(framework, level, "[gate.min_level_by_area]")?;
            settings.min_level_by_area.insert(area, level);
        }
        for (category, level) in &gate.min_level_by_category {
            let Some(index) = framework.category(category) else {
                let known = framework.categories.iter().map(|c| c.id.as_str());
                bail!(
                    "{FILE_NAME}: [gate.min_level_by_category] unknown category \"{category}\"{}",
                    suggestion(category, known)
                );
            };
            let level = level_named(framework, level, "[gate.min_level_by_category]")?;
            settings.min_level_by_category.insert(index, level);
        }
        Ok(settings)
    }
}

pub fn level_named(framework: &Framework, name: &str, key: &str) -> anyhow::Result<usize> {
    framework.level(name).ok_or_else(|| {
        let known: Vec<&str> = framework.levels.iter().map(|l| l.id.as_str()).collect();
        anyhow::anyhow!(
            "{FILE_NAME}: {key}: unknown capability level \"{name}\"{} (levels: {})",
            suggestion(name, known.iter().copied()),
            known.join(", ")
        )
    })
}

fn area_named(framework: &Framework, name: &str, key: &str) -> anyhow::Result<usize> {
    framework.area(name).ok_or_else(|| {
        anyhow::anyhow!(
            "{FILE_NAME}: {key}: unknown process area \"{name}\"{}",
            suggestion(name, framework.area_ids())
        )
    })
}

fn suggestion<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    nearest(name, known)
        .map(|near| format!(" (did you mean \"{near}\"?)"))
        .unwrap_or_default()
}
