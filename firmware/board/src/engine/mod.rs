//! The animation engine: alerts in, LED frames out.
//!
//! [`Board::frame`] is a pure function of the alerts pushed (with their times), the link state
//! changes and the time asked for: no clock, no global state, no allocation; sparkles come
//! from a hash seeded by the alert's position in the sequence, so a replay gives the same
//! frames and how often frames are drawn does not change what they show.
//!
//! | alert | looks like | lasts |
//! |---|---|---|
//! | `GiftedSubs { count }` | confetti burst; more LEDs, brighter with `count` (all LEDs at 50) | 1.5 s + 0.1 s × count, count capped at 50 (1.6 to 6.5 s) |
//! | `Kicks` | two gold swells over the whole strip | 1.5 s |
//! | `Subscription` | one purple swell over the whole strip | 2 s |
//! | `Host` | a cyan comet running along the strip | 2.5 s |
//! | `Chat` | a few LEDs flicker dim white (one per waiting chat, up to a quarter of the strip) | 0.3 s |
//! | `Live` | green base glow comes on (not queued) | rises in 1 s, stays |
//! | `End` | base glow fades out (not queued) | 3 s |
//!
//! Queued alerts play one at a time, each for its full length, highest priority first
//! (`GiftedSubs` > `Kicks` > `Subscription` > `Host` > `Chat`), in push order within a priority;
//! an alert never starts before it was pushed. The queue holds [`QUEUE_CAPACITY`] alerts;
//! chats pushed while a chat waits join it. When the queue is full the lowest-priority alert
//! goes (the newest of them, or the pushed one if nothing queued is lower) and
//! [`Board::dropped`] counts it. Alerts play over the base glow; while offline LED 0 breathes
//! dim red instead. Last, every channel of every LED is multiplied by
//! `max_brightness / 255`, so no channel exceeds [`Config::max_brightness`] and hues stay.

mod base;
mod curve;
mod effects;
mod noise;
mod show;
mod status;

use self::base::Base;
use self::show::Show;
use self::status::Status;
use crate::alert::Alert;
use crate::color::Rgb;
use crate::queue::{CAPACITY, Queue};

/// How many alerts can wait to be shown (a chat that joined a waiting chat takes no slot).
pub const QUEUE_CAPACITY: usize = CAPACITY;

/// The board's settings.
///
/// ```
/// use kickwire_board::Config;
/// let config = Config { max_brightness: 40 }; // a desk strip on a USB port
/// assert_eq!(Config::default().max_brightness, 96);
/// # let _ = config;
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Config {
    /// The cap on every channel of every LED, 0..=255. Frames are scaled to it, not clipped,
    /// so colours keep their hue.
    pub max_brightness: u8,
}

impl Default for Config {
    /// `max_brightness` 96: about 38 % of full, bright in a room, and a 60-LED strip at full
    /// white then draws about 1.4 A instead of 3.6 A, within a USB-C supply.
    fn default() -> Self {
        Config { max_brightness: 96 }
    }
}

/// The alert board for a strip of `N` LEDs: the alert queue and what is playing, fixed size.
///
/// Feed it alerts with [`push`](Self::push) and the link state with
/// [`set_online`](Self::set_online) as they happen, and ask for [`frame`](Self::frame) at the
/// strip's refresh rate. Times are milliseconds on any monotonic clock, never decreasing.
///
/// ```
/// use kickwire_board::{Alert, Board, Config, Rgb};
/// let mut board: Board<30> = Board::new(Config::default());
/// board.set_online(true, 0);
/// assert!(board.frame(0).iter().all(|px| *px == Rgb::BLACK)); // online and idle: dark
///
/// board.push(Alert::GiftedSubs { count: 50 }, 1_000);
/// let frame = board.frame(1_200);
/// assert!(frame.iter().all(|px| *px != Rgb::BLACK)); // 50 gifts light the whole strip
/// assert!(frame.iter().all(|px| px.r.max(px.g).max(px.b) <= 96)); // the default cap
/// ```
#[derive(Debug)]
pub struct Board<const N: usize> {
    config: Config,
    queue: Queue,
    /// The queued alert playing now, or that played last (cleared on the next step).
    show: Option<Show>,
    /// When the last started alert ends (ms): the next cannot start before.
    free_at: u64,
    /// How many alerts have started: seeds the next one's sparkles.
    shows: u32,
    base: Base,
    status: Status,
    dropped: u32,
}

impl<const N: usize> Board<N> {
    /// A board with nothing queued, not live, and offline (the link is not up at start).
    #[must_use]
    pub const fn new(config: Config) -> Self {
        Board {
            config,
            queue: Queue::new(),
            show: None,
            free_at: 0,
            shows: 0,
            base: Base::Off,
            status: Status::new(),
            dropped: 0,
        }
    }

    /// Queue an alert seen at `now_ms` (milliseconds, monotonic). Never blocks; when the queue
    /// is full the lowest-priority alert goes and [`dropped`](Self::dropped) counts it.
    /// `Live` and `End` are not queued: they switch the base glow at `now_ms`.
    pub fn push(&mut self, alert: Alert, now_ms: u64) {
        // Bring the queue up to `now_ms` first, so that what waits (and what a chat can join)
        // does not depend on when `frame` was last called.
        self.advance(now_ms);
        match alert {
            Alert::Live => self.base = self.base.live(now_ms),
            Alert::End => self.base = self.base.end(now_ms),
            _ => {
                let lost = self.queue.push(alert, now_ms);
                self.dropped = self.dropped.saturating_add(lost);
            }
        }
    }

    /// Whether the link to the server is up (the board shows a dim status pixel, LED 0
    /// breathing red, when not). Call it whenever the link state changes.
    pub fn set_online(&mut self, online: bool, now_ms: u64) {
        self.status.set(online, now_ms);
    }

    /// The strip at `now_ms`: pure function of the alerts pushed and the time. Every channel
    /// is at most [`Config::max_brightness`].
    #[must_use]
    pub fn frame(&mut self, now_ms: u64) -> [Rgb; N] {
        self.advance(now_ms);
        let mut out = [self.base.color(now_ms); N];
        if let Some(show) = &self.show {
            show.draw(now_ms, &mut out);
        }
        if let (Some(color), Some(first)) = (self.status.color(now_ms), out.first_mut()) {
            *first = color;
        }
        for px in &mut out {
            *px = px.scaled(self.config.max_brightness);
        }
        out
    }

    /// Alerts dropped because the queue was full.
    #[must_use]
    pub fn dropped(&self) -> u32 {
        self.dropped
    }

    /// Starts, at their logical times, the queued alerts due by `now`: each starts when the
    /// one before ended or when it was pushed, whichever is later.
    fn advance(&mut self, now: u64) {
        // Each pass starts one queued alert or returns, so this many passes always suffice.
        for _ in 0..=CAPACITY {
            if let Some(show) = &self.show {
                if now < show.end() {
                    return;
                }
                self.show = None;
            }
            let Some(start) = self.queue.next_start(self.free_at) else {
                return;
            };
            if start > now {
                return;
            }
            let Some(entry) = self.queue.take(start) else {
                return;
            };
            let show = Show::new(entry, start, self.shows);
            self.shows = self.shows.wrapping_add(1);
            self.free_at = show.end();
            self.show = Some(show);
        }
    }
}
