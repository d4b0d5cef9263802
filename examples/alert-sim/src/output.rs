//! Where frames go: the terminal (truecolor blocks on one status line), JSON lines, PNG files.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

use kickwire_board::Rgb;
use kickwire_proto::write::escape_json;

/// Pixels per LED side in the PNG frames.
const PNG_SCALE: usize = 16;

/// The terminal line: every LED as a coloured block, then the status text. On a terminal the
/// line is redrawn in place; otherwise (a pipe, a log) one line is printed per second.
pub struct Terminal {
    tty: bool,
    last_line_ms: Option<u64>,
}

impl Terminal {
    pub fn new() -> Self {
        Self {
            tty: io::stdout().is_terminal(),
            last_line_ms: None,
        }
    }

    pub fn draw(&mut self, now_ms: u64, leds: &[Rgb], status: &str) {
        if !self.tty {
            if self.last_line_ms.is_some_and(|t| now_ms < t + 1000) {
                return;
            }
            self.last_line_ms = Some(now_ms);
        }
        let mut line = String::with_capacity(leds.len() * 24 + status.len() + 16);
        line.push_str(if self.tty { "\r" } else { "" });
        for c in leds {
            if *c == Rgb::BLACK {
                // An LED that is off: a dim dot, so the strip's length stays visible.
                line.push_str("\x1b[38;2;60;60;60m\u{00b7}");
            } else {
                // ESC[38;2;R;G;Bm: 24-bit foreground colour; U+2588 is a full block.
                line.push_str(&format!("\x1b[38;2;{};{};{}m\u{2588}", c.r, c.g, c.b));
            }
        }
        line.push_str("\x1b[0m ");
        line.push_str(status);
        line.push_str(if self.tty { "\x1b[K" } else { "\n" });
        let mut out = io::stdout().lock();
        let _ = out.write_all(line.as_bytes());
        let _ = out.flush();
    }

    /// Ends the status line (so the shell prompt starts on a fresh one).
    pub fn finish(&self) {
        if self.tty {
            println!();
        }
    }
}

/// `#rrggbb`.
pub fn hex(c: Rgb) -> String {
    format!("#{:02x}{:02x}{:02x}", c.r, c.g, c.b)
}

/// JSON string contents: quotes, backslashes and control characters escaped (proto's one
/// escaper).
fn json_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_json(s, |piece| out.push_str(piece));
    out
}

/// `--frames FILE`: one JSON object per line, flushed as written (a test reads it live).
///
/// `{"type":"frame","t_ms":1234,"state":"connected","subscribed":3,"leds":["#000000",...]}`
/// and `{"type":"event","t_ms":1200,"text":"subscribed to chatrooms.1.v2"}`.
pub struct Frames {
    out: BufWriter<File>,
}

impl Frames {
    pub fn create(path: &Path) -> io::Result<Self> {
        Ok(Self {
            out: BufWriter::new(File::create(path)?),
        })
    }

    pub fn frame(
        &mut self,
        t_ms: u64,
        state: &str,
        subscribed: usize,
        leds: &[Rgb],
    ) -> io::Result<()> {
        let leds: Vec<String> = leds.iter().map(|c| format!("\"{}\"", hex(*c))).collect();
        writeln!(
            self.out,
            r#"{{"type":"frame","t_ms":{t_ms},"state":"{state}","subscribed":{subscribed},"leds":[{}]}}"#,
            leds.join(",")
        )?;
        self.out.flush()
    }

    pub fn event(&mut self, t_ms: u64, text: &str) -> io::Result<()> {
        writeln!(
            self.out,
            r#"{{"type":"event","t_ms":{t_ms},"text":"{}"}}"#,
            json_str(text)
        )?;
        self.out.flush()
    }
}

/// `--png DIR`: every frame as `DIR/frame-NNNNNN.png`, each LED a square.
pub struct Pngs {
    dir: PathBuf,
    next: u64,
}

impl Pngs {
    pub fn create(dir: &Path) -> io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        Ok(Self {
            dir: dir.to_path_buf(),
            next: 0,
        })
    }

    pub fn frame(&mut self, leds: &[Rgb]) -> io::Result<()> {
        let path = self.dir.join(format!("frame-{:06}.png", self.next));
        self.next += 1;
        let width = leds.len() * PNG_SCALE;
        let mut row = Vec::with_capacity(width * 3);
        for c in leds {
            for _ in 0..PNG_SCALE {
                row.extend_from_slice(&[c.r, c.g, c.b]);
            }
        }
        let mut data = Vec::with_capacity(row.len() * PNG_SCALE);
        for _ in 0..PNG_SCALE {
            data.extend_from_slice(&row);
        }
        let file = BufWriter::new(File::create(&path)?);
        let size = |n: usize| u32::try_from(n).map_err(io::Error::other);
        let mut encoder = png::Encoder::new(file, size(width)?, size(PNG_SCALE)?);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().map_err(io::Error::other)?;
        writer.write_image_data(&data).map_err(io::Error::other)?;
        writer.finish().map_err(io::Error::other)
    }
}
