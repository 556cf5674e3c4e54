use super::*;
use crate::source::{FileId, Span};

fn cert_rmm() -> Framework {
    let (catalog, _, diagnostics) = bundled();
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    catalog
        .get(DEFAULT_FRAMEWORK)
        .cloned()
        .unwrap_or_else(|| panic!("bundled framework missing"))
}

#[test]
fn bundled_catalog_has_the_reference_counts() {
    let framework = cert_rmm();
    let specific_goals = framework
        .process_areas
        .iter()
        .flat_map(|area| &area.goals)
        .filter(|goal| goal.kind == GoalKind::Specific)
        .count();
    let specific_practices = framework
        .practices
        .iter()
        .filter(|p| p.id.contains(":SG"))
        .count();
    let generic_practices = framework
        .practices
        .iter()
        .filter(|p| p.id.contains(":GG"))
        .count();
    assert_eq!(framework.process_areas.len(), 26);
    assert_eq!(specific_goals, 93);
    assert_eq!(specific_practices, 248);
    assert_eq!(generic_practices, 26 * 13);
    assert_eq!(framework.categories.len(), 4);
}

#[test]
fn per_area_counts_match_the_reference() {
    let framework = cert_rmm();
    // From the counts table of CERT-RMM v1.2: (area, specific goals, specific practices).
    let expected = [
        ("ADM", 3, 7),
        ("AM", 1, 4),
        ("COMM", 3, 8),
        ("COMP", 4, 10),
        ("CTRL", 4, 4),
        ("EC", 4, 11),
        ("EF", 4, 11),
        ("EXD", 4, 10),
        ("FRM", 5, 11),
        ("HRM", 4, 12),
        ("ID", 2, 7),
        ("IMC", 5, 14),
        ("KIM", 6, 14),
        ("MA", 2, 8),
        ("MON", 2, 8),
        ("OPD", 1, 6),
        ("OPF", 3, 9),
        ("OTA", 4, 12),
        ("PM", 3, 8),
        ("RISK", 6, 13),
        ("RRD", 3, 6),
        ("RRM", 1, 5),
        ("RTSE", 3, 9),
        ("SC", 7, 20),
        ("TM", 5, 14),
        ("VAR", 4, 7),
    ];
    for (id, goals, practices) in expected {
        let area = &framework.process_areas[framework.area(id).unwrap_or(usize::MAX)];
        let specific: Vec<&Goal> = area
            .goals
            .iter()
            .filter(|g| g.kind == GoalKind::Specific)
            .collect();
        assert_eq!(specific.len(), goals, "{id}");
        assert_eq!(
            specific.iter().map(|g| g.practices.len()).sum::<usize>(),
            practices,
            "{id}"
        );
    }
}

#[test]
fn generic_practices_are_instantiated_per_area_with_their_levels() {
    let framework = cert_rmm();
    let gp4 = &framework.practices[framework.practice("ADM:GG2.GP4").unwrap_or(usize::MAX)];
    assert_eq!(gp4.title, "Assign Responsibility");
    assert_eq!(framework.levels[gp4.level].id, "CL2");
    let gp1 = &framework.practices[framework.practice("VAR:GG1.GP1").unwrap_or(usize::MAX)];
    assert!(gp1.derived);
    let sp = &framework.practices[framework.practice("AM:SG1.SP3").unwrap_or(usize::MAX)];
    assert_eq!(framework.levels[sp.level].id, "CL1");
    assert_eq!(
        framework
            .practice("ADM:GG2.GP10")
            .map(|p| framework.practices[p].level),
        Some(2)
    );
    assert_eq!(
        framework
            .practice("ADM:GG3.GP2")
            .map(|p| framework.practices[p].level),
        Some(3)
    );
}

#[test]
fn levels_are_the_four_cert_rmm_levels() {
    let framework = cert_rmm();
    let names: Vec<String> = framework
        .levels
        .iter()
        .map(|l| format!("{} {}", l.id, l.name))
        .collect();
    assert_eq!(
        names,
        [
            "CL0 Incomplete",
            "CL1 Performed",
            "CL2 Managed",
            "CL3 Defined"
        ]
    );
}

#[test]
fn overlays_add_text_and_report_unknown_ids() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::create_dir_all(dir.path().join("frameworks")).unwrap_or_default();
    std::fs::write(
        dir.path().join("frameworks/overlay.yaml"),
        "overlay_of: cert-rmm-1.2\ntexts:\n  \"AM:SG1.SP1\": Licensed text.\n  \"AM:SG1\": Goal text.\n  \"AM:SG1.SP9\": x\n",
    )
    .unwrap_or_default();
    let (catalog, sources, diagnostics) =
        with_repository(Some(dir.path())).unwrap_or_else(|e| panic!("{e}"));
    let framework = catalog
        .get(DEFAULT_FRAMEWORK)
        .unwrap_or_else(|| panic!("missing"));
    let practice = framework.practice("AM:SG1.SP1").unwrap_or(usize::MAX);
    assert_eq!(
        framework.practices[practice].text.as_deref(),
        Some("Licensed text.")
    );
    let (area, goal) = framework.goal("AM:SG1").unwrap_or_default();
    assert_eq!(
        framework.process_areas[area].goals[goal].text.as_deref(),
        Some("Goal text.")
    );
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0].code, crate::diag::Code::UnknownPractice);
    let span = diagnostics[0].span.unwrap_or(Span::file_start(FileId(0)));
    assert_eq!(sources.location(span), "frameworks/overlay.yaml:5:3");
}

#[test]
fn a_framework_with_a_level_defined_twice_or_a_goal_in_two_levels_is_refused() {
    let text = "id: x\nname: X\ncategories: [{id: c, name: C}]\nlevels:\n  - {id: L0, name: None, goals: []}\n  - {id: L1, name: One, goals: [G1]}\n  - {id: L1, name: Again, goals: [G1]}\ngeneric_goals:\n  - id: G1\n    title: G\n    practices: [{id: P1, title: P}]\nprocess_areas: []\n";
    let mut sources = SourceMap::default();
    let id = sources.add(SourceFile::new("frameworks/x.yaml".into(), text.into()));
    let raw = crate::yaml::parse::<RawFrameworkFile>(sources.get(id), id)
        .unwrap_or_else(|d| panic!("{d:?}"));
    let mut diagnostics = Vec::new();
    let catalog = Catalog::build(vec![(id, raw)], &sources, &mut diagnostics);
    assert!(catalog.get("x").is_none());
    let messages: Vec<&str> = diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert!(
        messages.contains(&"level L1 is defined twice"),
        "{messages:?}"
    );
    assert!(
        messages.contains(&"generic goal \"G1\" belongs to two levels"),
        "{messages:?}"
    );
}
