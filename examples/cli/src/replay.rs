//! `kickwire replay`: decode a recorded capture and print its events.

use std::io::{self, BufWriter, Read, Write};
use std::process::ExitCode;

use kickwire_proto::{Message, decode, limits};

use kickwire_cli::describe;

/// Parsed `replay` arguments.
#[derive(Debug, PartialEq, Eq)]
pub struct Options {
    /// One JSON object per event instead of readable lines.
    pub json: bool,
    /// The capture to read (`-` for stdin).
    pub file: String,
}

impl Options {
    /// Parses the arguments after `replay`.
    pub fn parse(args: &[String]) -> Result<Self, String> {
        let mut json = false;
        let mut file = None;
        for arg in args {
            match arg.as_str() {
                "--json" => json = true,
                "-" => file = Some(arg.clone()),
                a if a.starts_with('-') => return Err(format!("replay: unknown option '{a}'")),
                _ if file.is_some() => return Err("replay: only one FILE may be given".into()),
                _ => file = Some(arg.clone()),
            }
        }
        let file = file.ok_or("replay: missing FILE (a capture with one message per line)")?;
        Ok(Self { json, file })
    }
}

/// Counts for the closing summary.
#[derive(Debug, Default)]
struct Summary {
    messages: u64,
    events: u64,
    control: u64,
    errors: u64,
}

fn read_input(file: &str) -> io::Result<Vec<u8>> {
    if file == "-" {
        let mut buf = Vec::new();
        io::stdin().read_to_end(&mut buf)?;
        Ok(buf)
    } else {
        std::fs::read(file)
    }
}

/// Runs `replay`; exit code 0 when the file was read, whatever its lines held.
pub fn run(opts: &Options) -> ExitCode {
    let input = match read_input(&opts.file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("kickwire: cannot read {}: {e}", opts.file);
            return ExitCode::from(1);
        }
    };
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut summary = Summary::default();
    match replay(&input, opts.json, &mut out, &mut summary).and_then(|()| out.flush()) {
        Ok(()) => {}
        // The reader went away (`| head`): stop quietly, like other Unix tools.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kickwire: cannot write output: {e}");
            return ExitCode::from(1);
        }
    }
    eprintln!(
        "replayed {}: {} messages, {} events, {} protocol messages, {} errors",
        opts.file, summary.messages, summary.events, summary.control, summary.errors
    );
    ExitCode::SUCCESS
}

fn replay(input: &[u8], json: bool, out: &mut impl Write, summary: &mut Summary) -> io::Result<()> {
    let mut scratch = vec![0u8; limits::MAX_PAYLOAD];
    for (index, line) in input.split(|&b| b == b'\n').enumerate() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let number = index + 1;
        if scratch.len() < line.len() {
            scratch.resize(line.len(), 0);
        }
        for message in decode(line, &mut scratch) {
            summary.messages += 1;
            match message {
                Ok(Message::Kick { channel, event, .. }) => {
                    summary.events += 1;
                    if json {
                        writeln!(out, "{}", describe::json(&channel, &event))?;
                    } else {
                        writeln!(out, "{}", describe::line(&channel, &event))?;
                    }
                }
                Ok(Message::Control { .. }) => summary.control += 1,
                Err(e) => {
                    summary.errors += 1;
                    eprintln!("line {number}: {e}");
                }
            }
        }
    }
    Ok(())
}
