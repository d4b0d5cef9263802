//! What the strip shows for each alert, with values worked out by hand from the documented
//! colours, lengths and levels (`src/engine/mod.rs` table; default cap 96, so a channel `c`
//! shows as `c * 96 / 255` rounded down).
#![allow(clippy::arithmetic_side_effects, clippy::indexing_slicing)]

mod common;

use common::{brightest, dark, energy, lit};
use kickwire_board::{Alert, Board, Config, Rgb};

/// A board on the default config whose link is up.
fn online<const N: usize>() -> Board<N> {
    let mut board = Board::new(Config::default());
    board.set_online(true, 0);
    board
}

#[test]
fn idle_strip_is_dark_when_online() {
    let mut board: Board<8> = online();
    for now in [0, 1_000, 60_000, 3_600_000] {
        assert!(dark(&board.frame(now)), "at {now} ms");
    }
}

#[test]
fn offline_strip_shows_only_the_status_pixel() {
    let mut board: Board<8> = Board::new(Config::default());
    // Red breathing between 24 and 72 of 255 over 2 s: 24 * 96 / 255 = 9 at the start of a
    // breath, 72 * 96 / 255 = 27 halfway.
    let frame = board.frame(0);
    assert_eq!(frame[0], Rgb::new(9, 0, 0));
    assert!(dark(&frame[1..]));
    let frame = board.frame(1_000);
    assert_eq!(frame[0], Rgb::new(27, 0, 0));
    assert!(dark(&frame[1..]));
    board.set_online(true, 1_500);
    assert!(dark(&board.frame(1_500)));
}

/// Frames every 10 ms from `from` to `to` (ms).
fn run<const N: usize>(board: &mut Board<N>, from: u64, to: u64) -> Vec<[Rgb; N]> {
    (from / 10..to / 10).map(|i| board.frame(i * 10)).collect()
}

#[test]
fn a_bigger_gift_bursts_bigger() {
    let mut one: Board<60> = online();
    one.push(Alert::GiftedSubs { count: 1 }, 0);
    let one = run(&mut one, 0, 8_000);
    let mut fifty: Board<60> = online();
    fifty.push(Alert::GiftedSubs { count: 50 }, 0);
    let fifty = run(&mut fifty, 0, 8_000);

    // 50 gifts light every LED once the 120 ms attack is over; 1 gift about 12 % of them.
    assert_eq!(lit(&fifty[12]), 60);
    assert!(one.iter().all(|f| lit(f) <= 20));
    assert!(one.iter().any(|f| lit(f) >= 1));
    // Brighter: one gift peaks at 97 of 255 (97 * 96 / 255 = 36 after the cap); 50 gifts at
    // 255, each sparkle between half and full of that, so at least 128 * 96 / 255 = 48.
    assert!(fifty.iter().any(|f| brightest(f) >= 48));
    assert!(one.iter().all(|f| brightest(f) <= 36));
    // Longer: 1.5 s + 0.1 s per gift, so 1.6 s and 6.5 s.
    assert!(dark(&one[160]));
    assert!(!dark(&fifty[600]));
    assert!(dark(&fifty[650]));
    // And in all far more light.
    let total = |frames: &[[Rgb; 60]]| frames.iter().map(|f| energy(f)).sum::<u64>();
    assert!(total(&fifty) > 10 * total(&one));
}

#[test]
fn a_subscription_pulse_rises_and_falls_back_to_idle() {
    let mut board: Board<10> = online();
    board.push(Alert::Subscription { months: 3 }, 1_000);
    // Purple (170, 40, 255) over 2 s, level = triangle squared: 0 at the start, at a quarter
    // 127² / 255 = 63, full halfway.
    assert!(dark(&board.frame(1_000)));
    // 63 of 255: (42, 9, 63), capped to (15, 3, 23).
    assert_eq!(board.frame(1_500), [Rgb::new(15, 3, 23); 10]);
    assert_eq!(board.frame(2_000), [Rgb::new(64, 15, 96); 10]);
    assert_eq!(board.frame(2_500), [Rgb::new(15, 3, 23); 10]);
    assert!(dark(&board.frame(3_000)));
    assert!(dark(&board.frame(10_000)));
}

#[test]
fn live_turns_a_green_glow_on() {
    let mut board: Board<5> = online();
    board.push(Alert::Live, 0);
    // Kick green (83, 252, 24) at 72 of 255 after a 1 s rise: (23, 71, 6), capped (8, 26, 2).
    // Halfway up, 36 of 255: (11, 35, 3), capped (4, 13, 1).
    assert!(dark(&board.frame(0)));
    assert_eq!(board.frame(500), [Rgb::new(4, 13, 1); 5]);
    assert_eq!(board.frame(1_000), [Rgb::new(8, 26, 2); 5]);
    assert_eq!(board.frame(600_000), [Rgb::new(8, 26, 2); 5]);
    // A second `Live` (both channels report it) does not restart the rise.
    board.push(Alert::Live, 600_000);
    assert_eq!(board.frame(600_000), [Rgb::new(8, 26, 2); 5]);
}

#[test]
fn end_fades_to_dark_within_three_seconds() {
    let mut board: Board<5> = online();
    board.push(Alert::Live, 0);
    board.push(Alert::End, 10_000);
    assert_eq!(board.frame(10_000), [Rgb::new(8, 26, 2); 5]);
    // Halfway down, 36 of 255, as halfway up.
    assert_eq!(board.frame(11_500), [Rgb::new(4, 13, 1); 5]);
    let fading = run(&mut board, 10_000, 13_000);
    assert!(fading.windows(2).all(|w| w[1][0].g <= w[0][0].g));
    assert!(dark(&board.frame(13_000)));
    assert!(dark(&board.frame(20_000)));
}

#[test]
fn alerts_play_over_the_glow_without_changing_its_hue_by_clipping() {
    let mut board: Board<4> = online();
    board.push(Alert::Live, 0);
    board.push(Alert::Subscription { months: 1 }, 2_000);
    // Glow (23, 71, 6) + purple peak (170, 40, 255) = (193, 111, 261): the pixel is dimmed to
    // fit, 255/261, to (188, 108, 255), then capped: (70, 40, 96).
    assert_eq!(board.frame(3_000), [Rgb::new(70, 40, 96); 4]);
    // After the pulse, the glow again.
    assert_eq!(board.frame(4_000), [Rgb::new(8, 26, 2); 4]);
}

#[test]
fn a_chat_flickers_one_led_briefly() {
    let mut board: Board<30> = online();
    board.push(Alert::Chat, 0);
    // 300 ms; at 100 ms it is in its dim phase (64 of 255), faded by a third: 43 of 255.
    // Cool white (120, 120, 160) at 43: (20, 20, 26), capped (7, 7, 9).
    let frame = board.frame(100);
    assert_eq!(lit(&frame), 1);
    assert!(frame.contains(&Rgb::new(7, 7, 9)));
    assert!(dark(&board.frame(300)));
}

#[test]
fn a_host_runs_a_cyan_comet_along_the_strip() {
    let mut board: Board<20> = online();
    board.push(Alert::Host { viewers: 30 }, 0);
    // Head at t * (20 + 5) / 2500: LED 10 at 1000 ms, and its tail of 5 behind it.
    let frame = board.frame(1_000);
    assert_eq!(frame[10], Rgb::new(0, 75, 96)); // cyan (0, 200, 255) at full, capped
    assert_eq!(lit(&frame), 5);
    assert!(dark(&frame[11..]));
    assert!(dark(&frame[..6]));
    assert!(frame.iter().all(|px| px.r == 0));
    assert!(dark(&board.frame(2_500)));
}
