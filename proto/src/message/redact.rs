//! Secrets in Kick's payloads, taken out before text leaves kickwire.
//!
//! Kick's channel objects carry `playback_url`, a signed stream URL (a credential: whoever holds
//! it can play the stream as the channel's viewer session), and chat senders' pictures come as
//! presigned cloud-storage URLs (`X-Amz-Credential`, `X-Amz-Signature`). The typed decoder never
//! keeps either; this module is for the paths that pass Kick's JSON on as text: a recorded
//! capture, a browser's raw payload.
//!
//! [`redact`] rewrites a JSON text in place:
//! - the string value of a secret key ([`SECRET_KEYS`]) becomes [`REDACTED`] (or `""` when the
//!   value was shorter than that: the text never grows);
//! - a string value that is a whole `http(s)://` URL whose query names a signature parameter
//!   ([`SIGNED_QUERY`], any case) loses its query, so the address stays and the credential goes.
//!
//! It reads through Kick's double encoding: a string whose content is itself JSON (a Pusher
//! frame's `data`, a Centrifugo publication's `data`) is redacted inside, escapes and all. So the
//! same call serves a whole WebSocket message (several JSON texts, one per line) and an
//! unescaped payload. Only that one level of nesting is searched for keys: the strings inside it
//! (a chat message's text) are values, never structure, so text typed by a viewer cannot make
//! kickwire cut anything but a signed URL.
//!
//! ```
//! use kickwire_proto::redact::redact;
//! // A real frame's shape (ChatMoveToSupportedChannelEvent), shortened.
//! let mut frame = br#"{"event":"App\\Events\\X","data":"{\"slug\":\"a\",\"playback_url\":\"https:\\/\\/x.live-video.net\\/v1\\/ch.m3u8\"}","channel":"c"}"#.to_vec();
//! let r = redact(&mut frame);
//! frame.truncate(r.len);
//! assert_eq!(r.count, 1);
//! assert_eq!(
//!     frame,
//!     br#"{"event":"App\\Events\\X","data":"{\"slug\":\"a\",\"playback_url\":\"[redacted]\"}","channel":"c"}"#
//! );
//! ```
//!
//! Work is linear in the text's length (each byte is moved at most once) and needs no memory
//! but the text itself. Malformed JSON is not an error: what can be read is redacted, the rest is
//! left as it is.

/// What a redacted secret value becomes.
pub const REDACTED: &str = "[redacted]";

/// Keys whose string value is a secret as a whole. `playback_url`: Kick's signed stream URL, in
/// every channel object (vectors `ChatMoveToSupportedChannelEvent`, `GiftsLeaderboardUpdated`,
/// `LuckyUsersWhoGotGiftSubscriptionsEvent`).
pub const SECRET_KEYS: &[&str] = &["playback_url"];

/// Query parameters (compared without regard to case) that make a URL signed: AWS SigV4
/// presigned URLs (`profile_pic` in the `ChatMessageSentEvent` vector) and CloudFront signed
/// URLs. Such a URL keeps its scheme, host and path and loses its whole query.
pub const SIGNED_QUERY: &[&str] = &[
    "x-amz-signature",
    "x-amz-credential",
    "x-amz-security-token",
    "signature",
    "key-pair-id",
    "policy",
];

/// What [`redact`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Redacted {
    /// The text's new length: the redacted text is `text[..len]`.
    pub len: usize,
    /// Secrets removed (secret values replaced plus signed queries cut).
    pub count: usize,
}

/// Removes the secrets from `text` (a JSON text, several separated by newlines, or a whole
/// WebSocket message), in place; the result is `text[..len]`. See the [module docs](self).
pub fn redact(text: &mut [u8]) -> Redacted {
    let len = text.len();
    if !might_hold_secret(text) {
        return Redacted { len, count: 0 };
    }
    redact_all(text)
}

/// [`redact`] without the quick look of [`might_hold_secret`] (tests compare the two).
fn redact_all(text: &mut [u8]) -> Redacted {
    let len = text.len();
    let mut r = Rewriter {
        text,
        written: 0,
        moved: 0,
        count: 0,
    };
    scan(&mut r, 0, len, 0);
    let len = r.finish(len);
    Redacted {
        len,
        count: r.count,
    }
}

/// Whether `text` can hold a secret at all, in one quick pass: most messages hold none, and
/// the full scan reads every byte through two levels of escapes. A secret needs one of the
/// names in [`SECRET_KEYS`] or [`SIGNED_QUERY`], and JSON can only hide a letter, `_` or `-` of
/// one behind a `\u00XX` escape of an ASCII character (at any depth, the text holds `\u00`
/// then a digit from 2 to 7). Kick escapes non-ASCII characters only, so the full scan runs
/// for texts that name a secret, not for every chat message in Arabic.
fn might_hold_secret(text: &[u8]) -> bool {
    for (i, &b) in text.iter().enumerate() {
        // One look-up per byte: most bytes start nothing.
        if !STARTS.get(usize::from(b)).copied().unwrap_or(false) {
            continue;
        }
        let rest = text.get(i..).unwrap_or(&[]);
        let hit = if b == b'\\' {
            rest.get(1..5)
                .is_some_and(|e| e.starts_with(b"u00") && matches!(e.get(3), Some(b'2'..=b'7')))
        } else {
            SECRET_KEYS.iter().chain(SIGNED_QUERY).any(|n| {
                rest.get(..n.len())
                    .is_some_and(|w| w.eq_ignore_ascii_case(n.as_bytes()))
            })
        };
        if hit {
            return true;
        }
    }
    false
}

/// The bytes the quick look stops at: the first letter of a secret's name, either case, and
/// `\` (an escape).
// Evaluated by the compiler: an index out of bounds here fails the build, it never runs.
#[allow(clippy::indexing_slicing)]
const STARTS: [bool; 256] = {
    let mut table = [false; 256];
    table[b'\\' as usize] = true;
    let mut i = 0;
    while i < SECRET_KEYS.len() + SIGNED_QUERY.len() {
        let name = if i < SECRET_KEYS.len() {
            SECRET_KEYS[i]
        } else {
            SIGNED_QUERY[i - SECRET_KEYS.len()]
        };
        let first = name.as_bytes()[0];
        table[first.to_ascii_lowercase() as usize] = true;
        table[first.to_ascii_uppercase() as usize] = true;
        i += 1;
    }
    table
};

/// The depth of string encoding whose JSON structure is searched: 0 (the text itself) and 1
/// (JSON held in one of its strings, Kick's double encoding).
const NESTED: u8 = 1;

/// Applies edits in increasing order of position, moving each byte at most once. The scanner
/// reads the original positions ahead of `moved`; everything before `moved` has been written
/// to `..written` already, so reads and writes never meet.
struct Rewriter<'t> {
    text: &'t mut [u8],
    /// End of the output so far.
    written: usize,
    /// Input consumed so far (copied or replaced).
    moved: usize,
    count: usize,
}

impl Rewriter<'_> {
    /// Replaces the input `start..end` by `with` (never longer).
    fn replace(&mut self, start: usize, end: usize, with: &[u8]) {
        if start < self.moved || end < start || with.len() > end.saturating_sub(start) {
            return; // out of order or growing: cannot happen from `scan`, never corrupt
        }
        self.keep_until(start);
        let to = self.written.saturating_add(with.len());
        if let Some(dst) = self.text.get_mut(self.written..to) {
            dst.copy_from_slice(with);
        }
        self.written = to;
        self.moved = end;
        self.count = self.count.saturating_add(1);
    }

    /// Moves the input up to `end` into place, unchanged.
    fn keep_until(&mut self, end: usize) {
        if self.written != self.moved {
            self.text.copy_within(self.moved..end, self.written);
        }
        self.written = self.written.saturating_add(end.saturating_sub(self.moved));
        self.moved = end;
    }

    fn finish(&mut self, len: usize) -> usize {
        self.keep_until(len);
        self.written
    }

    /// The byte at `pos`, as scanned (the original input).
    fn at(&self, pos: usize) -> Option<u8> {
        self.text.get(pos).copied()
    }
}

/// One byte of the text as seen `depth` levels of string encoding down, starting at `pos`
/// (before `end`), and where the next one starts. `\uXXXX` gives its code point when ASCII and
/// 0x80 otherwise (nothing searched for is beyond ASCII); a broken escape ends the text.
fn unit(r: &Rewriter<'_>, pos: usize, end: usize, depth: u8) -> Option<(u8, usize)> {
    if pos >= end {
        return None;
    }
    let Some(below) = depth.checked_sub(1) else {
        return Some((r.at(pos)?, pos.saturating_add(1)));
    };
    let (b, next) = unit(r, pos, end, below)?;
    if b != b'\\' {
        return Some((b, next));
    }
    let (e, mut next) = unit(r, next, end, below)?;
    let decoded = match e {
        b'"' | b'\\' | b'/' => e,
        b'b' => 0x08,
        b'f' => 0x0c,
        b'n' => b'\n',
        b'r' => b'\r',
        b't' => b'\t',
        b'u' => {
            let mut code: u32 = 0;
            for _ in 0..4 {
                let (h, n) = unit(r, next, end, below)?;
                code = code
                    .checked_mul(16)?
                    .checked_add(char::from(h).to_digit(16)?)?;
                next = n;
            }
            u8::try_from(code).ok().filter(u8::is_ascii).unwrap_or(0x80)
        }
        _ => return None,
    };
    Some((decoded, next))
}

/// Scans the JSON text at `start..end`, `depth` levels of string encoding down, and redacts
/// its secret values.
fn scan(r: &mut Rewriter<'_>, start: usize, end: usize, depth: u8) {
    let mut pos = start;
    // The last string was a key naming a secret, and its value has not come yet.
    let mut secret_key = false;
    while let Some((b, next)) = unit(r, pos, end, depth) {
        pos = next;
        match b {
            b'"' => {
                let Some((content_end, after)) = string_end(r, pos, end, depth) else {
                    return; // unterminated: nothing more to read
                };
                let content = (pos, content_end);
                pos = after;
                if next_is_colon(r, pos, end, depth) {
                    secret_key = is_secret_key(r, content, depth);
                } else {
                    value(r, content, depth, core::mem::take(&mut secret_key));
                }
            }
            b',' | b'}' | b']' => secret_key = false,
            _ => {}
        }
    }
}

/// Where the string whose content starts at `pos` ends: `(end of content, after the quote)`.
fn string_end(r: &Rewriter<'_>, mut pos: usize, end: usize, depth: u8) -> Option<(usize, usize)> {
    loop {
        let (b, next) = unit(r, pos, end, depth)?;
        match b {
            b'"' => return Some((pos, next)),
            // The escaped byte cannot end the string (`\uXXXX`'s digits cannot either).
            b'\\' => pos = unit(r, next, end, depth)?.1,
            _ => pos = next,
        }
    }
}

fn next_is_colon(r: &Rewriter<'_>, mut pos: usize, end: usize, depth: u8) -> bool {
    while let Some((b, next)) = unit(r, pos, end, depth) {
        if !b.is_ascii_whitespace() {
            return b == b':';
        }
        pos = next;
    }
    false
}

/// The decoded content of a string as a byte iterator (one level further down than the text
/// that holds the string).
fn content_bytes<'a>(
    r: &'a Rewriter<'_>,
    (start, end): (usize, usize),
    depth: u8,
) -> impl Iterator<Item = (usize, u8)> + 'a {
    let inner = depth.saturating_add(1);
    let mut pos = start;
    core::iter::from_fn(move || {
        let (b, next) = unit(r, pos, end, inner)?;
        let at = pos;
        pos = next;
        Some((at, b))
    })
}

fn is_secret_key(r: &Rewriter<'_>, key: (usize, usize), depth: u8) -> bool {
    SECRET_KEYS
        .iter()
        .any(|k| content_bytes(r, key, depth).map(|(_, b)| b).eq(k.bytes()))
}

/// Redacts one string value, or scans it when it holds JSON.
fn value(r: &mut Rewriter<'_>, content: (usize, usize), depth: u8, secret: bool) {
    let (start, end) = content;
    if secret {
        if content_bytes(r, content, depth)
            .map(|(_, b)| b)
            .eq(REDACTED.bytes())
        {
            return; // redacted already
        }
        let with = if end.saturating_sub(start) >= REDACTED.len() {
            REDACTED.as_bytes()
        } else {
            b""
        };
        if start != end {
            r.replace(start, end, with);
        }
        return;
    }
    if let Some(query) = signed_query(r, content, depth) {
        r.replace(query, end, b"");
        return;
    }
    if depth < NESTED && holds_json(r, content, depth) {
        scan(r, start, end, depth.saturating_add(1));
    }
}

/// Whether a string's content starts (after blanks) like a JSON object or array.
fn holds_json(r: &Rewriter<'_>, content: (usize, usize), depth: u8) -> bool {
    content_bytes(r, content, depth)
        .map(|(_, b)| b)
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| matches!(b, b'{' | b'['))
}

/// Where the query of a signed URL starts (its `?`), when the whole value is an `http(s)://`
/// URL whose query names one of [`SIGNED_QUERY`].
fn signed_query(r: &Rewriter<'_>, content: (usize, usize), depth: u8) -> Option<usize> {
    let mut bytes = content_bytes(r, content, depth);
    let mut head = [0u8; 8];
    let mut n = 0usize;
    // `zip` asks `head` first, so no byte past the eighth is taken from `bytes`.
    for (slot, (_, b)) in head.iter_mut().zip(bytes.by_ref()) {
        *slot = b.to_ascii_lowercase();
        n = n.saturating_add(1);
    }
    let head = head.get(..n).unwrap_or(&[]);
    if !(head.starts_with(b"https://") || head.starts_with(b"http://")) {
        return None;
    }
    let mut query = None;
    // The parameter name being read (lowercased; longer names than any listed never match).
    let mut name = [0u8; 24];
    let mut name_len = 0usize;
    let mut in_name = false;
    let mut signed = false;
    for (at, b) in bytes {
        if b.is_ascii_whitespace() {
            return None; // text around a URL, not a URL
        }
        match (query, b) {
            (None, b'?') => {
                query = Some(at);
                in_name = true;
            }
            (Some(_), b'&') => {
                name_len = 0;
                in_name = true;
            }
            (Some(_), b'=') if in_name => {
                let got = name.get(..name_len).unwrap_or(&[]);
                signed |= SIGNED_QUERY.iter().any(|p| p.as_bytes() == got);
                in_name = false;
            }
            (Some(_), _) if in_name => {
                if let Some(slot) = name.get_mut(name_len) {
                    *slot = b.to_ascii_lowercase();
                }
                name_len = name_len.saturating_add(1);
            }
            _ => {}
        }
    }
    query.filter(|_| signed)
}

#[cfg(test)]
mod tests;
