//! The board at a strip length chosen at run time: `Board<N>` has the length as a const
//! generic, so each supported length is one instantiation behind a small trait.

use kickwire_board::{Alert, Board, Config, Rgb};

/// A board of any supported length.
pub trait Strip {
    fn push(&mut self, alert: Alert, now_ms: u64);
    fn set_online(&mut self, online: bool, now_ms: u64);
    fn frame(&mut self, now_ms: u64) -> Vec<Rgb>;
    fn dropped(&self) -> u32;
}

impl<const N: usize> Strip for Board<N> {
    fn push(&mut self, alert: Alert, now_ms: u64) {
        Board::push(self, alert, now_ms);
    }
    fn set_online(&mut self, online: bool, now_ms: u64) {
        Board::set_online(self, online, now_ms);
    }
    fn frame(&mut self, now_ms: u64) -> Vec<Rgb> {
        Board::frame(self, now_ms).to_vec()
    }
    fn dropped(&self) -> u32 {
        Board::dropped(self)
    }
}

macro_rules! boards {
    ($leds:expr, $config:expr; $($n:literal)*) => {
        match $leds {
            $($n => Some(Box::new(Board::<$n>::new($config)) as Box<dyn Strip>),)*
            _ => None,
        }
    };
}

/// A board of `leds` LEDs (`None`: not a supported length, see `options::LED_COUNTS`).
pub fn new(leds: usize, config: Config) -> Option<Box<dyn Strip>> {
    boards!(leds, config;
        1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32
        33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51 52 53 54 55 56 57 58 59 60 61
        62 63 64 72 90 96 100 120 144 150 180 200 240 288 300)
}
