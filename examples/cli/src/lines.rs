//! Reading a capture one line at a time, in bounded memory.
//!
//! A capture can be any size and come from a pipe; a single line of it can be anything a file
//! holds. [`read_line`] keeps at most `cap` bytes of a line: a longer one is read through and
//! dropped, and reported by its length, so one bad line costs neither the memory nor the rest
//! of the file.
//!
//! ```
//! use kickwire_cli::lines::{Line, read_line};
//! let mut input = &b"short\nmuch too long\nlast"[..];
//! let mut buf = Vec::new();
//! assert_eq!(read_line(&mut input, &mut buf, 8).unwrap(), Line::Read);
//! assert_eq!(buf, b"short");
//! assert_eq!(read_line(&mut input, &mut buf, 8).unwrap(), Line::TooLong { len: 13 });
//! assert_eq!(read_line(&mut input, &mut buf, 8).unwrap(), Line::Read);
//! assert_eq!(buf, b"last");
//! assert_eq!(read_line(&mut input, &mut buf, 8).unwrap(), Line::End);
//! ```

use std::io::{self, BufRead};

/// The default longest line: 1 MiB, the largest WebSocket message `watch` and `record` accept
/// (Kick's largest real frames are a few KB).
pub const MAX_LINE: usize = 1 << 20;

/// What [`read_line`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Line {
    /// A line (without its `\n`) is in the buffer.
    Read,
    /// A line longer than the cap was read through and dropped; `len` bytes, without its `\n`.
    TooLong {
        /// Its length.
        len: u64,
    },
    /// The input has ended.
    End,
}

/// Reads the next line into `buf` (cleared first, `\n` removed), keeping at most `cap` bytes of
/// it; see the [module docs](self). A last line without `\n` counts as a line.
///
/// # Errors
/// The input's own read errors.
pub fn read_line(input: &mut impl BufRead, buf: &mut Vec<u8>, cap: usize) -> io::Result<Line> {
    buf.clear();
    let mut len: u64 = 0;
    let mut started = false;
    let mut over = false;
    loop {
        let chunk = match input.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            return Ok(match (started, over) {
                (false, _) => Line::End,
                (true, false) => Line::Read,
                (true, true) => Line::TooLong { len },
            });
        }
        started = true;
        let newline = chunk.iter().position(|&b| b == b'\n');
        let part = &chunk[..newline.unwrap_or(chunk.len())];
        len = len.saturating_add(part.len() as u64);
        if !over && buf.len() + part.len() <= cap {
            buf.extend_from_slice(part);
        } else if !over {
            // Over the cap: read through to the end of the line, keeping nothing.
            over = true;
            *buf = Vec::new();
        }
        let used = part.len() + usize::from(newline.is_some());
        input.consume(used);
        if newline.is_some() {
            return Ok(if over {
                Line::TooLong { len }
            } else {
                Line::Read
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(input: &[u8], cap: usize, chunk: usize) -> Vec<(Line, Vec<u8>)> {
        // A small BufReader capacity splits lines across reads, as a pipe does.
        let mut r = io::BufReader::with_capacity(chunk, input);
        let mut buf = Vec::new();
        let mut out = Vec::new();
        loop {
            let l = read_line(&mut r, &mut buf, cap).unwrap();
            if l == Line::End {
                return out;
            }
            out.push((l, buf.clone()));
        }
    }

    #[test]
    fn lines_at_and_past_the_cap() {
        let input = b"1234\n12345\n\n123\r\n123456789\nend";
        for chunk in [1, 2, 3, 7, 64] {
            assert_eq!(
                all(input, 4, chunk),
                [
                    (Line::Read, b"1234".to_vec()),
                    (Line::TooLong { len: 5 }, vec![]),
                    (Line::Read, vec![]),
                    (Line::Read, b"123\r".to_vec()),
                    (Line::TooLong { len: 9 }, vec![]),
                    (Line::Read, b"end".to_vec()),
                ],
                "chunk {chunk}"
            );
        }
    }

    #[test]
    fn a_long_last_line_without_newline_and_an_empty_input() {
        assert_eq!(all(b"abcdef", 3, 2), [(Line::TooLong { len: 6 }, vec![])]);
        assert_eq!(all(b"", 3, 2), []);
        assert_eq!(all(b"\n", 3, 2), [(Line::Read, vec![])]);
    }

    #[test]
    fn a_dropped_line_gives_its_memory_back() {
        let mut r = io::BufReader::with_capacity(2, &b"0123456789\nab\n"[..]);
        let mut buf = Vec::new();
        assert_eq!(
            read_line(&mut r, &mut buf, 4).unwrap(),
            Line::TooLong { len: 10 }
        );
        assert_eq!(buf.capacity(), 0);
        assert_eq!(read_line(&mut r, &mut buf, 4).unwrap(), Line::Read);
        assert_eq!(buf, b"ab");
    }
}
