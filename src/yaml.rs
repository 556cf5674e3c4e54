//! All YAML handling lives here, so the parser (serde-saphyr) could be swapped in one place.
//!
//! serde-saphyr deserializes straight into the record structs, keeps the line and column of any
//! value wrapped in [`Spanned`], and rejects duplicate keys. This module adds what rmm promises on
//! top: a byte-order mark and CR-only endings handled before parsing, budgets sized from each
//! file's length, and every parser error turned into a [`Diagnostic`] with a code and a hint.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeOwned, Deserializer, MapAccess, Visitor};
use serde_saphyr::{Error as YamlError, Location};

use crate::diag::{Code, Diagnostic, nearest};
use crate::source::{FileId, SourceFile, Span};

pub use serde_saphyr::Spanned;

/// Deepest nesting a record may use; rmm's records need fewer than ten levels.
const MAX_DEPTH: usize = 48;

/// Parses one file's text into `T`, or explains in one diagnostic why it cannot.
pub fn parse<T: DeserializeOwned>(file: &SourceFile, id: FileId) -> Result<T, Box<Diagnostic>> {
    if let Some(offset) = lone_carriage_return(&file.text) {
        let span = Span::new(id, offset..offset + 1);
        return Err(Box::new(
            Diagnostic::new(
                Code::UnsupportedLineEnding,
                span,
                "unsupported line ending (CR only)",
            )
            .with_help("save the file with LF or CRLF line endings"),
        ));
    }
    if !has_content(&file.text) {
        return Err(Box::new(
            Diagnostic::new(
                Code::EmptyFile,
                Span::file_start(id),
                "file contains no YAML document",
            )
            .with_help("write the record's fields, or delete the file"),
        ));
    }

    serde_saphyr::from_str_with_options(&file.text, options_for(file.text.len()))
        .map_err(|error| Box::new(to_diagnostic(&error, file, id)))
}

/// A `Location` from the parser as a span in `file`.
pub fn span_of(file: &SourceFile, id: FileId, location: &Location) -> Span {
    let span = location.span();
    if let (Some(offset), Some(len)) = (span.byte_offset(), span.byte_len()) {
        let start = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(file.text.len());
        let end = start
            .saturating_add(usize::try_from(len).unwrap_or(0))
            .min(file.text.len());
        return Span::new(id, start..end);
    }
    let line = usize::try_from(location.line()).unwrap_or(0).max(1);
    let column = usize::try_from(location.column()).unwrap_or(0).max(1);
    let start = file.offset_of(line, column);
    Span::new(id, start..start)
}

/// Budgets grow with the file: a record file never needs more events or nodes than it has
/// bytes, so a small file full of aliases is refused long before it can expand.
fn options_for(len: usize) -> serde_saphyr::Options {
    let scaled = len.saturating_mul(2).saturating_add(4_096);
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_events: scaled,
            max_nodes: scaled,
            max_aliases: len / 4 + 64,
            max_anchors: len / 4 + 64,
            max_depth: MAX_DEPTH,
            flow_nesting_limit: MAX_DEPTH,
            max_documents: 2,
            max_total_scalar_bytes: len.saturating_add(4_096),
            max_merge_keys: len / 8 + 64,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: scaled,
            max_alias_expansions_per_anchor: len / 4 + 64,
        },
        strict_booleans: true,
        with_snippet: false,
    }
}

/// The offset of a carriage return that is not followed by a line feed.
fn lone_carriage_return(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    bytes
        .iter()
        .enumerate()
        .find(|(i, byte)| **byte == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
        .map(|(i, _)| i)
}

/// Whether the text holds anything beyond blank lines, comments and document markers.
fn has_content(text: &str) -> bool {
    text.lines().any(|line| {
        let line = line.trim();
        !(line.is_empty() || line.starts_with('#') || line == "---" || line == "...")
    })
}

fn to_diagnostic(error: &YamlError, file: &SourceFile, id: FileId) -> Diagnostic {
    let location = error.location();
    let error = innermost(error);
    let span = location.map_or(Span::file_start(id), |location| {
        span_of(file, id, &location)
    });
    let plain = plain_message(error);

    match error {
        YamlError::DuplicateMappingKey { key, .. } => duplicate_key(file, span, key.as_deref()),
        YamlError::SerdeUnknownField {
            field, expected, ..
        } => unknown_field(span, field, expected),
        YamlError::SerdeMissingField { field, .. } => Diagnostic::new(
            Code::MissingField,
            span,
            format!("missing required field `{field}`"),
        ),
        YamlError::SerdeUnknownVariant {
            variant, expected, ..
        } => {
            let hint = nearest(variant, expected.iter().copied())
                .map(|near| format!("; did you mean \"{near}\"?"))
                .unwrap_or_default();
            Diagnostic::new(
                Code::InvalidValue,
                span,
                format!(
                    "unknown value \"{variant}\" (expected {}){hint}",
                    one_of(expected)
                ),
            )
        }
        YamlError::MultipleDocuments { .. } => Diagnostic::new(
            Code::MultipleDocuments,
            second_document(file, id).unwrap_or(span),
            "second YAML document; one record per file expected",
        )
        .with_help("move the second document into a file of its own"),
        YamlError::Budget { .. }
        | YamlError::AliasReplayLimitExceeded { .. }
        | YamlError::AliasExpansionLimitExceeded { .. }
        | YamlError::AliasReplayStackDepthExceeded { .. }
        | YamlError::AliasReplayCounterOverflow { .. } => limit_exceeded(span, &plain),
        YamlError::SerdeInvalidType { .. }
        | YamlError::SerdeInvalidValue { .. }
        | YamlError::InvalidScalar { .. }
        | YamlError::InvalidBooleanStrict { .. }
        | YamlError::SerdeInvalidLength { .. } => Diagnostic::new(Code::WrongType, span, plain),
        YamlError::Unexpected { expected, .. } => Diagnostic::new(
            Code::WrongType,
            span,
            format!("wrong type: expected {}", kind_in_words(expected)),
        )
        .with_help(shape_hint(file, span, expected)),
        YamlError::TaggedScalarCannotDeserializeIntoString { .. } => Diagnostic::new(
            Code::WrongType,
            span,
            "a tagged value (such as !!timestamp) where text belongs",
        )
        .with_help(
            "remove the tag: rmm reads dates and ids as plain text, e.g. collected: 2024-06-01",
        ),
        YamlError::NullIntoString { .. } => {
            Diagnostic::new(Code::WrongType, span, "expected text, found an empty value")
                .with_help("write a value, or delete the key")
        }
        _ if plain.contains("limit exceeded") || plain.contains("budget breached") => {
            limit_exceeded(span, &plain)
        }
        _ => syntax_error(file, id, span, plain),
    }
}

/// The error behind snippet and alias wrappers, which decides the diagnostic's code.
fn innermost(error: &YamlError) -> &YamlError {
    match error.without_snippet() {
        YamlError::AliasError { error, .. } => innermost(error),
        other => other,
    }
}

/// The parser's message without the location it appends; rmm prints locations itself.
fn plain_message(error: &YamlError) -> String {
    let message = error.to_string();
    let cut = message
        .find(" at line ")
        .or_else(|| message.find(" (line "))
        .unwrap_or(message.len());
    message[..cut].trim_end_matches([',', '.', ' ']).to_string()
}

/// "a list" for the parser's "sequence start", and so on.
fn kind_in_words(expected: &str) -> String {
    let words = [
        ("sequence", "a list"),
        ("mapping", "a mapping of keys to values"),
        ("string", "text"),
        ("scalar", "a single value"),
    ];
    words
        .iter()
        .find(|(parser, _)| expected.contains(parser))
        .map_or_else(|| expected.to_string(), |(_, words)| words.to_string())
}

/// How to write the expected shape, using the value found where it helps.
fn shape_hint(file: &SourceFile, span: Span, expected: &str) -> String {
    let found = file.text.get(span.range()).unwrap_or_default().trim();
    let found = if found.is_empty() {
        file.text[span.start as usize..]
            .lines()
            .next()
            .unwrap_or_default()
            .trim()
    } else {
        found
    };
    let statuses = ["performed", "partial", "not-performed", "not-applicable"];
    if expected.contains("mapping") && statuses.contains(&found) {
        return format!("an answer is a mapping: write {{status: {found}}}");
    }
    if expected.contains("sequence") && !found.is_empty() && !found.contains([' ', '[', '{']) {
        return format!("write a list: [{found}]");
    }
    "see docs/format.md for the shape of each field".to_string()
}

fn limit_exceeded(span: Span, plain: &str) -> Diagnostic {
    Diagnostic::new(
        Code::YamlLimitExceeded,
        span,
        format!(
            "{}; the file is refused to keep the run bounded",
            limit_in_words(plain)
        ),
    )
    .with_help("rmm records need no deep nesting and few aliases; write the values out")
}

/// "budget breached: ScalarBytes { total_scalar_bytes: 4626 }" as "too much text in values
/// (limit exceeded)".
fn limit_in_words(plain: &str) -> String {
    let Some(breach) = plain.strip_prefix("budget breached: ") else {
        return plain.to_string();
    };
    let name = breach.split([' ', '{', '(']).next().unwrap_or(breach);
    let what = match name {
        "Events" => "too many YAML events",
        "Aliases" => "too many aliases",
        "Anchors" => "too many anchors",
        "Depth" => "nesting too deep",
        "Documents" => "too many documents",
        "Nodes" => "too many values",
        "ScalarBytes" => "alias expansion makes the values too large",
        _ => "a parser limit exceeded",
    };
    format!("{what} ({name} limit exceeded)")
}

fn one_of(expected: &[&str]) -> String {
    match expected {
        [] => "nothing".to_string(),
        [only] => only.to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

fn unknown_field(span: Span, field: &str, expected: &[&str]) -> Diagnostic {
    let mut diagnostic = Diagnostic::new(
        Code::UnknownField,
        span,
        format!("unknown field \"{field}\""),
    );
    if let Some(suggestion) = nearest(field, expected.iter().copied()) {
        diagnostic.message = format!("unknown field \"{field}\" (did you mean \"{suggestion}\"?)");
    }
    if field == "<<" {
        diagnostic.message = "a merge key (<<) is not allowed here".to_string();
    }
    diagnostic.with_help(format!("known fields: {}", expected.join(", ")))
}

fn duplicate_key(file: &SourceFile, span: Span, key: Option<&str>) -> Diagnostic {
    let key_text = key.unwrap_or("?");
    let mut diagnostic = Diagnostic::new(
        Code::DuplicateKey,
        span,
        format!("duplicate key \"{key_text}\""),
    )
    .with_help("keep one of the entries; YAML does not say which one wins");
    if let Some(first) = key.and_then(|key| first_occurrence(file, span, key)) {
        let (line, _) = file.line_col(first.start as usize);
        diagnostic.message = format!("duplicate key \"{key_text}\" (first at line {line})");
        diagnostic = diagnostic.with_related(first, "first given here");
    }
    diagnostic
}

/// Finds an earlier block-mapping key with the same text at the same column.
fn first_occurrence(file: &SourceFile, duplicate: Span, key: &str) -> Option<Span> {
    let (line, column) = file.line_col(duplicate.start as usize);
    (0..line.saturating_sub(1)).find_map(|index| {
        let range = file.line_range(index)?;
        let text = &file.text[range.clone()];
        let rest = text.get(column - 1..)?;
        let prefix_is_indent = text[..column - 1].chars().all(|c| c == ' ' || c == '-');
        let after = rest.strip_prefix(key).or_else(|| {
            rest.strip_prefix('"')
                .and_then(|r| r.strip_prefix(key))
                .and_then(|r| r.strip_prefix('"'))
        })?;
        let is_key = after.trim_start().starts_with(':');
        (prefix_is_indent && is_key).then(|| {
            let start = range.start + column - 1;
            Span::new(duplicate.file, start..start + key.len())
        })
    })
}

fn second_document(file: &SourceFile, id: FileId) -> Option<Span> {
    let mut seen_content = false;
    for index in 0.. {
        let range = file.line_range(index)?;
        let line = &file.text[range.clone()];
        if line.starts_with("---") && seen_content {
            return Some(Span::new(id, range.start..range.start + 3));
        }
        let trimmed = line.trim();
        if !(trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with("---")) {
            seen_content = true;
        }
    }
    None
}

/// A syntax error, explained when a tab in the indentation is the likely cause.
fn syntax_error(file: &SourceFile, id: FileId, span: Span, plain: String) -> Diagnostic {
    let (error_line, _) = file.line_col(span.start as usize);
    if let Some(tab) = tab_in_indentation(file, id, error_line) {
        return Diagnostic::new(
            Code::TabIndentation,
            tab,
            "tab used for indentation (use spaces)",
        )
        .with_help("YAML allows only spaces for indentation; replace the \\t with spaces");
    }
    Diagnostic::new(Code::YamlSyntax, span, plain)
}

/// The first tab in a line's leading whitespace, at or before `last_line` (one-based).
fn tab_in_indentation(file: &SourceFile, id: FileId, last_line: usize) -> Option<Span> {
    (0..last_line).find_map(|index| {
        let range = file.line_range(index)?;
        let line = &file.text[range.clone()];
        let indent_len = line.len() - line.trim_start_matches([' ', '\t']).len();
        let tab = line[..indent_len].find('\t')?;
        Some(Span::new(id, range.start + tab..range.start + tab + 1))
    })
}

/// A YAML mapping read as its entries in file order, so that keys keep their positions.
#[derive(Debug, Clone)]
pub struct Entries<V>(pub Vec<(Spanned<String>, V)>);

impl<V> Default for Entries<V> {
    fn default() -> Self {
        Entries(Vec::new())
    }
}

impl<'de, V: serde::Deserialize<'de>> serde::Deserialize<'de> for Entries<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntriesVisitor<V>(PhantomData<V>);

        impl<'de, V: serde::Deserialize<'de>> Visitor<'de> for EntriesVisitor<V> {
            type Value = Entries<V>;

            fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
                formatter.write_str("a mapping")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0));
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Entries(entries))
            }
        }

        deserializer.deserialize_map(EntriesVisitor(PhantomData))
    }
}

#[cfg(test)]
mod tests;
