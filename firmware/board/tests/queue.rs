//! The alert queue as seen on the strip: priority order, chat coalescing, drops when full.
//! Start times follow from the documented lengths (gift 1.5 s + 0.1 s per gift, Kicks 1.5 s,
//! sub 2 s, host 2.5 s, chat 0.3 s); colours are the documented ones after the default cap.
#![allow(clippy::arithmetic_side_effects, clippy::indexing_slicing)]

mod common;

use common::{dark, lit};
use kickwire_board::{Alert, Board, Config, QUEUE_CAPACITY, Rgb};

fn online<const N: usize>() -> Board<N> {
    let mut board = Board::new(Config::default());
    board.set_online(true, 0);
    board
}

/// Sub peak (purple), Kicks peak (gold), after the cap of 96.
const PURPLE: Rgb = Rgb::new(64, 15, 96);
const GOLD: Rgb = Rgb::new(96, 64, 0);

#[test]
fn gifts_play_before_a_chat_queued_earlier() {
    let mut board: Board<30> = online();
    board.push(Alert::Subscription { months: 1 }, 0); // plays 0..2000
    board.push(Alert::Chat, 100);
    board.push(Alert::GiftedSubs { count: 50 }, 200);
    // At 2000 the gift starts (6.5 s, to 8500), lighting every LED; then the chat (to 8800).
    assert_eq!(board.frame(1_000), [PURPLE; 30]);
    assert_eq!(lit(&board.frame(2_200)), 30);
    assert_eq!(lit(&board.frame(5_000)), 30); // 3 s in, still at 140 of 255
    assert_eq!(lit(&board.frame(8_600)), 1);
    assert!(dark(&board.frame(8_800)));
    assert_eq!(board.dropped(), 0);
}

#[test]
fn queued_alerts_play_highest_priority_first() {
    let mut board: Board<12> = online();
    board.push(Alert::Chat, 0); // plays 0..300 and keeps the rest waiting
    board.push(Alert::Host { viewers: 5 }, 10);
    board.push(Alert::Subscription { months: 1 }, 10);
    board.push(Alert::Kicks { amount: 100 }, 10);
    board.push(Alert::GiftedSubs { count: 1 }, 10);
    // Gift 300..1900, Kicks 1900..3400 (first swell peaks at 375 ms), sub 3400..5400 (peak at
    // 1 s), host 5400..7900.
    assert!(!dark(&board.frame(1_000)));
    assert_eq!(board.frame(1_900 + 375), [GOLD; 12]);
    assert_eq!(board.frame(3_400 + 1_000), [PURPLE; 12]);
    // The comet's head is at LED 0 when the host starts: cyan (0, 200, 255) capped.
    let host = board.frame(5_400);
    assert_eq!(host[0], Rgb::new(0, 75, 96));
    assert!(dark(&board.frame(7_900)));
}

#[test]
fn equal_priorities_play_in_push_order() {
    let mut board: Board<3> = online();
    board.push(Alert::Chat, 0);
    board.push(Alert::Subscription { months: 1 }, 10);
    board.push(Alert::Kicks { amount: 1 }, 20);
    board.push(Alert::Kicks { amount: 2 }, 30);
    // Chat 0..300, Kicks 300..1800, Kicks 1800..3300, sub 3300..5300.
    assert_eq!(board.frame(300 + 375), [GOLD; 3]);
    assert_eq!(board.frame(1_800 + 375), [GOLD; 3]);
    assert_eq!(board.frame(3_300 + 1_000), [PURPLE; 3]);
}

#[test]
fn chats_coalesce_into_one_flicker() {
    let mut board: Board<40> = online();
    board.push(Alert::Subscription { months: 1 }, 0); // plays 0..2000
    for i in 0..500 {
        board.push(Alert::Chat, 100 + i);
    }
    // 500 chats wait as one flicker (2000..2300) of up to 40 / 4 = 10 LEDs, then nothing.
    assert_eq!(board.dropped(), 0);
    let flicker = board.frame(2_010);
    assert!((1..=10).contains(&lit(&flicker)));
    assert!(dark(&board.frame(2_300)));
    assert!(dark(&board.frame(5_000)));
}

#[test]
fn a_full_queue_drops_chat_first_and_counts_exactly() {
    let mut board: Board<10> = online();
    board.push(Alert::Subscription { months: 1 }, 0); // playing: not in the queue
    for i in 0..4 {
        board.push(Alert::Chat, 1 + i); // one waiting entry standing for 4 chats
    }
    for i in 0..QUEUE_CAPACITY as u64 - 1 {
        board.push(Alert::Host { viewers: 1 }, 10 + i); // the queue is now full
    }
    assert_eq!(board.dropped(), 0);
    // A gift pushes out the chat entry: its 4 chats are lost.
    board.push(Alert::GiftedSubs { count: 2 }, 100);
    assert_eq!(board.dropped(), 4);
    // Nothing below a host waits now: a new host, or a chat, is itself dropped.
    board.push(Alert::Host { viewers: 1 }, 101);
    board.push(Alert::Chat, 102);
    assert_eq!(board.dropped(), 6);
    // A sub outranks the hosts: the newest host goes.
    board.push(Alert::Subscription { months: 1 }, 103);
    assert_eq!(board.dropped(), 7);
    // The gift plays first, when the running sub ends at 2000 (1.7 s), then the sub.
    assert!(!dark(&board.frame(2_100)));
    assert_eq!(board.frame(3_700 + 1_000), [PURPLE; 10]);
}

#[test]
fn an_alert_never_starts_before_it_was_pushed() {
    let mut board: Board<4> = online();
    assert!(dark(&board.frame(5_000)));
    board.push(Alert::Subscription { months: 1 }, 5_000);
    // Starts at 5000, not at 0 when the strip was last free.
    assert!(dark(&board.frame(5_000)));
    assert_eq!(board.frame(6_000), [PURPLE; 4]);
}
