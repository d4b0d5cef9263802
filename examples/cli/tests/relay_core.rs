//! The relay's core without sockets: which events count as copies (`relay::copies`), that the
//! forwarder sends each event once to every sink and alerts on their channel
//! (`relay::forward`), and the Prometheus text of `/metrics` (`relay::metrics`).
//!
//! Every expected value is written by hand; the payloads are hand-written in the shape of the
//! real chat frames in `tests/vectors/kick/` (as Kick's PHP serializer writes them, `\/` and
//! `\u00e9` escapes included), and the same message as another serializer would write it.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use kickwire_cli::relay::copies::Copies;
use kickwire_cli::relay::forward::Forwarder;
use kickwire_cli::relay::metrics::Metrics;
use kickwire_cli::relay::sink::Sink;

const CHAT: &str = "App\\Events\\ChatMessageEvent";
/// A chat payload as Kick's PHP side writes it: `\/` and non-ASCII escaped.
const PHP: &str = r#"{"id":"a5b4","chatroom_id":1,"content":"caf\u00e9 https:\/\/kick.com","sender":{"id":7,"username":"x"}}"#;
/// The same payload as a Go or JS serializer writes it: raw UTF-8, keys in another order,
/// spaces.
const GO: &str = "{\"chatroom_id\": 1, \"sender\": {\"username\": \"x\", \"id\": 7}, \"content\": \"café https://kick.com\", \"id\": \"a5b4\"}";

fn copies() -> Copies {
    Copies::new(100, Duration::from_secs(120))
}

#[test]
fn one_event_written_by_two_serializers_is_one_fingerprint() {
    let c = copies();
    let php = c.fingerprint("chatrooms.1.v2", CHAT, PHP.as_bytes());
    let go = c.fingerprint("chatrooms.1.v2", CHAT, GO.as_bytes());
    assert_eq!(php, go);
}

#[test]
fn another_channel_event_or_content_is_another_fingerprint() {
    let c = copies();
    let base = c.fingerprint("chatrooms.1.v2", CHAT, PHP.as_bytes());
    assert_ne!(base, c.fingerprint("chatrooms.2.v2", CHAT, PHP.as_bytes()));
    assert_ne!(
        base,
        c.fingerprint(
            "chatrooms.1.v2",
            "App\\Events\\MessageDeletedEvent",
            PHP.as_bytes()
        )
    );
    let edited = PHP.replace("caf", "cof");
    assert_ne!(
        base,
        c.fingerprint("chatrooms.1.v2", CHAT, edited.as_bytes())
    );
    // A number and the same digits as a string are different values.
    assert_ne!(
        c.fingerprint("c", "e", br#"{"id":1}"#),
        c.fingerprint("c", "e", br#"{"id":"1"}"#)
    );
    // Not JSON: compared byte for byte.
    assert_eq!(
        c.fingerprint("c", "e", b"not {json"),
        c.fingerprint("c", "e", b"not {json")
    );
    assert_ne!(
        c.fingerprint("c", "e", b"not {json"),
        c.fingerprint("c", "e", b"not {json!")
    );
}

#[test]
fn a_copy_is_caught_within_the_window_only() {
    let mut c = copies();
    let fp = c.fingerprint("c", "e", b"{}");
    assert!(c.first_time(1_000, fp));
    assert!(!c.first_time(1_000, fp));
    assert!(!c.first_time(120_999, fp)); // 119.999 s later: still a copy
    assert!(c.first_time(121_000, fp)); // 120 s after the first: a new happening
    assert_eq!(c.len(), 1);
}

#[test]
fn a_full_set_forgets_its_oldest_first() {
    let mut c = Copies::new(3, Duration::from_secs(120));
    for fp in [1, 2, 3] {
        assert!(c.first_time(0, fp));
    }
    assert!(c.first_time(0, 4)); // 1 goes
    assert_eq!(c.len(), 3);
    assert!(!c.first_time(0, 2));
    assert!(!c.first_time(0, 4));
    assert!(c.first_time(0, 1)); // forgotten, so new again (forwarded twice, never lost)
}

/// A sink that keeps what it was given.
#[derive(Default)]
struct Kept(Mutex<Vec<(String, String, String)>>);

impl Sink for Kept {
    fn publish(&self, channel: &str, event: &str, data: &str) {
        self.0
            .lock()
            .unwrap()
            .push((channel.into(), event.into(), data.into()));
    }
}

#[test]
fn the_forwarder_sends_each_event_once_to_every_sink() {
    let (a, b) = (Arc::new(Kept::default()), Arc::new(Kept::default()));
    let f = Forwarder::new(vec![a.clone() as Arc<dyn Sink>, b.clone() as Arc<dyn Sink>]);
    assert!(f.event(0, "chatrooms.1.v2", CHAT, PHP));
    // The same event from the other transport, without Kick's namespace in its name.
    assert!(!f.event(10, "chatrooms.1.v2", "ChatMessageEvent", GO));
    assert!(f.event(20, "chatrooms.1.v2", CHAT, r#"{"id":"other"}"#));
    f.alert(1, r#"{"alert":"ChatClear"}"#);
    let want = vec![
        (
            "chatrooms.1.v2".to_string(),
            CHAT.to_string(),
            PHP.to_string(),
        ),
        (
            "chatrooms.1.v2".into(),
            CHAT.into(),
            r#"{"id":"other"}"#.into(),
        ),
        (
            "kickwire-alerts.1".into(),
            "kickwire:alert".into(),
            r#"{"alert":"ChatClear"}"#.into(),
        ),
    ];
    assert_eq!(*a.0.lock().unwrap(), want);
    assert_eq!(*b.0.lock().unwrap(), want);
    let n = |x: &std::sync::atomic::AtomicU64| x.load(std::sync::atomic::Ordering::Relaxed);
    assert_eq!(
        (
            n(&f.counts.received),
            n(&f.counts.forwarded),
            n(&f.counts.copies),
            n(&f.counts.alerts)
        ),
        (3, 2, 1, 1)
    );
}

#[test]
fn metrics_text_follows_the_exposition_format() {
    let mut m = Metrics::default();
    m.counter(
        "kickwire_webhooks_total",
        "Webhook requests.",
        &[("result", "delivered")],
        2,
    );
    m.counter(
        "kickwire_webhooks_total",
        "Webhook requests.",
        &[("result", "bad_signature")],
        1,
    );
    m.gauge(
        "kickwire_upstream_connected",
        "Up.",
        &[("chat", "a\"b\\c\nd"), ("transport", "pusher")],
        0,
    );
    assert_eq!(
        m.text(),
        "# HELP kickwire_webhooks_total Webhook requests.\n\
         # TYPE kickwire_webhooks_total counter\n\
         kickwire_webhooks_total{result=\"delivered\"} 2\n\
         kickwire_webhooks_total{result=\"bad_signature\"} 1\n\
         # HELP kickwire_upstream_connected Up.\n\
         # TYPE kickwire_upstream_connected gauge\n\
         kickwire_upstream_connected{chat=\"a\\\"b\\\\c\\nd\",transport=\"pusher\"} 0\n"
    );
}
