//! Colour only on a terminal, and never when NO_COLOR is set.

use std::io::IsTerminal;

use codespan_reporting::term::termcolor::ColorChoice;

use super::ColorWhen;

pub fn color_choice(when: ColorWhen) -> ColorChoice {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
    match when {
        ColorWhen::Always => ColorChoice::Always,
        ColorWhen::Never => ColorChoice::Never,
        ColorWhen::Auto if no_color || !std::io::stderr().is_terminal() => ColorChoice::Never,
        ColorWhen::Auto => ColorChoice::Auto,
    }
}
