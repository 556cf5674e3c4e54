//! The `rmm` binary: parses the command line, runs one command, prints, and exits with a
//! documented code. Only this file and `cli/` talk to the terminal.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let arguments = cli::Cli::parse();
    match cli::run(arguments) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("rmm: error: {error:#}");
            ExitCode::from(cli::EXIT_COULD_NOT_RUN)
        }
    }
}
