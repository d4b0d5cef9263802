//! The kickwire alert board, simulated on the host: the same board logic
//! (`kickwire_board::Machine` and `kickwire_board::Board`), the same WebSocket link (`kickwire_link`) and the same proto
//! connection as the ESP32-C3 firmware, over a std TCP socket (the link's `blocking` module),
//! with the LED strip drawn in the terminal and optionally saved as PNG frames and JSON lines.
//! See `README.md`.

pub mod options;
pub mod run;

mod output;
mod strip;

use std::process::ExitCode;

pub use options::{Options, Parsed, USAGE, parse};
pub use run::{Summary, run, run_until};

/// The program: parse `args` (without the program name), run, report. Exit codes: 0 done,
/// 1 a run that could not go on, 2 bad arguments.
pub fn main_with(args: impl IntoIterator<Item = String>) -> ExitCode {
    let options = match parse(args) {
        Ok(Parsed::Help) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Ok(Parsed::Run(o)) => o,
        Err(e) => {
            eprintln!("kickwire-alert-sim: {e}");
            return ExitCode::from(2);
        }
    };
    match run(&options) {
        Ok(s) => {
            eprintln!(
                "kickwire-alert-sim: {} frames, {} alerts ({} copies merged), {} connection(s), {} message(s) dropped, {} alert(s) dropped",
                s.frames, s.alerts, s.copies, s.connects, s.dropped_messages, s.dropped_alerts
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("kickwire-alert-sim: {e}");
            ExitCode::FAILURE
        }
    }
}
