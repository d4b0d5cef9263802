//! Where the command's lines go: stdout (events) and stderr (status, errors), each through
//! [`terminal`], so that nothing a stranger typed reaches the terminal as a command.

use std::io::{self, Write as _};

use kickwire_cli::terminal;
use serde::Serialize;

/// A readable line on stderr. A failure to write there has nowhere to be reported: ignored.
pub fn err(text: &str) {
    let _ = terminal::write_line(&mut io::stderr().lock(), text);
}

/// A readable line on stdout, flushed (events show as they happen).
pub fn out(text: &str) -> io::Result<()> {
    let mut w = io::stdout().lock();
    terminal::write_line(&mut w, text)?;
    w.flush()
}

/// One JSON object on its own line on stdout, flushed.
pub fn out_json(value: &impl Serialize) -> io::Result<()> {
    let mut w = io::stdout().lock();
    terminal::write_json(&mut w, value)?;
    w.flush()
}

/// Several trusted lines (the usage text) on stdout or stderr, each checked like any other.
pub fn text(to_stderr: bool, text: &str) {
    for line in text.lines() {
        if to_stderr {
            err(line);
        } else {
            let _ = out(line);
        }
    }
}
