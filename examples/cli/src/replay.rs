//! `kickwire replay`: decode a recorded capture and print its events.
//!
//! The capture is streamed: one line in memory at a time, at most `--max-line` bytes of it (a
//! longer line is reported and skipped), so a capture of any size, or a pipe that never ends,
//! replays in bounded memory. Output is flushed whenever the input has nothing more ready, so
//! `record ... | replay -` style pipelines print as events come.
//!
//! With `--alerts`, the events go through the alert machine and one line per happening is
//! printed ([`kickwire_cli::alerts`]). A capture holds no times (`record` writes the messages
//! alone), so every event is fed at one fixed instant: Kick's copies are merged however far
//! apart they are in the file, and a gift missing a chunk is printed at the end of the file
//! with the chunks that came ([`Alerts::finish`](kickwire_proto::alerts::Alerts::finish)).

use std::io::{self, BufReader, BufWriter, Read, Write};
use std::process::ExitCode;

use kickwire_proto::conn::Instant;
use kickwire_proto::{Message, decode, limits};

use kickwire_cli::alerts::Feed;
use kickwire_cli::describe;
use kickwire_cli::lines::{self, Line, MAX_LINE};
use kickwire_cli::terminal;

use crate::print;

/// Parsed `replay` arguments.
#[derive(Debug, PartialEq, Eq)]
pub struct Options {
    /// One JSON object per event instead of readable lines.
    pub json: bool,
    /// One line (or object) per alert instead of per event (`--alerts`).
    pub alerts: bool,
    /// The capture to read (`-` for stdin).
    pub file: String,
    /// The longest line kept, in bytes (`--max-line`).
    pub max_line: usize,
}

impl Options {
    /// Parses the arguments after `replay`.
    pub fn parse(args: &[String]) -> Result<Self, String> {
        let mut json = false;
        let mut alerts = false;
        let mut file = None;
        let mut max_line = MAX_LINE;
        let mut it = args.iter();
        while let Some(arg) = it.next() {
            match arg.as_str() {
                "--json" => json = true,
                "--alerts" => alerts = true,
                "--max-line" => {
                    let v = it.next().ok_or("replay: --max-line needs a value")?;
                    max_line = match v.parse() {
                        Ok(n) if n > 0 => n,
                        _ => {
                            return Err(format!("replay: --max-line wants bytes (> 0), not '{v}'"));
                        }
                    };
                }
                "-" => file = Some(arg.clone()),
                a if a.starts_with('-') => return Err(format!("replay: unknown option '{a}'")),
                _ if file.is_some() => return Err("replay: only one FILE may be given".into()),
                _ => file = Some(arg.clone()),
            }
        }
        let file = file.ok_or("replay: missing FILE (a capture with one message per line)")?;
        Ok(Self {
            json,
            alerts,
            file,
            max_line,
        })
    }
}

/// Counts for the closing summary.
#[derive(Debug, Default)]
struct Summary {
    messages: u64,
    events: u64,
    control: u64,
    errors: u64,
    /// Alerts printed (`--alerts`).
    alerts: u64,
}

fn open_input(file: &str) -> io::Result<Box<dyn Read>> {
    if file == "-" {
        Ok(Box::new(io::stdin().lock()))
    } else {
        Ok(Box::new(std::fs::File::open(file)?))
    }
}

/// Runs `replay`; exit code 0 when the file was read, whatever its lines held.
pub fn run(opts: &Options) -> ExitCode {
    let input = match open_input(&opts.file) {
        Ok(r) => BufReader::with_capacity(64 * 1024, r),
        Err(e) => {
            print::err(&format!("kickwire: cannot read {}: {e}", opts.file));
            return ExitCode::from(1);
        }
    };
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut summary = Summary::default();
    match replay(input, opts, &mut out, &mut summary).and_then(|()| out.flush()) {
        Ok(()) => {}
        // The reader went away (`| head`): stop quietly, like other Unix tools.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return ExitCode::SUCCESS,
        Err(e) => {
            print::err(&format!("kickwire: {e}"));
            return ExitCode::from(1);
        }
    }
    let alerts = if opts.alerts {
        format!(", {} alerts", summary.alerts)
    } else {
        String::new()
    };
    print::err(&format!(
        "replayed {}: {} messages, {} events, {} protocol messages, {} errors{alerts}",
        opts.file, summary.messages, summary.events, summary.control, summary.errors
    ));
    ExitCode::SUCCESS
}

/// Tells a failed read (reported as such) from a failed write.
fn reading(file: &str) -> impl Fn(io::Error) -> io::Error + '_ {
    move |e| io::Error::new(e.kind(), format!("cannot read {file}: {e}"))
}

fn replay(
    mut input: BufReader<impl Read>,
    opts: &Options,
    out: &mut impl Write,
    summary: &mut Summary,
) -> io::Result<()> {
    let mut line = Vec::new();
    let mut scratch = vec![0u8; limits::MAX_PAYLOAD];
    let mut number: u64 = 0;
    let mut print = Print {
        json: opts.json,
        alerts: opts.alerts.then(|| Feed::new(opts.json)),
    };
    let done = loop {
        if input.buffer().is_empty() {
            // The next read may wait (a pipe): show what has been decoded so far.
            out.flush()?;
        }
        let read = lines::read_line(&mut input, &mut line, opts.max_line);
        number += 1;
        match read.map_err(reading(&opts.file))? {
            Line::End => break Ok(()),
            Line::TooLong { len } => {
                summary.errors += 1;
                print::err(&format!(
                    "line {number}: {len} bytes, longer than --max-line {}: skipped",
                    opts.max_line
                ));
            }
            Line::Read => decode_line(&line, number, &mut print, &mut scratch, out, summary)?,
        }
    };
    if let Some(feed) = print.alerts.as_mut() {
        feed.finish(AT, out)?;
        summary.alerts = feed.told;
    }
    done
}

/// The instant every event of a capture is fed at: a capture holds no times.
const AT: Instant = Instant::from_millis(0);

/// How the events are printed: each one, or (`--alerts`) the alerts they make.
struct Print {
    json: bool,
    alerts: Option<Feed>,
}

fn decode_line(
    line: &[u8],
    number: u64,
    print: &mut Print,
    scratch: &mut Vec<u8>,
    out: &mut impl Write,
    summary: &mut Summary,
) -> io::Result<()> {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    if line.iter().all(u8::is_ascii_whitespace) {
        return Ok(());
    }
    if scratch.len() < line.len() {
        scratch.resize(line.len(), 0);
    }
    for message in decode(line, scratch) {
        summary.messages += 1;
        match message {
            Ok(Message::Kick { channel, event, .. }) => {
                summary.events += 1;
                if let Some(feed) = print.alerts.as_mut() {
                    feed.event(AT, &event, false, out)?;
                } else if print.json {
                    terminal::write_json(out, &describe::json_value(&channel, &event))?;
                } else {
                    terminal::write_line(out, &describe::line(&channel, &event))?;
                }
            }
            Ok(Message::Control { .. }) => summary.control += 1,
            Err(e) => {
                summary.errors += 1;
                print::err(&format!("line {number}: {e}"));
            }
        }
    }
    Ok(())
}
