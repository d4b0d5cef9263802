//! `kickwire`: the command line. `kickwire replay [--json] FILE` decodes a capture (one
//! WebSocket message per line, Pusher or Centrifugo) and prints every Kick event in it.

mod replay;

use std::process::ExitCode;

const USAGE: &str = "\
kickwire: receive Kick.com live events

USAGE:
    kickwire replay [--json] FILE    decode a capture (one WebSocket message per line)
    kickwire --help | --version

replay prints one line per event, or with --json one JSON object per event on stdout.
Bad lines are reported on stderr with their line number and skipped; a summary ends stderr.
Use - as FILE to read standard input.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("replay") => match replay::Options::parse(args.get(1..).unwrap_or_default()) {
            Ok(opts) => replay::run(&opts),
            Err(msg) => usage_error(&msg),
        },
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some("-V" | "--version") => {
            println!("kickwire {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Some(other) => usage_error(&format!("unknown command '{other}'")),
        None => usage_error("no command given"),
    }
}

fn usage_error(msg: &str) -> ExitCode {
    eprintln!("kickwire: {msg}\n\n{USAGE}");
    ExitCode::from(2)
}
