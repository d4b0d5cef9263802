//! `record`'s capture file: every received WebSocket message, one per line (what `replay`
//! reads), with Kick's secrets redacted unless `--keep-secrets`.
//!
//! Kick's channel objects carry `playback_url`, a signed stream URL, and chat senders'
//! pictures can be presigned cloud-storage URLs: credentials that a capture, shared to report a
//! bug, would hand on. [`kickwire_proto::redact::redact`] takes them out of the text in place;
//! the rest of the message is untouched, so the capture still replays to the same events.

use std::fs::File;
use std::io::{self, BufWriter, Write};

use kickwire_proto::redact::redact;

/// An open capture file.
pub struct Capture {
    file: BufWriter<File>,
    keep_secrets: bool,
    /// The message being redacted (reused: no allocation per message).
    line: Vec<u8>,
}

impl Capture {
    /// Writes to `file`; `keep_secrets` saves messages verbatim.
    pub fn new(file: File, keep_secrets: bool) -> Self {
        Self {
            file: BufWriter::new(file),
            keep_secrets,
            line: Vec::new(),
        }
    }

    /// Appends one received message as one line, flushed (a capture cut short by a crash
    /// still replays).
    pub fn write(&mut self, message: &[u8]) -> io::Result<()> {
        let end = message
            .iter()
            .rposition(|b| !matches!(b, b'\r' | b'\n'))
            .map_or(0, |i| i + 1);
        let text = message.get(..end).unwrap_or_default();
        if self.keep_secrets {
            self.file.write_all(text)?;
        } else {
            self.line.clear();
            self.line.extend_from_slice(text);
            let len = redact(&mut self.line).len;
            self.file.write_all(self.line.get(..len).unwrap_or(&[]))?;
        }
        self.file.write_all(b"\n")?;
        self.file.flush()
    }
}
