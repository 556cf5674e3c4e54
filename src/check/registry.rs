//! Ids of one record kind: declared once, looked up through a map, and every unknown reference
//! reported with the nearest known id. The same mechanism serves every kind.

use std::collections::HashMap;

use crate::diag::{Code, Diagnostic, nearest};
use crate::source::{SourceMap, Span};

pub struct Registry {
    /// What the ids name, for messages: "control", "evidence record".
    noun: &'static str,
    ids: HashMap<String, (usize, Span)>,
    order: Vec<String>,
}

impl Registry {
    pub fn new(noun: &'static str) -> Self {
        Registry {
            noun,
            ids: HashMap::new(),
            order: Vec::new(),
        }
    }

    /// Declares `id` as the next record; a second declaration is an error naming both places.
    pub fn declare(
        &mut self,
        id: &str,
        span: Span,
        sources: &SourceMap,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<usize> {
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
            return None;
        }
        let index = self.order.len();
        self.ids.insert(id.to_string(), (index, span));
        self.order.push(id.to_string());
        Some(index)
    }

    pub fn get(&self, id: &str) -> Option<usize> {
        self.ids.get(id).map(|(index, _)| *index)
    }

    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// Resolves a reference, or reports `code` with a suggestion.
    pub fn resolve(
        &self,
        reference: &str,
        span: Span,
        code: Code,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<usize> {
        if let Some(index) = self.get(reference) {
            return Some(index);
        }
        diagnostics.push(unknown(
            code,
            span,
            self.noun,
            reference,
            self.order.iter().map(String::as_str),
        ));
        None
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
