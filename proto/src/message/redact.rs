//! Secrets in Kick's payloads, taken out before text leaves kickwire.
//!
//! Kick's channel objects carry `playback_url`, a signed stream URL (a credential: whoever holds
//! it can play the stream as the channel's viewer session), and chat senders' pictures come as
//! presigned cloud-storage URLs (`X-Amz-Credential`, `X-Amz-Signature`).
//!
//! Every Kick event of a message goes through this one step: its payload, once unescaped, is
//! redacted before it is decoded into a typed event ([`decode`](crate::decode)) or handed on as
//! JSON text ([`json_events`](crate::json_events())), unless the caller keeps the secrets
//! ([`Messages::keep_secrets`](crate::Messages::keep_secrets),
//! [`JsonEvents::keep_secrets`](crate::JsonEvents::keep_secrets)). So both paths see the same
//! data: a typed event never carries a signed URL that the JSON path would have cut. (The typed
//! path skips the step for a payload whose only secret is the value of a [`SECRET_KEYS`] key,
//! which no typed field keeps: the event is the same either way.) [`redact`] also serves text
//! kept whole: a recorded capture, a browser's `rawData`.
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

/// Whether a path takes Kick's secrets out of what it hands on (the default) or keeps them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum Secrets {
    /// Redact every payload.
    #[default]
    Redact,
    /// Hand payloads on as received (the caller asked to keep secrets, or redacted already).
    Keep,
}

impl Secrets {
    /// Applies the policy to `text` in place: its new length (the text is `text[..len]`).
    pub(crate) fn apply(self, text: &mut [u8]) -> usize {
        match self {
            Self::Keep => text.len(),
            Self::Redact => redact(text).len,
        }
    }

    /// Whether the policy may change `text` (it never does when this is `false`).
    pub(crate) fn may_change(self, text: &[u8]) -> bool {
        self == Self::Redact && might_hold_secret(text)
    }

    /// Whether the policy may change what a typed event keeps of `text`, the contents of a
    /// JSON string holding the payload, still escaped: see [`might_change_typed_escaped`].
    pub(crate) fn may_change_typed_escaped(self, text: &[u8]) -> bool {
        self == Self::Redact && might_change_typed_escaped(text)
    }
}

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
    // The browser's modules go straight to the full scan, which gives the same text (the quick
    // look only spares it texts it would not change; the tests check that): the look is 0.3 KB
    // gzipped of what every page loads, and a page reads a few messages a second (its
    // benchmark decoded the same 31-34 thousand events a second with and without it).
    if !cfg!(target_arch = "wasm32") && !might_hold_secret(text) {
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

/// Whether `text` can hold a secret at all, at a quick look: most texts hold none, and the full
/// scan reads every byte through two levels of escapes. JSON escapes `"` and `\` with a
/// backslash before them and may hide any character behind `\uXXXX`; so at any depth of
/// encoding a secret needs, written as it is:
/// - a key of [`SECRET_KEYS`] (compared exactly, as the full scan compares keys);
/// - or a name of [`SIGNED_QUERY`] (any case) right after a `?` or `&` (a URL's query);
/// - or an ASCII character hidden behind a `\u00XX` escape, which could spell either (the text
///   holds `\u00` then a digit from 2 to 7). Kick escapes non-ASCII characters only.
///
/// `memchr` finds the few bytes that can start one of these (`\`, `?`, `&` and each key's
/// rarest letter, [`STARTS`]), many bytes at a time, and only those are looked at: a payload
/// costs little next to decoding it, whatever its script.
#[cfg(not(target_arch = "wasm32"))]
fn might_hold_secret(text: &[u8]) -> bool {
    core::iter::once(b'\\')
        .chain(STARTS)
        .any(|b| memchr::memchr_iter(b, text).any(|i| starts_secret(text, i)))
}

/// See the other `might_hold_secret`: the same look, a byte at a time, for wasm32 builds that
/// ask it ([`Secrets::may_change`], the typed decoder's; [`redact`] does not ask it there, and
/// the browser's modules have no typed decoder). A browser looks at a handful of messages a
/// second, and `memchr`'s word-at-a-time searchers, inlined once per byte looked for, cost
/// 0.4 KB gzipped.
#[cfg(target_arch = "wasm32")]
fn might_hold_secret(text: &[u8]) -> bool {
    text.iter()
        .enumerate()
        .any(|(i, b)| (*b == b'\\' || STARTS.contains(b)) && starts_secret(text, i))
}

/// [`might_hold_secret`] for the one-pass reader's `data` string, still escaped, and for what a
/// typed event keeps of it: whether it may hold a signed query (a name of [`SIGNED_QUERY`]
/// right after `?` or `&`), found with one `memchr2`.
///
/// - A [`SECRET_KEYS`] key is not looked for: no typed field keeps the value of one
///   (`playback_url` sits in channel objects, which the types read without it), so taking it
///   out cannot change a typed event. The tests crate's `redaction` and the `one_pass` fuzz
///   target hold typed events to the ones decoded from the payload redacted first. A payload
///   that names one (a quarter of the leaderboard frames) is thus read in one pass rather than
///   unescaped, redacted and read again.
/// - An ASCII character hidden behind `\u00XX` is not looked for either: the escaped string has
///   a backslash every few bytes, and stopping at each cost more than decoding; the one-pass
///   reader refuses such an escape at either level of the string (see
///   [`crate::json::escaped`]), and the payload then goes the two-pass way, through
///   [`might_hold_secret`].
pub(super) fn might_change_typed_escaped(text: &[u8]) -> bool {
    memchr::memchr2_iter(b'?', b'&', text).any(|i| starts_secret(text, i))
}

/// The bytes the quick look stops at besides the escape: `?`, `&` and each key's anchor letter.
// Evaluated by the compiler: an index out of bounds here fails the build, it never runs.
#[allow(clippy::indexing_slicing)]
const STARTS: [u8; 2 + SECRET_KEYS.len()] = {
    let mut starts = [0; 2 + SECRET_KEYS.len()];
    (starts[0], starts[1]) = (b'?', b'&');
    let mut k = 0;
    while k < KEY_ANCHORS.len() {
        starts[2 + k] = KEY_ANCHORS[k].1;
        k += 1;
    }
    starts
};

/// Whether the byte at `i` starts what [`might_hold_secret`] looks for.
fn starts_secret(text: &[u8], i: usize) -> bool {
    let rest = text.get(i.saturating_add(1)..).unwrap_or(&[]);
    match text.get(i) {
        Some(b'\\') => rest.starts_with(b"u00") && matches!(rest.get(3), Some(b'2'..=b'7')),
        Some(b'?' | b'&') => SIGNED_QUERY.iter().any(|n| {
            rest.get(..n.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(n.as_bytes()))
        }),
        Some(&b) => SECRET_KEYS
            .iter()
            .zip(KEY_ANCHORS)
            .any(|(key, (anchor, byte))| {
                b == byte
                    && i.checked_sub(anchor)
                        .and_then(|start| text.get(start..))
                        .is_some_and(|t| t.starts_with(key.as_bytes()))
            }),
        None => false,
    }
}

/// For each key of [`SECRET_KEYS`], where its rarest letter is and which it is: the quick look
/// stops at that letter (`k` of `playback_url`: chat text and Kick's keys are full of `p`, `a`
/// and `_`).
// Evaluated by the compiler: an index out of bounds here fails the build, it never runs.
#[allow(clippy::indexing_slicing)]
const KEY_ANCHORS: [(usize, u8); SECRET_KEYS.len()] = {
    // Lowercase letters, the rarest in English text first; other bytes count as common.
    const RARE_FIRST: &[u8] = b"zqxjkvbpygfwmucldrhsnioate";
    let mut anchors = [(0, 0); SECRET_KEYS.len()];
    let mut k = 0;
    while k < SECRET_KEYS.len() {
        let key = SECRET_KEYS[k].as_bytes();
        let mut best = (0, RARE_FIRST.len());
        let mut i = 0;
        while i < key.len() {
            let mut rank = 0;
            while rank < RARE_FIRST.len() && RARE_FIRST[rank] != key[i] {
                rank += 1;
            }
            if rank < best.1 {
                best = (i, rank);
            }
            i += 1;
        }
        anchors[k] = (best.0, key[best.0]);
        k += 1;
    }
    anchors
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
            crate::bytes::copy(dst, with);
        }
        self.written = to;
        self.moved = end;
        self.count = self.count.saturating_add(1);
    }

    /// Moves the input up to `end` into place, unchanged.
    fn keep_until(&mut self, end: usize) {
        if self.written != self.moved {
            crate::bytes::move_within(self.text, self.moved, end, self.written);
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

    /// The first position from `pos` on (before `end`) holding a quote or a backslash, else
    /// `end`. Every byte before it is a unit of its own at any depth and decodes to itself (only
    /// a backslash starts a longer one), so a scan looking for quotes and escapes can jump
    /// there, eight bytes a step, rather than decode each byte through every level. (Bytes at
    /// or after `pos` are still the original input: rewriting only ever writes before it.)
    fn next_special(&self, pos: usize, end: usize) -> usize {
        self.text
            .get(pos..end)
            .and_then(|t| crate::json::scan::find2(t, b'"', b'\\'))
            .map_or(end, |k| pos.saturating_add(k))
    }
}

/// One byte of the text as seen `depth` levels of string encoding down, starting at `pos`
/// (before `end`), and where the next one starts. `\uXXXX` gives its code point when ASCII and
/// 0x80 otherwise (nothing searched for is beyond ASCII); a broken escape ends the text.
fn unit(r: &Rewriter<'_>, pos: usize, end: usize, depth: u8) -> Option<(u8, usize)> {
    if pos >= end {
        return None;
    }
    let first = r.at(pos)?;
    // Any byte but a backslash is a unit of its own at every depth (the recursion below would
    // hand it up level by level unchanged): most bytes, answered without it.
    let Some(below) = depth.checked_sub(1).filter(|_| first == b'\\') else {
        return Some((first, pos.saturating_add(1)));
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
    loop {
        // Only a string changes anything while no secret key waits for its value (`,`, `}`
        // and `]` would only clear the flag).
        if !secret_key {
            pos = r.next_special(pos, end);
        }
        let Some((b, next)) = unit(r, pos, end, depth) else {
            return;
        };
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
        pos = r.next_special(pos, end);
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
    // The eighth byte after `http://` is the host's first: a blank there is text, not a URL,
    // like a blank anywhere after it (below).
    if !(head.starts_with(b"https://") || head.starts_with(b"http://"))
        || head.iter().any(u8::is_ascii_whitespace)
    {
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
