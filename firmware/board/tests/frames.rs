//! Properties of every frame: the brightness cap, determinism, and any strip length.
#![allow(clippy::arithmetic_side_effects, clippy::indexing_slicing)]

mod common;

use common::{brightest, dark, lit};
use kickwire_board::{Alert, Board, Config, Rgb};

/// A busy stream: every kind of alert, often, for `minutes`; pushed into `board` while frames
/// are drawn every `step` ms. Returns the frames at multiples of 100 ms.
fn busy<const N: usize>(board: &mut Board<N>, minutes: u64, step: u64) -> Vec<(u64, [Rgb; N])> {
    let alerts = [
        Alert::Live,
        Alert::GiftedSubs { count: 100 },
        Alert::Chat,
        Alert::Kicks { amount: 500 },
        Alert::Chat,
        Alert::Subscription { months: 12 },
        Alert::Host { viewers: 40 },
        Alert::GiftedSubs { count: 1 },
        Alert::Chat,
        Alert::End,
        Alert::GiftedSubs { count: 0 },
        Alert::Live,
    ];
    let mut kept = Vec::new();
    let mut next = 0;
    let mut now = 0;
    while now < minutes * 60_000 {
        // An alert every 700 ms, the link dropping for 5 s every minute.
        if now % 700 == 0 {
            board.push(alerts[next % alerts.len()], now);
            next += 1;
        }
        if now % 60_000 == 0 {
            board.set_online(false, now);
        }
        if now % 60_000 == 5_000 {
            board.set_online(true, now);
        }
        let frame = board.frame(now);
        if now % 100 == 0 {
            kept.push((now, frame));
        }
        now += step;
    }
    kept
}

#[test]
fn no_channel_ever_exceeds_the_cap() {
    for cap in [0, 1, 50, 96, 255] {
        let mut board: Board<60> = Board::new(Config {
            max_brightness: cap,
        });
        let frames = busy(&mut board, 5, 10);
        assert!(frames.iter().all(|(_, f)| brightest(f) <= cap), "cap {cap}");
        // The busy run really does light the strip; at cap 1 only channels at full (255 of
        // 255) still show, and at cap 0 nothing does.
        match cap {
            0 => assert!(frames.iter().all(|(_, f)| dark(f))),
            1 => assert!(frames.iter().any(|(_, f)| !dark(f))),
            _ => assert!(frames.iter().any(|(_, f)| lit(f) > 30), "cap {cap}"),
        }
    }
}

#[test]
fn the_cap_scales_colours_instead_of_clipping_them() {
    let mut board: Board<2> = Board::new(Config { max_brightness: 50 });
    board.set_online(true, 0);
    board.push(Alert::Subscription { months: 1 }, 0);
    // Purple (170, 40, 255) * 50 / 255 = (33, 7, 50): still purple, not (50, 40, 50).
    assert_eq!(board.frame(1_000), [Rgb::new(33, 7, 50); 2]);
}

#[test]
fn same_pushes_and_times_give_the_same_frames() {
    let mut a: Board<60> = Board::new(Config::default());
    let mut b: Board<60> = Board::new(Config::default());
    assert_eq!(busy(&mut a, 3, 10), busy(&mut b, 3, 10));
}

#[test]
fn frames_do_not_depend_on_how_often_they_are_drawn() {
    let mut often: Board<60> = Board::new(Config::default());
    let mut seldom: Board<60> = Board::new(Config::default());
    // 10 ms against 100 ms between frames: the frames at each 100 ms are the same.
    assert_eq!(busy(&mut often, 3, 10), busy(&mut seldom, 3, 100));
}

#[test]
fn empty_and_single_led_strips_work() {
    let mut none: Board<0> = Board::new(Config::default());
    assert!(busy(&mut none, 2, 10).iter().all(|(_, f)| f.is_empty()));

    let mut one: Board<1> = Board::new(Config::default());
    let frames = busy(&mut one, 2, 10);
    assert!(frames.iter().all(|(_, f)| brightest(f) <= 96));
    // A single gift still shows on a single LED.
    let mut one: Board<1> = Board::new(Config::default());
    one.set_online(true, 0);
    one.push(Alert::GiftedSubs { count: 1 }, 0);
    assert!((0..160).any(|i| lit(&one.frame(i * 10)) == 1));
}

#[test]
fn far_future_and_repeated_times_do_not_panic() {
    let mut board: Board<8> = Board::new(Config::default());
    for now in [u64::MAX - 1, u64::MAX, u64::MAX, 0] {
        board.push(Alert::GiftedSubs { count: u32::MAX }, now);
        board.push(Alert::Live, now);
        board.set_online(true, now);
        let _ = board.frame(now);
    }
}
