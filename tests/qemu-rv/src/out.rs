//! The output lines, in the format the host test (tests/tests/qemu_rv.rs) parses: tab-separated
//! fields, `key=value` facts, values written as JSON-like literals (`null`, `true`, `123`,
//! `"text"`, `["a","b"]`) with one escaping rule shared by both sides, proto's JSON string
//! escaper (`kickwire_proto::write::escape_json`): `\` `"` newline, CR and tab are
//! backslash-escaped, other control characters below U+0020 are `\u00XX`, everything else (all
//! of UTF-8) is written as is.

use core::fmt::Write as _;

/// A line longer than this is reported as cut (and then fails on the host): the longest real
/// one is a chat message of 2000 bytes.
const LINE: usize = 8192;

/// One output line, built in memory and printed in one semihosting call.
pub struct Line {
    buf: heapless::String<LINE>,
    cut: bool,
}

impl Line {
    /// A line starting with `tag` (`EVENT`, `CONTROL`, `BAD`, `MEMORY`, ...).
    pub fn new(tag: &str) -> Self {
        let mut l = Self {
            buf: heapless::String::new(),
            cut: false,
        };
        l.raw(tag);
        l
    }

    fn raw(&mut self, s: &str) {
        if self.buf.push_str(s).is_err() {
            self.cut = true;
        }
    }

    /// A tab, then `s` as is.
    pub fn col(&mut self, s: &str) -> &mut Self {
        self.raw("\t");
        self.raw(s);
        self
    }

    /// A tab, then anything `Display`.
    pub fn col_fmt(&mut self, args: core::fmt::Arguments<'_>) -> &mut Self {
        self.raw("\t");
        if self.buf.write_fmt(args).is_err() {
            self.cut = true;
        }
        self
    }

    fn key(&mut self, key: &str) {
        self.raw("\t");
        self.raw(key);
        self.raw("=");
    }

    fn quoted(&mut self, s: &str) {
        self.raw("\"");
        kickwire_proto::write::escape_json(s, |piece| self.raw(piece));
        self.raw("\"");
    }

    fn number(&mut self, n: impl core::fmt::Display) {
        if write!(self.buf, "{n}").is_err() {
            self.cut = true;
        }
    }

    /// `key="text"`.
    pub fn str(&mut self, key: &str, v: &str) -> &mut Self {
        self.key(key);
        self.quoted(v);
        self
    }

    /// `key="text"` or `key=null`.
    pub fn opt_str(&mut self, key: &str, v: Option<&str>) -> &mut Self {
        match v {
            Some(s) => self.str(key, s),
            None => self.null(key),
        }
    }

    /// `key=123` (u64 printed by core::fmt on a 32-bit core: a library call, not a register).
    pub fn u64(&mut self, key: &str, v: u64) -> &mut Self {
        self.key(key);
        self.number(v);
        self
    }

    /// `key=123` or `key=null`.
    pub fn opt_u64(&mut self, key: &str, v: Option<u64>) -> &mut Self {
        match v {
            Some(n) => self.u64(key, n),
            None => self.null(key),
        }
    }

    /// `key=-123`.
    pub fn i64(&mut self, key: &str, v: i64) -> &mut Self {
        self.key(key);
        self.number(v);
        self
    }

    /// A timestamp as unix milliseconds, or `null`.
    pub fn time(&mut self, key: &str, v: Option<kickwire_proto::Timestamp>) -> &mut Self {
        match v {
            Some(t) => self.i64(key, t.unix_millis()),
            None => self.null(key),
        }
    }

    /// `key=true`.
    pub fn bool(&mut self, key: &str, v: bool) -> &mut Self {
        self.key(key);
        self.raw(if v { "true" } else { "false" });
        self
    }

    /// `key=true` or `key=null`.
    pub fn opt_bool(&mut self, key: &str, v: Option<bool>) -> &mut Self {
        match v {
            Some(b) => self.bool(key, b),
            None => self.null(key),
        }
    }

    /// `key=null`.
    pub fn null(&mut self, key: &str) -> &mut Self {
        self.key(key);
        self.raw("null");
        self
    }

    /// `key=["a","b"]`.
    pub fn strs<'a>(&mut self, key: &str, v: impl IntoIterator<Item = &'a str>) -> &mut Self {
        self.key(key);
        self.raw("[");
        for (i, s) in v.into_iter().enumerate() {
            if i > 0 {
                self.raw(",");
            }
            self.quoted(s);
        }
        self.raw("]");
        self
    }

    /// `key=[1,2]`.
    pub fn u64s(&mut self, key: &str, v: impl IntoIterator<Item = u64>) -> &mut Self {
        self.key(key);
        self.raw("[");
        for (i, n) in v.into_iter().enumerate() {
            if i > 0 {
                self.raw(",");
            }
            self.number(n);
        }
        self.raw("]");
        self
    }

    /// `key.#=N`: the length of a list (the host counts the expected array).
    pub fn len(&mut self, key: &str, n: usize) -> &mut Self {
        self.raw("\t");
        self.raw(key);
        self.raw(".#=");
        self.number(n);
        self
    }

    /// The line so far.
    pub fn as_str(&self) -> &str {
        self.buf.as_str()
    }

    /// Prints the line (with a `CUT` column if it did not fit: the host then fails).
    pub fn print(&mut self) {
        if self.cut {
            semihosting::println!("{}\tCUT", self.buf.as_str());
        } else {
            semihosting::println!("{}", self.buf.as_str());
        }
    }
}
