use serde::Deserialize;

use super::*;
use crate::diag::Code;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Control {
    id: Spanned<String>,
    area: Option<String>,
    level: Option<u8>,
    evidence: Option<Vec<Spanned<String>>>,
    notes: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Sheet {
    answers: Entries<Answer>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Answer {
    #[allow(dead_code)]
    status: Status,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(rename_all = "kebab-case")]
enum Status {
    Performed,
    NotPerformed,
}

fn file(text: &str) -> SourceFile {
    SourceFile::new("f.yaml".into(), text.into())
}

fn parse_control(text: &str) -> Result<Control, Box<Diagnostic>> {
    parse(&file(text), FileId(0))
}

fn position(text: &str, diagnostic: &Diagnostic) -> (usize, usize) {
    let span = diagnostic.span.unwrap_or(Span::file_start(FileId(0)));
    file(text).line_col(span.start as usize)
}

#[test]
fn spans_point_at_values() {
    let text = "id: IAM-07\narea: IAM\nevidence:\n  - EV-1\n  - EV-2\n";
    let control = parse_control(text).unwrap_or_else(|d| panic!("{d:?}"));
    let source = file(text);
    let span = span_of(&source, FileId(0), &control.id.referenced);
    assert_eq!(source.line_col(span.start as usize), (1, 5));
    assert_eq!(&source.text[span.range()], "IAM-07");
    let evidence = control.evidence.unwrap_or_default();
    let second = span_of(&source, FileId(0), &evidence[1].referenced);
    assert_eq!(source.line_col(second.start as usize), (5, 5));
}

#[test]
fn misspelt_field_is_refused_with_a_suggestion() {
    let text = "id: IAM-17\narea: IAM\nlevel: 2\nevidance: [EV-1]\n";
    let diagnostic = parse_control(text)
        .err()
        .unwrap_or_else(|| panic!("accepted"));
    assert_eq!(diagnostic.code, Code::UnknownField);
    assert_eq!(
        diagnostic.message,
        "unknown field \"evidance\" (did you mean \"evidence\"?)"
    );
    assert_eq!(position(text, &diagnostic), (4, 1));
}

#[test]
fn duplicate_field_names_both_lines() {
    let text = "id: IAM-03\nevidence: [EV-1]\narea: IAM\nevidence: []\n";
    let diagnostic = parse_control(text)
        .err()
        .unwrap_or_else(|| panic!("accepted"));
    assert_eq!(diagnostic.code, Code::DuplicateKey);
    assert_eq!(
        diagnostic.message,
        "duplicate key \"evidence\" (first at line 2)"
    );
    assert_eq!(position(text, &diagnostic), (4, 1));
}

#[test]
fn duplicate_answer_keys_are_refused() {
    let text = "answers:\n  IAM-01: {status: performed}\n  IAM-02: {status: performed}\n  IAM-01: {status: not-performed}\n";
    let diagnostic = parse::<Sheet>(&file(text), FileId(0))
        .err()
        .unwrap_or_else(|| panic!("accepted"));
    assert_eq!(diagnostic.code, Code::DuplicateKey);
    assert_eq!(
        diagnostic.message,
        "duplicate key \"IAM-01\" (first at line 2)"
    );
    assert_eq!(position(text, &diagnostic), (4, 3));
}

#[test]
fn yes_and_no_are_not_statuses() {
    let text = "answers:\n  NO-01: {status: no}\n";
    let diagnostic = parse::<Sheet>(&file(text), FileId(0))
        .err()
        .unwrap_or_else(|| panic!("accepted"));
    assert_eq!(diagnostic.code, Code::InvalidValue);
    assert_eq!(
        diagnostic.message,
        "unknown value \"no\" (expected performed or not-performed)"
    );
    assert_eq!(position(text, &diagnostic), (2, 19));
}

#[test]
fn keys_keep_their_spelling() {
    let text = "answers:\n  NO-01: {status: performed}\n  1.10: {status: performed}\n";
    let sheet: Sheet = parse(&file(text), FileId(0)).unwrap_or_else(|d| panic!("{d:?}"));
    let keys: Vec<&str> = sheet
        .answers
        .0
        .iter()
        .map(|(k, _)| k.value.as_str())
        .collect();
    assert_eq!(keys, ["NO-01", "1.10"]);
}

#[test]
fn empty_and_comment_only_files_hold_no_document() {
    for text in ["", "# only a comment\n", "---\n"] {
        let diagnostic = parse_control(text)
            .err()
            .unwrap_or_else(|| panic!("accepted"));
        assert_eq!(diagnostic.code, Code::EmptyFile, "{text:?}");
    }
}

#[test]
fn a_second_document_is_pointed_at() {
    let text = "id: IAM-07\narea: IAM\n---\nid: IAM-08\narea: IAM\n";
    let diagnostic = parse_control(text)
        .err()
        .unwrap_or_else(|| panic!("accepted"));
    assert_eq!(diagnostic.code, Code::MultipleDocuments);
    assert_eq!(position(text, &diagnostic), (3, 1));
}

#[test]
fn tab_indentation_is_named() {
    let text = "id: IAM-07\nevidence:\n\t- EV-1\n";
    let diagnostic = parse_control(text)
        .err()
        .unwrap_or_else(|| panic!("accepted"));
    assert_eq!(diagnostic.code, Code::TabIndentation);
    assert_eq!(position(text, &diagnostic), (3, 1));
}

#[test]
fn crlf_reads_like_lf() {
    let text = "id: IAM-07\r\nlevel: 2\r\nnotes: |\r\n  line one\r\n  line two\r\n";
    let control = parse_control(text).unwrap_or_else(|d| panic!("{d:?}"));
    assert_eq!(control.id.value, "IAM-07");
    assert_eq!(control.level, Some(2));
    assert_eq!(control.notes.as_deref(), Some("line one\nline two\n"));
}

#[test]
fn cr_only_is_refused() {
    let diagnostic = parse_control("id: IAM-07\rarea: IAM\r")
        .err()
        .unwrap_or_else(|| panic!("accepted"));
    assert_eq!(diagnostic.code, Code::UnsupportedLineEnding);
}

#[test]
fn null_lists_are_none() {
    let control =
        parse_control("id: IAM-09\nevidence:\nnotes: ~\n").unwrap_or_else(|d| panic!("{d:?}"));
    assert!(control.evidence.is_none());
    assert!(control.notes.is_none());
}

#[test]
fn merge_keys_expand_and_local_keys_win() {
    #[derive(Debug, Deserialize)]
    struct Bundle {
        #[allow(dead_code)]
        defaults: Control,
        controls: Vec<Control>,
    }
    let text = "defaults: &d\n  id: base\n  area: IAM\n  level: 2\ncontrols:\n  - <<: *d\n    id: IAM-15\n  - <<: *d\n    id: IAM-16\n    level: 3\n";
    let bundle: Bundle = parse(&file(text), FileId(0)).unwrap_or_else(|d| panic!("{d:?}"));
    assert_eq!(bundle.controls[0].area.as_deref(), Some("IAM"));
    assert_eq!(bundle.controls[0].level, Some(2));
    assert_eq!(bundle.controls[1].level, Some(3));
}

#[test]
fn alias_bomb_is_refused_quickly() {
    let mut text =
        String::from("id: IAM-90\nnotes:\n  l0: &l0 [ok, ok, ok, ok, ok, ok, ok, ok, ok, ok]\n");
    for level in 1..10 {
        let prev = level - 1;
        text.push_str(&format!(
            "  l{level}: &l{level} [{}]\n",
            vec![format!("*l{prev}"); 10].join(", ")
        ));
    }
    #[derive(Debug, Deserialize)]
    struct Loose {
        #[allow(dead_code)]
        notes: std::collections::BTreeMap<String, serde::de::IgnoredAny>,
    }
    let started = std::time::Instant::now();
    let diagnostic = parse::<Loose>(&file(&text), FileId(0))
        .err()
        .unwrap_or_else(|| panic!("accepted"));
    assert_eq!(diagnostic.code, Code::YamlLimitExceeded, "{diagnostic:?}");
    assert!(started.elapsed().as_secs() < 5);
}

#[test]
fn deeply_nested_flow_collections_are_refused() {
    let n = 16_000;
    let text = format!("notes: {}{}", "{\"\":[".repeat(n), "]}".repeat(n));
    #[derive(Debug, Deserialize)]
    struct Loose {
        #[allow(dead_code)]
        notes: serde::de::IgnoredAny,
    }
    let diagnostic = parse::<Loose>(&file(&text), FileId(0))
        .err()
        .unwrap_or_else(|| panic!("accepted"));
    assert_eq!(diagnostic.code, Code::YamlLimitExceeded, "{diagnostic:?}");
}
