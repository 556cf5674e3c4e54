//! `docs/diagnostics.md` documents every diagnostic code, once, in the order of `src/diag.rs`,
//! and nothing that is not a code. A new code without a section fails here.

use rmm::diag::Code;

/// The names of the `## `name`` headings, in document order.
fn code_headings(text: &str) -> Vec<&str> {
    text.lines()
        .filter_map(|line| line.strip_prefix("## `"))
        .filter_map(|rest| rest.trim_end().strip_suffix('`'))
        .collect()
}

fn diagnostics_doc() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/diagnostics.md");
    std::fs::read_to_string(path).unwrap_or_else(|error| panic!("cannot read {path}: {error}"))
}

#[test]
fn every_code_has_a_section_and_every_section_names_a_code() {
    let text = diagnostics_doc();
    let headings = code_headings(&text);
    let names: Vec<&str> = Code::ALL.iter().map(|code| code.name()).collect();

    let undocumented: Vec<&str> = names
        .iter()
        .copied()
        .filter(|name| !headings.contains(name))
        .collect();
    assert!(
        undocumented.is_empty(),
        "codes without a `## \\`name\\`` section in docs/diagnostics.md: {undocumented:?}"
    );

    let unknown: Vec<&str> = headings
        .iter()
        .copied()
        .filter(|heading| !names.contains(heading))
        .collect();
    assert!(
        unknown.is_empty(),
        "sections in docs/diagnostics.md for codes rmm does not have: {unknown:?}"
    );

    assert_eq!(
        headings, names,
        "each code has exactly one section, in the order of src/diag.rs"
    );
}

#[test]
fn headings_are_found_only_in_the_exact_form() {
    let text = "## `a-code`\n## Severities\n### `not-a-section`\n## `b-code` \ntext `c`\n";
    assert_eq!(code_headings(text), ["a-code", "b-code"]);
}

#[test]
fn each_code_example_is_what_its_fixture_prints() {
    // The first line a code's CLI fixture prints for that code appears verbatim in the docs,
    // so the examples there cannot drift from the tool.
    let text = diagnostics_doc();
    let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cmd");
    let mut stale = Vec::new();
    for code in Code::ALL {
        let path = format!("{folder}/{}.stderr", code.name());
        let Ok(fixture) = std::fs::read_to_string(&path) else {
            continue;
        };
        let marker = format!("[{}]", code.name());
        let Some(line) = fixture.lines().find(|line| line.contains(&marker)) else {
            continue;
        };
        if !text.contains(line) {
            stale.push(line.to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "docs/diagnostics.md lacks these fixture lines: {stale:#?}"
    );
}
