//! CLI cases as data: each `tests/cmd/NAME.toml` runs `rmm` in `NAME.in/` and pins the exit code,
//! standard output (`NAME.stdout`) and standard error (`NAME.stderr`).
//! Regenerate expectations with `TRYCMD=overwrite cargo test --test cli`, then review the diff.

#[test]
fn cli_cases() {
    trycmd::TestCases::new()
        .env("NO_COLOR", "1")
        .case("tests/cmd/*.toml");
}
