//! The benchmark corpus: a deterministic generated stream of Kick frames with the mix of a busy
//! channel (about 85 % chat), plus every real vector of the repository.
//!
//! Generated frames copy the shapes of the captures in `tests/vectors/kick/`: a Pusher envelope
//! whose `data` is a JSON string holding the event's JSON. Half of the frames encode that inner
//! JSON the way PHP's `json_encode` does by default (`\/`, non-ASCII as `\uXXXX`, astral chars as
//! surrogate pairs: what Kick sends for polls), the other half as raw UTF-8 with `\/` (what Kick
//! sends for chat today); the inner text is then escaped again into the `data` string.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Seed of the generator: the corpus is the same on every run and every machine.
pub const SEED: u64 = 0x6b69_636b_7769_7265; // "kickwire"
/// Generated frames (the real vectors come on top).
pub const GENERATED: usize = 2000;

/// What a generated frame holds (for the corpus summary).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Chat,
    Ping,
    Subscription,
    GiftedSubscriptions,
    KicksGifted,
    UserBanned,
    MessageDeleted,
    PollUpdate,
    GiftsLeaderboard,
    Real,
}

pub struct Corpus {
    pub frames: Vec<Vec<u8>>,
    pub kinds: Vec<Kind>,
    pub bytes: usize,
    pub vectors_dir: Option<PathBuf>,
}

impl Corpus {
    pub fn len(&self) -> usize {
        self.frames.len()
    }

    pub fn count(&self, kind: Kind) -> usize {
        self.kinds.iter().filter(|k| **k == kind).count()
    }

    /// Keeps only the frames of the kind named `family` (its `Debug` name).
    pub fn keep_only(&mut self, family: &str) {
        let keep: Vec<bool> = self
            .kinds
            .iter()
            .map(|k| format!("{k:?}") == family)
            .collect();
        let mut i = 0;
        self.frames.retain(|_| {
            i += 1;
            keep[i - 1]
        });
        self.kinds.retain(|k| format!("{k:?}") == family);
        self.bytes = self.frames.iter().map(Vec::len).sum();
    }
}

/// Builds the corpus: generated frames first, then the real vectors (sorted by path).
pub fn build() -> Corpus {
    let mut g = Gen {
        rng: Rng(SEED),
        clock: 0,
    };
    let mut frames = Vec::with_capacity(GENERATED + 128);
    let mut kinds = Vec::with_capacity(GENERATED + 128);
    for _ in 0..GENERATED {
        let (kind, frame) = g.frame();
        kinds.push(kind);
        frames.push(frame.into_bytes());
    }
    let vectors_dir = vectors_dir();
    if let Some(dir) = &vectors_dir {
        let mut files = Vec::new();
        jsonl_files(dir, &mut files);
        files.sort();
        for file in files {
            let text = std::fs::read(&file).unwrap_or_default();
            for line in text.split(|b| *b == b'\n') {
                let line = line.strip_suffix(b"\r").unwrap_or(line);
                if line.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                frames.push(line.to_vec());
                kinds.push(Kind::Real);
            }
        }
    }
    let bytes = frames.iter().map(Vec::len).sum();
    Corpus {
        frames,
        kinds,
        bytes,
        vectors_dir,
    }
}

/// `$KICKWIRE_VECTORS`, else the repository's `tests/vectors/kick`.
fn vectors_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("KICKWIRE_VECTORS") {
        return Some(PathBuf::from(dir));
    }
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    Some(here.join("../vectors/kick")).filter(|d| d.is_dir())
}

fn jsonl_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            jsonl_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "jsonl")
            // Frames only: `*.expected.jsonl` files hold decoded outputs, not frames.
            && !path.to_string_lossy().ends_with(".expected.jsonl")
        {
            out.push(path);
        }
    }
}

/// xorshift64*: small, fast and the same everywhere.
pub struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `per_mille / 1000`.
    fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len() as u64) as usize]
    }
}

const EMOTES: &[(u32, &str)] = &[
    (37226, "KEKW"),
    (37225, "KEKLEO"),
    (37232, "PeepoClap"),
    (37227, "LULW"),
    (37230, "POLICE"),
    (37224, "GachiGASM"),
    (39251, "beeBobble"),
    (305040, "GIGACHAD"),
    (39272, "emojiAngry"),
    (3989851, "litneyspears4Max"),
    (4147814, "OuttaPocket"),
    (5748005, "collectiblesGoldenPATRICKBOO"),
    (1730762, "Flowie"),
    (2451312, "xqcL"),
];

const EMOJI: &[&str] = &[
    "😭", "🤣", "😂", "🔥", "❤️", "💀", "👀", "🙏", "😔", "🎉", "👍", "✅", "⚽", "🇸🇦", "🫡", "🧐",
    "😍", "🥶", "💯", "🐐", "🤡", "😎", "☕", "✨",
];

const ENGLISH: &[&str] = &[
    "lol",
    "bro",
    "what",
    "is",
    "this",
    "chat",
    "GG",
    "the",
    "stream",
    "W",
    "L",
    "no",
    "way",
    "he",
    "really",
    "did",
    "that",
    "bruh",
    "let's",
    "go",
    "ratio",
    "true",
    "fr",
    "ong",
    "nah",
    "I'm",
    "from",
    "it's",
    "complicated",
    "dude",
    "wtf",
    "omg",
    "pog",
    "clip",
    "it",
    "someone",
    "deals",
    "with",
    "after",
    "back",
    "to",
    "the",
    "plantation",
    "it",
    "would",
    "of",
    "been",
    "nice",
    "does",
    "have",
    "do",
    "you",
    "won",
    "coins",
    "raffle",
    "mods",
    "ban",
    "him",
    "best",
    "streamer",
    "ever",
    "first",
    "time",
    "here",
    "hello",
    "everyone",
    "love",
    "from",
    "Ohio",
    "big",
    "win",
    "on",
    "slots",
    "bonus",
    "buy",
    "again",
    "crazy",
    "insane",
    "unreal",
    "yo",
    "hype",
];

const ARABIC: &[&str] = &[
    "من",
    "والله",
    "يا",
    "شات",
    "البكسل",
    "بس",
    "عندي",
    "هلا",
    "حبيبي",
    "ليش",
    "ايش",
    "تمام",
    "الله",
    "يعطيك",
    "العافية",
    "مساء",
    "الخير",
    "ههههههه",
    "لا",
    "وين",
    "المهم",
    "عندك",
    "حجي",
    "شي",
    "ما",
    "تدفع",
    "في",
    "ايفنت",
    "شغالة",
    "عليها",
    "بادج",
    "١٠٠",
    "جيفت",
];

const JAPANESE: &[&str] = &[
    "ともくんの",
    "時代",
    "終わったの",
    "？",
    "草",
    "www",
    "こんにちは",
    "すごい",
    "かわいい",
    "配信",
    "ありがとう",
    "初見です",
    "笑",
    "お疲れ様です",
    "神回",
    "やばい",
    "！",
];

const CYRILLIC: &[&str] = &[
    "привет",
    "как",
    "дела",
    "чат",
    "ахахах",
    "бро",
    "круто",
    "да",
    "нет",
    "стрим",
    "лол",
    "топ",
    "спасибо",
    "всем",
    "давай",
    "ещё",
    "раз",
    "Ё-моё",
];

const LATIN_EXT: &[&str] = &[
    "qué",
    "pasó",
    "jajaja",
    "señor",
    "ñoño",
    "não",
    "você",
    "muito",
    "bom",
    "çok",
    "güzel",
    "teşekkürler",
    "maçı",
    "olé",
    "größte",
    "café",
    "Zürich",
    "niño",
];

/// Tokens with quotes, backslashes and slashes: both levels of escaping get work.
const TRICKY: &[&str] = &[
    "\"hi\"",
    "he said \"no\"",
    "\\o/",
    "¯\\_(ツ)_/¯",
    "C:\\Users\\chat",
    ":\\",
    "</3",
    "https://kick.com/xqc",
    "'quoted'",
    "\"\"\"",
    "a/b/c",
    "\\\\",
];

const COLORS: &[&str] = &[
    "#FF9D00", "#BC66FF", "#4CFF75", "#75FD46", "#FFD899", "#E26EFF", "#FBCFD8", "#93EBE0",
    "#F2708A", "#00F1FF", "#FF55B3", "#DEB2FF", "#1475E1", "#B9D6F6", "#FF6B6B",
];

const SYLLABLES: &[&str] = &[
    "ka", "ze", "mo", "ri", "xo", "lu", "ba", "dr", "ake", "Max", "Big", "boss", "Kl", "Va", "tay",
    "lor", "ed", "by", "Crispy", "Legs", "Tin", "foil", "Ohm", "dawg", "OG", "real", "TTV", "jo",
];

/// Chatrooms: (chatroom id, channel id).
const ROOMS: &[(u64, u64)] = &[
    (2507974, 2515504),
    (1221707, 1227011),
    (16756136, 16999603),
    (5976096, 5993644),
    (56746877, 56890011),
    (11677377, 11742210),
    (4598, 4640),
    (5389830, 5424313),
    (31047538, 31323432),
    (23580962, 23865632),
    (104926659, 127229430),
    (28037413, 28302127),
];

struct Gen {
    rng: Rng,
    /// Seconds since 2026-09-27T16:00:00Z.
    clock: u64,
}

/// How a frame's inner JSON is encoded.
#[derive(Clone, Copy)]
struct Style {
    /// PHP `json_encode` defaults: non-ASCII as `\uXXXX`.
    php: bool,
}

/// Appends `s` as a JSON string (quotes included) in the given style: `"`, `\` and `/` escaped
/// (Kick escapes `/` in both styles), control chars as `\n`/`\u00XX`, and with `php` every
/// non-ASCII char as `\uXXXX` (astral ones as a surrogate pair), lowercase hex as PHP writes.
fn quote_into(out: &mut String, s: &str, style: Style) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '/' => out.push_str("\\/"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c if style.php && !c.is_ascii() => {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{u:04x}");
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn quote(s: &str, style: Style) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    quote_into(&mut out, s, style);
    out
}

/// A whole Pusher frame: `inner` escaped into the `data` string (only `"` and `\` are escaped
/// at this level: the server writes the rest raw, as the captures show).
fn pusher_frame(event: &str, inner: &str, channel: &str) -> String {
    let mut out = String::with_capacity(inner.len() + inner.len() / 4 + 96);
    out.push_str("{\"event\":\"");
    escape_outer(&mut out, event);
    out.push_str("\",\"data\":\"");
    escape_outer(&mut out, inner);
    out.push_str("\",\"channel\":\"");
    escape_outer(&mut out, channel);
    out.push_str("\"}");
    out
}

fn escape_outer(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
}

impl Gen {
    fn frame(&mut self) -> (Kind, String) {
        self.clock += self.rng.range(0, 2);
        let style = Style {
            php: self.rng.chance(500),
        };
        let roll = self.rng.below(10_000);
        // 85 % chat; the rest as a busy channel sees them.
        match roll {
            0..8500 => (Kind::Chat, self.chat(style)),
            8500..8800 => (Kind::Ping, self.ping()),
            8800..9000 => (Kind::Subscription, self.subscription(style)),
            9000..9200 => (Kind::GiftedSubscriptions, self.gifted(style)),
            9200..9400 => (Kind::KicksGifted, self.kicks(style)),
            9400..9550 => (Kind::UserBanned, self.banned(style)),
            9550..9750 => (Kind::MessageDeleted, self.deleted()),
            9750..9875 => (Kind::PollUpdate, self.poll(style)),
            _ => (Kind::GiftsLeaderboard, self.leaderboard(style)),
        }
    }

    fn timestamp(&self) -> String {
        let t = self.clock;
        format!(
            "2026-09-27T{:02}:{:02}:{:02}+00:00",
            16 + t / 3600 % 8,
            t / 60 % 60,
            t % 60
        )
    }

    fn uuid(&mut self) -> String {
        let a = self.rng.next();
        let b = self.rng.next();
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            0x8000 | (b >> 48) & 0x3fff,
            b & 0xffff_ffff_ffff
        )
    }

    fn room(&mut self) -> (u64, u64) {
        self.rng.pick(ROOMS)
    }

    fn username(&mut self) -> String {
        let mut name = String::new();
        let parts = self.rng.range(1, 4);
        for _ in 0..parts {
            name.push_str(self.rng.pick(SYLLABLES));
        }
        if self.rng.chance(400) {
            name.push('_');
        }
        if self.rng.chance(500) {
            let _ = write!(name, "{}", self.rng.below(10_000));
        }
        while name.len() < 3 {
            name.push('x');
        }
        name.truncate(25);
        name
    }

    fn slug(name: &str) -> String {
        name.to_ascii_lowercase().replace('_', "-")
    }

    fn user_id(&mut self) -> u64 {
        self.rng.range(1, 130_000_000)
    }

    /// Chat text of about `target` chars (1..=500) in one of a few scripts.
    fn content(&mut self, max_chars: usize) -> String {
        let r = self.rng.below(1000);
        let target = match r {
            0..450 => self.rng.range(1, 25),
            450..750 => self.rng.range(26, 60),
            750..900 => self.rng.range(61, 150),
            900..970 => self.rng.range(151, 300),
            _ => self.rng.range(301, 500),
        } as usize;
        let target = target.min(max_chars);
        let script = self.rng.below(100);
        let mut out = String::new();
        let mut chars = 0usize;
        // Emote-only and emoji spam lines.
        if script < 10 {
            let n = self.rng.range(1, 8);
            for _ in 0..n {
                let (id, name) = self.rng.pick(EMOTES);
                let token = format!("[emote:{id}:{name}]");
                if chars + token.chars().count() > max_chars {
                    break;
                }
                chars += token.chars().count();
                out.push_str(&token);
            }
            if out.is_empty() {
                out.push_str(self.rng.pick(EMOJI));
            }
            return out;
        }
        if script < 15 {
            let e = self.rng.pick(EMOJI);
            let n = (target / 2).max(1);
            for _ in 0..n {
                out.push_str(if self.rng.chance(850) {
                    e
                } else {
                    self.rng.pick(EMOJI)
                });
            }
            return cut_chars(out, max_chars);
        }
        let words: &[&str] = match script {
            15..60 => ENGLISH,
            60..75 => ARABIC,
            75..83 => JAPANESE,
            83..91 => CYRILLIC,
            _ => LATIN_EXT,
        };
        let spaced = !std::ptr::eq(words, JAPANESE);
        while chars < target {
            let r = self.rng.below(1000);
            let token: String = match r {
                0..80 => {
                    let (id, name) = self.rng.pick(EMOTES);
                    format!("[emote:{id}:{name}]")
                }
                80..150 => self.rng.pick(EMOJI).to_string(),
                150..185 => self.rng.pick(TRICKY).to_string(),
                185..200 => format!("@{}", self.username()),
                _ => self.rng.pick(words).to_string(),
            };
            if !out.is_empty() && spaced && !token.starts_with("[emote") {
                out.push(' ');
                chars += 1;
            }
            chars += token.chars().count();
            out.push_str(&token);
        }
        cut_chars(out, max_chars)
    }

    fn badges(&mut self) -> String {
        let mut out = String::from("[");
        let n = match self.rng.below(100) {
            0..45 => 0,
            45..75 => 1,
            75..90 => 2,
            90..97 => 3,
            _ => 4,
        };
        let kinds: &[(&str, &str, bool)] = &[
            ("moderator", "Moderator", false),
            ("vip", "VIP", false),
            ("og", "OG", false),
            ("founder", "Founder", false),
            ("subscriber", "Subscriber", true),
            ("sub_gifter", "Sub Gifter", true),
        ];
        let sorted = self.rng.chance(500);
        for i in 0..n {
            let (kind, text, counted) = self.rng.pick(kinds);
            if i > 0 {
                out.push(',');
            }
            let _ = write!(out, "{{\"type\":\"{kind}\",\"text\":\"{text}\"");
            if counted {
                let _ = write!(out, ",\"count\":{}", self.rng.range(1, 130));
            }
            if sorted {
                let _ = write!(out, ",\"sort_order\":{}", self.rng.range(1, 12));
            }
            out.push('}');
        }
        out.push(']');
        out
    }

    /// Kick's newer `badges_v2` (ignored by kickwire, still parsed past).
    fn badges_v2(&mut self, style: Style) -> String {
        let mut out = String::from("[");
        let n = self.rng.range(1, 3);
        for i in 0..n {
            if i > 0 {
                out.push(',');
            }
            let level = self.rng.range(1, 60);
            let url = format!(
                "https://ext.cdn.kick.com/chat/badges/{level}_{}.png",
                self.uuid()
            );
            let _ = write!(
                out,
                "{{\"name\":\"level\",\"badge_type\":\"global\",\"image_url\":{},\"metadata\":{{\"level\":{level}}},\"selected\":{},\"sort_order\":1}}",
                quote(&url, style),
                self.rng.chance(500)
            );
        }
        out.push(']');
        out
    }

    fn chat(&mut self, style: Style) -> String {
        let (room, _) = self.room();
        let id = self.uuid();
        let content = self.content(500);
        let kind_roll = self.rng.below(1000);
        let kind = match kind_roll {
            0..130 => "reply",
            130..145 => "celebration",
            _ => "message",
        };
        let name = self.username();
        let mut j = String::with_capacity(content.len() * 2 + 512);
        let _ = write!(
            j,
            "{{\"id\":\"{id}\",\"chatroom_id\":{room},\"content\":{},\"type\":\"{kind}\",\"created_at\":\"{}\",\"sender\":{{\"id\":{},\"username\":{},\"slug\":{},\"identity\":{{\"color\":\"{}\",\"badges\":{}",
            quote(&content, style),
            self.timestamp(),
            self.user_id(),
            quote(&name, style),
            quote(&Self::slug(&name), style),
            self.rng.pick(COLORS),
            self.badges(),
        );
        if self.rng.chance(550) {
            let v2 = self.badges_v2(style);
            let _ = write!(j, ",\"badges_v2\":{v2}");
        }
        j.push_str("}}");
        let message_ref = 1_790_525_000_000 + self.clock * 1000 + self.rng.below(1000);
        match kind {
            "reply" => {
                let original = self.content(200);
                let _ = write!(
                    j,
                    ",\"metadata\":{{\"original_sender\":{{\"id\":{},\"username\":{}}},\"original_message\":{{\"id\":\"{}\",\"content\":{}}},\"message_ref\":\"{message_ref}\"}},\"thread_parent_id\":\"{}\"",
                    self.user_id(),
                    quote(&self.username(), style),
                    self.uuid(),
                    quote(&original, style),
                    self.uuid()
                );
            }
            "celebration" => {
                let _ = write!(
                    j,
                    ",\"metadata\":{{\"celebration\":{{\"id\":\"chceleb_01K0518CW5PNSCAWD{:011X}\",\"type\":\"subscription_renewed\",\"total_months\":{},\"created_at\":\"2026-09-20T17:55:52.83787Z\"}}}}",
                    self.rng.below(1 << 40),
                    self.rng.range(2, 48)
                );
            }
            _ if self.rng.chance(850) => {
                let _ = write!(j, ",\"metadata\":{{\"message_ref\":\"{message_ref}\"}}");
            }
            _ => {}
        }
        j.push('}');
        pusher_frame(
            "App\\Events\\ChatMessageEvent",
            &j,
            &format!("chatrooms.{room}.v2"),
        )
    }

    fn ping(&mut self) -> String {
        if self.rng.chance(900) {
            r#"{"event":"pusher:ping","data":"{}"}"#.to_string()
        } else {
            r#"{"event":"pusher:pong","data":"{}"}"#.to_string()
        }
    }

    fn subscription(&mut self, style: Style) -> String {
        let (room, _) = self.room();
        let j = format!(
            "{{\"chatroom_id\":{room},\"username\":{},\"months\":{}}}",
            quote(&self.username(), style),
            self.rng.range(1, 60)
        );
        pusher_frame(
            "App\\Events\\SubscriptionEvent",
            &j,
            &format!("chatrooms.{room}.v2"),
        )
    }

    fn gifted(&mut self, style: Style) -> String {
        let (room, _) = self.room();
        let n = match self.rng.below(100) {
            0..60 => 1,
            60..85 => 5,
            85..95 => self.rng.range(10, 25),
            _ => self.rng.range(50, 100),
        };
        let names: Vec<String> = (0..n).map(|_| quote(&self.username(), style)).collect();
        let gifter = quote(&self.username(), style);
        if self.rng.chance(500) {
            let j = format!(
                "{{\"chatroom_id\":{room},\"gifted_usernames\":[{}],\"gifter_username\":{gifter}}}",
                names.join(",")
            );
            pusher_frame(
                "App\\Events\\GiftedSubscriptionsEvent",
                &j,
                &format!("chatrooms.{room}.v2"),
            )
        } else {
            let j = format!(
                "{{\"chatroom_id\":{room},\"correlation_id\":\"{}\",\"gifted_usernames\":[{}],\"gifter_username\":{gifter},\"gifted_total\":{n},\"gifter_total\":{},\"chunk_details\":null}}",
                700_002_820_790_407u64 + self.rng.below(1 << 32),
                names.join(","),
                n + self.rng.below(500)
            );
            pusher_frame("GiftedSubscriptionsEvent", &j, &format!("chatroom_{room}"))
        }
    }

    fn kicks(&mut self, style: Style) -> String {
        let (_, channel) = self.room();
        let gifts: &[(&str, &str, u64, &str, &str, u32, u64)] = &[
            ("full_send", "Full Send", 100, "BASIC", "BASIC", 0, 0),
            ("hell_yeah", "Hell Yeah", 1, "BASIC", "BASIC", 0, 0),
            (
                "rage_quit",
                "Rage Quit",
                500,
                "LEVEL_UP",
                "MID",
                150,
                600_000_000_000,
            ),
            (
                "pack_it_up",
                "Pack It Up",
                1000,
                "LEVEL_UP",
                "MID",
                150,
                1_200_000_000_000,
            ),
            (
                "yeet",
                "YEET",
                5000,
                "LEVEL_UP",
                "HIGH",
                150,
                3_600_000_000_000,
            ),
        ];
        let (gid, gname, amount, gtype, tier, limit, pinned) = self.rng.pick(gifts);
        let message = if limit > 0 && self.rng.chance(700) {
            self.content(150)
        } else {
            String::new()
        };
        let name = self.username();
        let mut j = format!(
            "{{\"gift_transaction_id\":\"{}\",\"message\":{},\"sender\":{{\"id\":{},\"username\":{},\"username_color\":\"{}\",\"profile_picture\":{}}},\"gift\":{{\"gift_id\":\"{gid}\",\"name\":\"{gname}\",\"amount\":{amount},\"type\":\"{gtype}\",\"tier\":\"{tier}\",\"character_limit\":{limit},\"pinned_time\":{pinned}}},\"created_at\":\"2026-09-27T16:12:16.212275837Z\"",
            self.uuid(),
            quote(&message, style),
            self.user_id(),
            quote(&name, style),
            self.rng.pick(COLORS),
            quote(
                &format!(
                    "https://kick.com/img/default-profile-pictures/default-avatar-{}.webp",
                    self.rng.range(1, 6)
                ),
                style
            ),
        );
        if pinned > 0 {
            j.push_str(",\"expires_at\":\"2026-09-27T16:22:16.212275837Z\"");
        }
        j.push('}');
        pusher_frame("KicksGifted", &j, &format!("channel_{channel}"))
    }

    fn user_ref(&mut self, id: u64, style: Style) -> String {
        let name = self.username();
        format!(
            "{{\"id\":{id},\"username\":{},\"slug\":{}}}",
            quote(&name, style),
            quote(&Self::slug(&name), style)
        )
    }

    fn banned(&mut self, style: Style) -> String {
        let (room, _) = self.room();
        let id = self.uuid();
        let uid = self.user_id();
        let user = self.user_ref(uid, style);
        let by = self.user_ref(0, style);
        let j = if self.rng.chance(300) {
            format!("{{\"id\":\"{id}\",\"user\":{user},\"banned_by\":{by}}}")
        } else {
            format!(
                "{{\"id\":\"{id}\",\"user\":{user},\"banned_by\":{by},\"permanent\":false,\"duration\":{},\"expires_at\":\"2026-09-27T16:13:31+00:00\"}}",
                self.rng.range(1, 60)
            )
        };
        pusher_frame(
            "App\\Events\\UserBannedEvent",
            &j,
            &format!("chatrooms.{room}.v2"),
        )
    }

    fn deleted(&mut self) -> String {
        let (room, _) = self.room();
        let ai = self.rng.chance(400);
        let rules = if ai { "[\"is_spam-TRUE\"]" } else { "[]" };
        let j = format!(
            "{{\"id\":\"{}\",\"message\":{{\"id\":\"{}\"}},\"aiModerated\":{ai},\"violatedRules\":{rules}}}",
            self.uuid(),
            self.uuid()
        );
        pusher_frame(
            "App\\Events\\MessageDeletedEvent",
            &j,
            &format!("chatrooms.{room}.v2"),
        )
    }

    fn poll(&mut self, style: Style) -> String {
        let (room, _) = self.room();
        let title = self.content(100);
        let n = self.rng.range(2, 6);
        let mut options = Vec::new();
        for i in 0..n {
            let label = cut_chars(self.content(30), 30);
            options.push(format!(
                "{{\"id\":{i},\"label\":{},\"votes\":{}}}",
                quote(&label, style),
                self.rng.below(500)
            ));
        }
        let duration = self.rng.pick(&[30u64, 60, 120, 300]);
        let mut j = format!(
            "{{\"poll\":{{\"title\":{},\"options\":[{}],\"duration\":{duration},\"remaining\":{},\"result_display_duration\":15",
            quote(&title, style),
            options.join(","),
            self.rng.below(duration + 1)
        );
        if self.rng.chance(500) {
            j.push_str(",\"has_voted\":false,\"voted_option_id\":null");
        }
        j.push_str("}}");
        pusher_frame(
            "App\\Events\\PollUpdateEvent",
            &j,
            &format!("chatrooms.{room}.v2"),
        )
    }

    fn board(&mut self, n: u64, style: Style) -> String {
        let rows: Vec<String> = (0..n)
            .map(|_| {
                format!(
                    "{{\"user_id\":{},\"username\":{},\"quantity\":{}}}",
                    self.user_id(),
                    quote(&self.username(), style),
                    self.rng.range(1, 3000)
                )
            })
            .collect();
        format!("[{}]", rows.join(","))
    }

    fn leaderboard(&mut self, style: Style) -> String {
        let (room, channel) = self.room();
        let all = self.board(10, style);
        let weekly_n = self.rng.range(1, 10);
        let weekly = self.board(weekly_n, style);
        let monthly = self.board(10, style);
        let gifter = self.username();
        if self.rng.chance(250) {
            // The older shape: the whole channel object, signed playback URL included.
            let owner = self.user_id();
            let j = format!(
                "{{\"channel\":{{\"id\":{channel},\"user_id\":{owner},\"slug\":{},\"is_banned\":false,\"playback_url\":{},\"name_updated_at\":null,\"vod_enabled\":true,\"subscription_enabled\":true,\"can_host\":true,\"chatroom\":{{\"id\":{room},\"chatable_type\":{},\"channel_id\":{channel},\"created_at\":\"2023-03-31T21:25:27.000000Z\",\"updated_at\":\"2024-02-06T05:35:31.000000Z\",\"chat_mode_old\":\"public\",\"chat_mode\":\"public\",\"slow_mode\":false,\"chatable_id\":{channel},\"followers_mode\":true,\"subscribers_mode\":false,\"emotes_mode\":false,\"message_interval\":6,\"following_min_duration\":180}}}},\"leaderboard\":{all},\"weekly_leaderboard\":{weekly},\"monthly_leaderboard\":{monthly}}}",
                quote(&Self::slug(&gifter), style),
                quote(
                    "https://fa723fc1b171.us-west-2.playback.live-video.net/api/video/v1/us-west-2.196233775518.channel.oliV5X2XFvWn.m3u8",
                    style
                ),
                quote("App\\Models\\Channel", style),
            );
            pusher_frame(
                "App\\Events\\GiftsLeaderboardUpdated",
                &j,
                &format!("channel.{channel}"),
            )
        } else {
            let j = format!(
                "{{\"leaderboard\":{all},\"weekly_leaderboard\":{weekly},\"monthly_leaderboard\":{monthly},\"gifter_id\":{},\"gifter_username\":{},\"gifted_quantity\":{}}}",
                self.user_id(),
                quote(&gifter, style),
                self.rng.range(1, 50)
            );
            pusher_frame("GiftsLeaderboardUpdated", &j, &format!("channel_{channel}"))
        }
    }
}

/// Keeps at most `max` chars.
fn cut_chars(s: String, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((at, _)) => s[..at].to_string(),
        None => s,
    }
}
