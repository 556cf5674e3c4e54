//! Ids of one record kind: declared once, looked up through a map, and every unknown reference
//! reported with the nearest known id. The same mechanism serves every kind.

use std::collections::HashMap;

pub use crate::diag::unknown;
use crate::diag::{Code, Diagnostic};
use crate::source::{SourceMap, Span};

pub struct Registry {
    /// What the ids name, for messages: "control", "evidence record".
    noun: &'static str,
    /// Each declared id, where it is declared, and its index once the record is accepted. A
    /// record that is declared but invalid keeps `None`: references to it resolve to nothing
    /// without a second finding, and no later record's index shifts.
    ids: HashMap<String, (Option<usize>, Span)>,
    order: Vec<String>,
    accepted: usize,
}

impl Registry {
    pub fn new(noun: &'static str) -> Self {
        Registry {
            noun,
            ids: HashMap::new(),
            order: Vec::new(),
            accepted: 0,
        }
    }

    /// Declares `id`; a second declaration is an error naming both places and returns `false`.
    /// Call [`Registry::accept`] once the record has passed its checks.
    pub fn declare(
        &mut self,
        id: &str,
        span: Span,
        sources: &SourceMap,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> bool {
        if let Some((_, first)) = self.ids.get(id) {
            diagnostics.push(
                Diagnostic::new(
                    Code::DuplicateId,
                    span,
                    format!(
                        "{} \"{id}\" is declared twice (first at {})",
                        self.noun,
                        sources.path_line(*first)
                    ),
                )
                .with_related(*first, "first declared here")
                .with_help("give each record its own id, or delete the copy"),
            );
            return false;
        }
        self.ids.insert(id.to_string(), (None, span));
        self.order.push(id.to_string());
        true
    }

    /// Marks a declared record as valid: it gets the next index of the checked list.
    pub fn accept(&mut self, id: &str) -> usize {
        let index = self.accepted;
        if let Some((slot, _)) = self.ids.get_mut(id) {
            *slot = Some(index);
        }
        self.accepted += 1;
        index
    }

    pub fn get(&self, id: &str) -> Option<usize> {
        self.ids.get(id).and_then(|(index, _)| *index)
    }

    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// Looks a reference up: `Ok(Some(index))` for an accepted record, `Ok(None)` for a
    /// declared record that failed its own checks (already reported), `Err(())` when no record
    /// declares the id.
    #[allow(clippy::result_unit_err)]
    pub fn lookup(&self, reference: &str) -> Result<Option<usize>, ()> {
        self.ids.get(reference).map(|(index, _)| *index).ok_or(())
    }

    /// The "unknown" finding for a reference that [`Registry::lookup`] did not find.
    pub fn unknown(&self, reference: &str, span: Span, code: Code) -> Diagnostic {
        unknown(
            code,
            span,
            self.noun,
            reference,
            self.order.iter().map(String::as_str),
        )
    }
}
