//! The example organization's HTML report rendered by headless Chromium (Debian's `chromium`,
//! which `.ci/run` installs): the page's key content is present after a real browser parsed it,
//! and a screenshot is saved to `target/report-screenshot.png`.
//!
//! Without Chromium the test is skipped with a message, except under CI (`CI` set), where a
//! missing browser is a failure.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::{code, rmm_in, stderr};

fn chromium() -> Option<PathBuf> {
    [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|path| path.exists())
}

fn headless(browser: &Path, profile: &Path) -> Command {
    let mut command = Command::new(browser);
    command.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
    ]);
    command.arg(format!("--user-data-dir={}", profile.display()));
    command
}

#[test]
fn the_html_report_renders_in_chromium() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have Chromium: .ci/run installs it"
        );
        eprintln!("skipped: no Chromium on this machine (apt-get install chromium)");
        return;
    };
    let scratch = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let page = scratch.path().join("report.html");
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/tidewater-bank");
    let page_arg = page.to_string_lossy().into_owned();
    let output = rmm_in(
        &example,
        &["report", "--format", "html", "--out", &page_arg],
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let url = format!("file://{}", page.display());

    let dom = headless(&browser, &scratch.path().join("profile-dom"))
        .args(["--dump-dom", &url])
        .output()
        .unwrap_or_else(|e| panic!("run chromium: {e}"));
    let dom = String::from_utf8_lossy(&dom.stdout).into_owned();
    let document = scraper::Html::parse_document(&dom);
    let count = |selector: &str| {
        let selector = scraper::Selector::parse(selector).unwrap_or_else(|e| panic!("{e:?}"));
        document.select(&selector).count()
    };
    assert_eq!(count("tr.area-row"), 26, "the process area table");
    assert_eq!(
        count("svg#level-chart g.chart-row"),
        26,
        "one chart row per process area"
    );
    assert_eq!(
        count("svg#level-chart rect"),
        26,
        "one bar per evaluated process area"
    );
    assert_eq!(count("table.heat tbody tr"), 26, "the heat map");
    assert_eq!(count("h3.gap"), 10, "the gap list");
    assert_eq!(count("script"), 0);
    assert!(dom.contains("Tidewater Community Bank"));

    let screenshot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-screenshot.png");
    let shot = headless(&browser, &scratch.path().join("profile-shot"))
        .args(["--window-size=1280,2200"])
        .arg(format!("--screenshot={}", screenshot.display()))
        .arg(&url)
        .output()
        .unwrap_or_else(|e| panic!("run chromium: {e}"));
    assert!(
        shot.status.success(),
        "{}",
        String::from_utf8_lossy(&shot.stderr)
    );
    let bytes = std::fs::read(&screenshot).unwrap_or_default();
    assert!(
        bytes.starts_with(b"\x89PNG") && bytes.len() > 20_000,
        "screenshot {}",
        screenshot.display()
    );
}
