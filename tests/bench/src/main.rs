//! kickwire-bench: kickwire-proto against serde_json (owned) and simd-json (borrowed), both doing
//! the same double decode, over a deterministic corpus plus the real vectors.
//!
//! ```text
//! kickwire-bench                                   timing + allocations; last line `BENCH ...`
//! kickwire-bench dump                             print the corpus, one frame a line
//! kickwire-bench callgrind <decoder> <reps>        decode the corpus <reps> times with one
//!                                                  decoder (kickwire | serde_json | simd_json |
//!                                                  kickwire_into | kickwire_conn |
//!                                                  kickwire_alerts)
//! ```
//! Environment: `BENCH_ROUND_MS` (time per decoder per round, default 300), `BENCH_ROUNDS`
//! (default 5), `KICKWIRE_VECTORS` (the real vectors' folder).
//!
//! scripts/bench.sh builds and runs both modes.

mod baseline;
mod corpus;

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::{Duration, Instant};

use kickwire_proto::alerts::Alerts;
use kickwire_proto::conn::{
    Config as ConnConfig, Connection, Instant as ConnInstant, State as ConnState,
};
use kickwire_proto::kick::{Event, EventKind};
use kickwire_proto::{Message, Transport, decode, limits::MAX_PAYLOAD};

// --- counting allocator ------------------------------------------------------------------------

struct Counting;

static ALLOCS: AtomicU64 = AtomicU64::new(0);
static REALLOCS: AtomicU64 = AtomicU64::new(0);
static BYTES: AtomicU64 = AtomicU64::new(0);

// SAFETY: forwards every call to `System` unchanged; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Relaxed);
        BYTES.fetch_add(layout.size() as u64, Relaxed);
        // SAFETY: same contract as ours.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Relaxed);
        BYTES.fetch_add(layout.size() as u64, Relaxed);
        // SAFETY: same contract as ours.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        REALLOCS.fetch_add(1, Relaxed);
        BYTES.fetch_add(new_size.saturating_sub(layout.size()) as u64, Relaxed);
        // SAFETY: same contract as ours.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as ours.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

#[derive(Clone, Copy, Default)]
struct AllocCount {
    allocs: u64,
    reallocs: u64,
    bytes: u64,
}

fn alloc_snapshot() -> AllocCount {
    AllocCount {
        allocs: ALLOCS.load(Relaxed),
        reallocs: REALLOCS.load(Relaxed),
        bytes: BYTES.load(Relaxed),
    }
}

/// Allocations made while `f` runs.
fn count_allocs<R>(f: impl FnOnce() -> R) -> (R, AllocCount) {
    let a = alloc_snapshot();
    let r = f();
    let b = alloc_snapshot();
    (
        r,
        AllocCount {
            allocs: b.allocs - a.allocs,
            reallocs: b.reallocs - a.reallocs,
            bytes: b.bytes - a.bytes,
        },
    )
}

// --- the three decoders ------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Decoder {
    /// `decode()` drained as an iterator: each item is a `Message` moved out (the headline).
    Kickwire,
    SerdeJson,
    SimdJson,
    /// `Messages::next_into` into one reused `Message`: the copy-free path (extra row).
    KickwireInto,
    /// A Pusher `Connection` (handshake done) handed each frame, its Kick events read with
    /// `Received::next_into`, its frames and lifecycle events drained: what a driver pays
    /// (extra row; each frame is first copied, as a socket's buffer would hold it).
    KickwireConn,
    /// `Messages::next_into` as `KickwireInto`, each Kick event handed to an alert machine
    /// (`alerts::Alerts`, default capacities) and its alerts drained: what a front end that
    /// shows alerts pays (extra row; its errors column counts the alerts told).
    KickwireAlerts,
}

const DECODERS: [Decoder; 6] = [
    Decoder::Kickwire,
    Decoder::SerdeJson,
    Decoder::SimdJson,
    Decoder::KickwireInto,
    Decoder::KickwireConn,
    Decoder::KickwireAlerts,
];

impl Decoder {
    fn name(self) -> &'static str {
        match self {
            Self::Kickwire => "kickwire",
            Self::SerdeJson => "serde_json",
            Self::SimdJson => "simd_json",
            Self::KickwireInto => "kickwire_into",
            Self::KickwireConn => "kickwire_conn",
            Self::KickwireAlerts => "kickwire_alerts",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        DECODERS.into_iter().find(|d| d.name() == s)
    }
}

/// State each decoder keeps across frames, made before anything is measured.
struct State {
    scratch: Vec<u8>,
    simd: baseline::SimdState,
    out: Box<Message>,
    conn: Box<Connection>,
    /// The frame being handed to the connection (it decodes in place).
    message: Vec<u8>,
    /// Room for the connection's frames (pongs).
    tx: Vec<u8>,
    alerts: Box<Alerts>,
    /// The alert machine's clock, in ms: on by 1 ms a frame and an hour a pass, so that each
    /// pass finds its happenings new (the corpus repeats) and no pass measures copies only.
    clock: u64,
}

impl State {
    fn new() -> Self {
        let mut st = Self {
            scratch: vec![0u8; MAX_PAYLOAD],
            simd: baseline::SimdState::new(),
            out: Box::default(),
            conn: Box::new(ready_connection()),
            message: Vec::with_capacity(MAX_PAYLOAD),
            tx: vec![0u8; 4096],
            alerts: Box::default(),
            clock: 0,
        };
        drain(&mut st.conn, &mut st.tx);
        st
    }
}

/// The instant every frame is handed in at: no timer of the connection ever comes due.
const NOW: ConnInstant = ConnInstant::from_millis(1_000);

/// A Pusher connection past its handshake, subscribed to nothing (events of any channel come
/// through all the same).
fn ready_connection() -> Connection {
    let url = "ws://127.0.0.1:6001/app/key?protocol=7";
    let mut conn =
        Connection::new(Transport::Pusher, url, ConnConfig::default()).expect("a valid URL");
    conn.connect(ConnInstant::from_millis(0));
    let mut tx = [0u8; 1024];
    drain(&mut conn, &mut tx);
    conn.handle_open(ConnInstant::from_millis(1));
    let mut hello = br#"{"event":"pusher:connection_established","data":"{\"socket_id\":\"1.2\",\"activity_timeout\":120}"}"#.to_vec();
    conn.handle_message(ConnInstant::from_millis(2), &mut hello)
        .for_each(drop);
    drain(&mut conn, &mut tx);
    assert_eq!(
        conn.state(),
        ConnState::Connected,
        "the handshake went through"
    );
    conn
}

/// What a driver does after each input: take every frame and lifecycle event.
fn drain(conn: &mut Connection, tx: &mut [u8]) {
    while let Ok(Some(t)) = conn.poll_transmit(tx) {
        black_box(&t);
    }
    while let Some(e) = conn.poll_event() {
        black_box(&e);
    }
}

/// One pass over the corpus; returns the number of frames that did not decode.
#[inline(never)]
fn pass(decoder: Decoder, frames: &[Vec<u8>], st: &mut State) -> u64 {
    match decoder {
        Decoder::Kickwire => pass_kickwire(frames, &mut st.scratch),
        Decoder::SerdeJson => pass_serde_json(frames),
        Decoder::SimdJson => pass_simd_json(frames, &mut st.simd),
        Decoder::KickwireInto => pass_kickwire_into(frames, &mut st.scratch, &mut st.out),
        Decoder::KickwireConn => pass_kickwire_conn(frames, st),
        Decoder::KickwireAlerts => pass_kickwire_alerts(frames, st),
    }
}

/// Returns the number of alerts told.
#[inline(never)]
fn pass_kickwire_alerts(frames: &[Vec<u8>], st: &mut State) -> u64 {
    let mut told = 0;
    st.clock += 3_600_000;
    for frame in frames {
        st.clock += 1;
        let now = ConnInstant::from_millis(st.clock);
        let mut messages = decode(black_box(frame), &mut st.scratch);
        while let Some(result) = messages.next_into(&mut st.out) {
            if let (Ok(()), Message::Kick { event, .. }) = (result, &*st.out) {
                st.alerts.handle_event(now, event);
            }
        }
        while let Some(alert) = st.alerts.poll_alert() {
            told += 1;
            black_box(&alert);
        }
    }
    st.alerts.finish(ConnInstant::from_millis(st.clock));
    while let Some(alert) = st.alerts.poll_alert() {
        told += 1;
        black_box(&alert);
    }
    told
}

/// Returns the number of Kick events read (the connection reports bad frames as events).
#[inline(never)]
fn pass_kickwire_conn(frames: &[Vec<u8>], st: &mut State) -> u64 {
    let mut events = 0;
    for frame in frames {
        st.message.clear();
        st.message.extend_from_slice(black_box(frame));
        let mut received = st.conn.handle_message(NOW, &mut st.message);
        while received.next_into(&mut st.out).is_some() {
            events += 1;
            black_box(&*st.out);
        }
        drain(&mut st.conn, &mut st.tx);
    }
    events
}

#[inline(never)]
fn pass_kickwire_into(frames: &[Vec<u8>], scratch: &mut [u8], out: &mut Message) -> u64 {
    let mut errors = 0;
    for frame in frames {
        let mut messages = decode(black_box(frame), scratch);
        while let Some(result) = messages.next_into(out) {
            errors += u64::from(result.is_err());
            black_box(&*out);
        }
    }
    errors
}

#[inline(never)]
fn pass_kickwire(frames: &[Vec<u8>], scratch: &mut [u8]) -> u64 {
    let mut errors = 0;
    for frame in frames {
        for message in decode(black_box(frame), scratch) {
            errors += u64::from(message.is_err());
            black_box(&message);
        }
    }
    errors
}

#[inline(never)]
fn pass_serde_json(frames: &[Vec<u8>]) -> u64 {
    let mut errors = 0;
    for frame in frames {
        let event = baseline::serde_json_decode(black_box(frame));
        errors += u64::from(event.is_err());
        black_box(&event);
    }
    errors
}

#[inline(never)]
fn pass_simd_json(frames: &[Vec<u8>], st: &mut baseline::SimdState) -> u64 {
    let mut errors = 0;
    for frame in frames {
        errors += baseline::simd_json_decode(black_box(frame), st, |event| {
            black_box(&event);
            u64::from(event.is_err())
        });
    }
    errors
}

// --- cross-check -------------------------------------------------------------------------------

/// Checks that the three decoders agree on what each frame is (and, for chat, on its text), so
/// the comparison is between equal work. Returns a list of disagreements.
fn cross_check(c: &corpus::Corpus, st: &mut State) -> Vec<String> {
    // Every kind of the event table, whether the corpus has it or not.
    let mut problems: Vec<String> = EventKind::ALL
        .into_iter()
        .filter(|kind| !baseline::mirrors(*kind))
        .map(|kind| format!("the baselines do not mirror {kind:?}"))
        .collect();
    for (i, frame) in c.frames.iter().enumerate() {
        let kw: Vec<Result<Message, _>> = decode(frame, &mut st.scratch).collect();
        let kw_kind = match kw.first() {
            Some(Ok(Message::Kick { event, .. })) => format!("{:?}", event.kind()),
            Some(Ok(Message::Control { .. })) => "Control".to_string(),
            Some(Err(e)) => format!("error: {e}"),
            None => "nothing".to_string(),
        };
        let kw_chat = match kw.first() {
            Some(Ok(Message::Kick {
                event: Event::ChatMessage(m),
                ..
            })) => Some((
                m.content.as_str().to_string(),
                m.sender.username.as_str().to_string(),
            )),
            _ => None,
        };
        let sj = baseline::serde_json_decode(frame);
        let (sj_kind, sj_chat) = match &sj {
            Ok(f) => (f.kind_name(), f.chat_text()),
            Err(()) => ("error".to_string(), None),
        };
        let (simd_kind, simd_chat) = baseline::simd_json_decode(frame, &mut st.simd, |f| match f {
            Ok(f) => (f.kind_name(), f.chat_text()),
            Err(()) => ("error".to_string(), None),
        });
        // Frames that are no Kick event (Centrifugo replies, client commands) may be named
        // differently; only a disagreement on a Kick event matters.
        let relevant = |k: &str| {
            !matches!(k, "Control" | "nothing" | "Unknown") && !k.starts_with("error: not")
        };
        if (relevant(&kw_kind) || relevant(&sj_kind))
            && (kw_kind != sj_kind || sj_kind != simd_kind)
        {
            problems.push(format!(
                "frame {i}: kickwire {kw_kind}, serde_json {sj_kind}, simd_json {simd_kind}"
            ));
        }
        if kw_chat != sj_chat || sj_chat != simd_chat {
            problems.push(format!(
                "frame {i}: chat text differs: {kw_chat:?} / {sj_chat:?} / {simd_chat:?}"
            ));
        }
    }
    problems
}

impl<S: AsRef<str>> baseline::Frame<S> {
    /// The kind as the cross-check names it (`EventKind`'s Debug form, or `Control`).
    fn kind_name(&self) -> String {
        match self {
            Self::Kick(kind, _) => format!("{kind:?}"),
            Self::Control => "Control".to_string(),
        }
    }

    /// A chat message's text and sender.
    fn chat_text(&self) -> Option<(String, String)> {
        match self {
            Self::Kick(_, baseline::Event::ChatMessage(m)) => {
                Some((m.content_str().to_string(), m.sender_username().to_string()))
            }
            _ => None,
        }
    }
}

// --- timing ------------------------------------------------------------------------------------

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

struct Timing {
    best_pass: Duration,
    passes: u64,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        None | Some("bench") => bench(),
        Some("dump") => {
            // The corpus, one frame a line (to inspect it, or to feed another decoder).
            for frame in corpus::build().frames {
                println!("{}", String::from_utf8_lossy(&frame));
            }
        }
        Some("callgrind") => {
            let decoder = args
                .get(1)
                .and_then(|d| Decoder::parse(d))
                .unwrap_or_else(|| usage());
            let reps: u64 = args
                .get(2)
                .and_then(|r| r.parse().ok())
                .unwrap_or_else(|| usage());
            callgrind(decoder, reps);
        }
        Some(_) => usage(),
    }
}

fn usage() -> ! {
    eprintln!(
        "usage: kickwire-bench [bench] | kickwire-bench dump | kickwire-bench callgrind <kickwire|serde_json|simd_json|kickwire_into> <reps>"
    );
    std::process::exit(2)
}

/// Decodes the corpus `reps` times with one decoder: run under callgrind, minus a 0-rep run.
///
/// With `KICKWIRE_BENCH_FAMILY` set to a corpus kind (`Chat`, `Subscription`, `Real`, ... as
/// the bench's corpus table names them), only that family's frames: instructions per frame
/// per event family.
fn callgrind(decoder: Decoder, reps: u64) {
    let mut c = corpus::build();
    if let Ok(family) = std::env::var("KICKWIRE_BENCH_FAMILY") {
        c.keep_only(&family);
        if c.len() == 0 {
            eprintln!("no frame of family {family:?} in the corpus");
            std::process::exit(2);
        }
    }
    let mut st = State::new();
    let mut errors = 0;
    for _ in 0..reps {
        errors += pass(decoder, black_box(&c.frames), &mut st);
    }
    println!(
        "CALLGRIND decoder={} reps={reps} frames={} bytes={} errors={errors}",
        decoder.name(),
        c.len(),
        c.bytes
    );
}

fn bench() {
    let c = corpus::build();
    let mut st = State::new();
    let frames = c.len() as u64;

    // Corpus summary.
    use corpus::Kind as K;
    let generated = frames - c.count(K::Real) as u64;
    println!(
        "corpus: {} frames, {} bytes ({:.0} B/frame avg), seed {:#x}",
        frames,
        c.bytes,
        c.bytes as f64 / frames as f64,
        corpus::SEED
    );
    println!(
        "  generated {generated}: chat {} ({:.1} %), ping {}, sub {}, gifted subs {}, kicks {}, ban {}, delete {}, poll {}, leaderboard {}",
        c.count(K::Chat),
        100.0 * c.count(K::Chat) as f64 / generated.max(1) as f64,
        c.count(K::Ping),
        c.count(K::Subscription),
        c.count(K::GiftedSubscriptions),
        c.count(K::KicksGifted),
        c.count(K::UserBanned),
        c.count(K::MessageDeleted),
        c.count(K::PollUpdate),
        c.count(K::GiftsLeaderboard),
    );
    match &c.vectors_dir {
        Some(dir) => println!(
            "  real vectors {} (from {})",
            c.count(K::Real),
            dir.canonicalize().unwrap_or_else(|_| dir.clone()).display()
        ),
        None => println!("  real vectors: none found (set KICKWIRE_VECTORS)"),
    }

    // Same answers from all three, or the comparison means nothing.
    let problems = cross_check(&c, &mut st);
    if problems.is_empty() {
        println!("cross-check: kickwire, serde_json and simd_json agree on every frame");
    } else {
        println!("cross-check: {} disagreements:", problems.len());
        for p in problems.iter().take(20) {
            println!("  {p}");
        }
    }

    // Warm up and count errors and allocations of one pass each (after a first pass, so that
    // reusable buffers have their size).
    let mut errors = [0u64; DECODERS.len()];
    let mut allocs = [AllocCount::default(); DECODERS.len()];
    for (i, d) in DECODERS.into_iter().enumerate() {
        pass(d, &c.frames, &mut st);
        let (e, a) = count_allocs(|| pass(d, &c.frames, &mut st));
        errors[i] = e;
        allocs[i] = a;
    }

    // Calibrate: passes per round so that each decoder runs about BENCH_ROUND_MS per round.
    let round = Duration::from_millis(env_u64("BENCH_ROUND_MS", 300));
    let rounds = env_u64("BENCH_ROUNDS", 5).max(1);
    let mut timings: Vec<Timing> = DECODERS
        .into_iter()
        .map(|d| {
            let t = Instant::now();
            pass(d, &c.frames, &mut st);
            let one = t.elapsed().max(Duration::from_micros(1));
            let passes = (round.as_secs_f64() / one.as_secs_f64()).ceil().max(1.0) as u64;
            Timing {
                best_pass: Duration::MAX,
                passes,
            }
        })
        .collect();
    // Interleaved rounds, the order rotating, best of all rounds.
    for r in 0..rounds as usize {
        for k in 0..DECODERS.len() {
            let i = (r + k) % DECODERS.len();
            let d = DECODERS[i];
            let t = Instant::now();
            for _ in 0..timings[i].passes {
                black_box(pass(d, black_box(&c.frames), &mut st));
            }
            let per_pass = t.elapsed() / timings[i].passes as u32;
            timings[i].best_pass = timings[i].best_pass.min(per_pass);
        }
    }

    println!();
    println!(
        "{:<13} {:>9} {:>9} {:>8} {:>13} {:>15} {:>12} {:>7}",
        "decoder",
        "ns/frame",
        "MB/s",
        "x kw",
        "allocs/frame",
        "reallocs/frame",
        "bytes/frame",
        "errors"
    );
    let kw = timings[0].best_pass.as_secs_f64();
    for (i, d) in DECODERS.into_iter().enumerate() {
        let t = timings[i].best_pass.as_secs_f64();
        println!(
            "{:<13} {:>9.1} {:>9.1} {:>8.2} {:>13.2} {:>15.2} {:>12.1} {:>7}",
            d.name(),
            t * 1e9 / frames as f64,
            c.bytes as f64 / t / 1e6,
            t / kw,
            allocs[i].allocs as f64 / frames as f64,
            allocs[i].reallocs as f64 / frames as f64,
            allocs[i].bytes as f64 / frames as f64,
            errors[i],
        );
    }
    println!(
        "(best of {rounds} interleaved rounds, passes per round: {}; x kw = time / kickwire's time)",
        timings
            .iter()
            .map(|t| t.passes.to_string())
            .collect::<Vec<_>>()
            .join(" / ")
    );
    println!(
        "(kickwire = decode() drained as an iterator, the BENCH ratios; kickwire_into = Messages::next_into into one reused Message; kickwire_conn = a Pusher Connection's handle_message + Received::next_into, frames and events drained; its errors column counts Kick events read; kickwire_alerts = next_into + an alert machine fed every event, its alerts drained; its errors column counts alerts told)"
    );
    // What a driver pays over bare decoding, same run: 1.00 is no overhead.
    println!(
        "CONN conn_vs_decode={:.2}",
        kw / timings[4].best_pass.as_secs_f64()
    );
    // The alert machine on top of next_into, same run: alerts per second over the corpus and
    // the machine's bytes (all its state: queue, key rings, gifts, first-words set).
    let alerts_pass = timings[5].best_pass.as_secs_f64();
    println!(
        "ALERTS alerts_vs_decode={:.2} alerts_per_sec={:.0} alerts_per_pass={} frames_per_pass={frames} state_bytes={}",
        kw / alerts_pass,
        errors[5] as f64 / alerts_pass,
        errors[5],
        core::mem::size_of::<Alerts>()
    );
    let event_bytes = core::mem::size_of::<Event>();
    let message_bytes = core::mem::size_of::<Message>();
    println!(
        "sizes: kick::Event = {event_bytes} B, Message = {message_bytes} B, Result<Message, DecodeError> = {} B",
        core::mem::size_of::<Result<Message, kickwire_proto::DecodeError>>()
    );
    let kw_allocs = allocs[0].allocs + allocs[0].reallocs;
    let allocs_per_frame = if kw_allocs == 0 {
        "0".to_string()
    } else {
        format!("{:.3}", kw_allocs as f64 / frames as f64)
    };
    println!(
        "BENCH decode_vs_serde_json={:.2} decode_vs_simd_json={:.2} allocs_per_frame={allocs_per_frame} max_event_bytes={event_bytes}",
        timings[1].best_pass.as_secs_f64() / kw,
        timings[2].best_pass.as_secs_f64() / kw,
    );
}
