//! The webhook judge (`kickwire_cli::webhook`) against signatures made by the openssl CLI with
//! a test key (`data/webhook/`, see its README), and against Kick's built-in key.
//!
//! Every expected status, reason and count below is written by hand from the brief of issue
//! 14 and the module's documented order of checks.

use std::time::Duration;

use kickwire_cli::webhook::{
    Config, Counts, Delivery, KeyError, PublicKey, Reason, Request, Verdict, Webhook,
};
use kickwire_proto::Timestamp;

const TEST_KEY: &str = include_str!("data/webhook/test-key.pub.pem");
const FOLLOWED: &[u8] = include_bytes!("data/webhook/followed.json");
const FOLLOWED_SIG: &str = include_str!("data/webhook/followed.sig");
const NO_BROADCASTER: &[u8] = include_bytes!("data/webhook/no-broadcaster.json");
const NO_BROADCASTER_SIG: &str = include_str!("data/webhook/no-broadcaster.sig");

/// The ids and timestamp `data/webhook/sign.sh` signs with.
const ID: &str = "01JHHDD0RAGEZ2P5NBTK5AF6TJ";
const OTHER_ID: &str = "01JHHDD0RAGEZ2P5NBTK5AF6TK";
const SENT: &str = "2025-01-14T16:08:06Z";

fn at(text: &str) -> Timestamp {
    Timestamp::parse_str(text).unwrap()
}

/// One second after the delivery was sent.
fn now() -> Timestamp {
    at("2025-01-14T16:08:07Z")
}

fn test_webhook() -> Webhook {
    Webhook::new(Config::new(PublicKey::from_pem(TEST_KEY).unwrap()))
}

/// The headers of a delivery, as Kick sends them.
fn headers<'a>(id: &'a str, sent: &'a str, signature: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("Kick-Event-Message-Id", id),
        ("Kick-Event-Subscription-Id", "01JHHDCZ9X0Y1Z2A3B4C5D6E7F"),
        ("Kick-Event-Signature", signature),
        ("Kick-Event-Message-Timestamp", sent),
        ("Kick-Event-Type", "channel.followed"),
        ("Kick-Event-Version", "1"),
    ]
}

fn post<'a>(headers: &'a [(&'a str, &'a str)], body: &'a [u8]) -> Request<'a> {
    Request {
        method: "POST",
        path: "/kick/webhook",
        headers,
        body,
    }
}

/// The delivery `followed.json` makes, written out by hand.
fn followed_delivery() -> Delivery<'static> {
    Delivery {
        message_id: ID,
        event_type: "channel.followed",
        version: Some("1"),
        subscription_id: Some("01JHHDCZ9X0Y1Z2A3B4C5D6E7F"),
        timestamp: Timestamp::from_unix_millis(1_736_870_886_000),
        broadcaster_user_id: 123_456_789,
        body: FOLLOWED,
    }
}

/// Counts with only the rejections listed (reason, how many).
fn rejected_only(expected: &[(Reason, u64)], counts: &Counts) {
    for reason in Reason::ALL {
        let want = expected
            .iter()
            .find(|(r, _)| *r == reason)
            .map_or(0, |(_, n)| *n);
        assert_eq!(counts.rejected(reason), want, "{}", reason.name());
    }
    assert_eq!(
        (counts.delivered, counts.duplicates, counts.unroutable),
        (0, 0, 0)
    );
}

#[test]
fn a_valid_delivery_is_handed_on_once_and_its_retries_answered_200() {
    let mut webhook = test_webhook();
    let h = headers(ID, SENT, FOLLOWED_SIG);
    let request = post(&h, FOLLOWED);

    let first = webhook.judge(&request, now());
    assert_eq!(first, Verdict::Deliver(followed_delivery()));
    assert_eq!(first.status(), 200);

    // Kick retries: 200 again, nothing handed on; also once the retry is past the window.
    assert_eq!(webhook.judge(&request, now()), Verdict::Duplicate);
    let an_hour_later = at("2025-01-14T17:08:06Z");
    let again = webhook.judge(&request, an_hour_later);
    assert_eq!((again, again.status()), (Verdict::Duplicate, 200));

    let counts = webhook.counts();
    assert_eq!(
        (counts.delivered, counts.duplicates, counts.unroutable),
        (1, 2, 0)
    );
    assert_eq!(counts.rejected_total(), 0);
}

#[test]
fn the_header_names_may_come_in_any_case_and_the_path_with_a_query() {
    let mut webhook = test_webhook();
    let lower: Vec<(String, &str)> = headers(ID, SENT, FOLLOWED_SIG)
        .into_iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v))
        .collect();
    let lower: Vec<(&str, &str)> = lower.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    let request = Request {
        path: "/kick/webhook?source=kick",
        ..post(&lower, FOLLOWED)
    };
    assert_eq!(
        webhook.judge(&request, now()),
        Verdict::Deliver(followed_delivery())
    );
}

#[test]
fn the_replay_window_is_ten_minutes_either_way_by_default() {
    let h = headers(ID, SENT, FOLLOWED_SIG);
    let request = post(&h, FOLLOWED);
    // Sent at 16:08:06: 16:18:06 and 15:58:06 are just inside, a second more is out.
    for (now, expected) in [
        ("2025-01-14T16:18:06Z", 200),
        ("2025-01-14T15:58:06Z", 200),
        ("2025-01-14T16:18:07Z", 400),
        ("2025-01-14T15:58:05Z", 400),
    ] {
        assert_eq!(
            test_webhook().judge(&request, at(now)).status(),
            expected,
            "{now}"
        );
    }

    let mut stale = test_webhook();
    assert_eq!(
        stale.judge(&request, at("2025-01-14T16:18:07Z")),
        Verdict::Reject(Reason::Stale)
    );
    rejected_only(&[(Reason::Stale, 1)], stale.counts());

    let mut future = test_webhook();
    assert_eq!(
        future.judge(&request, at("2025-01-14T15:58:05Z")),
        Verdict::Reject(Reason::Future)
    );
    rejected_only(&[(Reason::Future, 1)], future.counts());
}

#[test]
fn the_replay_window_is_configurable() {
    let mut config = Config::new(PublicKey::from_pem(TEST_KEY).unwrap());
    config.replay_window = Duration::from_secs(30);
    let h = headers(ID, SENT, FOLLOWED_SIG);
    let request = post(&h, FOLLOWED);
    let mut webhook = Webhook::new(config.clone());
    assert_eq!(
        webhook.judge(&request, at("2025-01-14T16:08:37Z")),
        Verdict::Reject(Reason::Stale)
    );
    let mut webhook = Webhook::new(config);
    assert_eq!(
        webhook.judge(&request, at("2025-01-14T16:08:36Z")).status(),
        200
    );
}

#[test]
fn a_stale_delivery_is_not_remembered() {
    // Turned away as stale, so a later copy within the window (a clock fixed meanwhile) is
    // judged afresh and handed on: only what was handed on counts as seen.
    let mut webhook = test_webhook();
    let h = headers(ID, SENT, FOLLOWED_SIG);
    let request = post(&h, FOLLOWED);
    assert_eq!(
        webhook.judge(&request, at("2025-01-14T17:00:00Z")),
        Verdict::Reject(Reason::Stale)
    );
    assert_eq!(
        webhook.judge(&request, now()),
        Verdict::Deliver(followed_delivery())
    );
}

#[test]
fn tampering_with_any_signed_part_is_401() {
    let tampered_body = String::from_utf8(FOLLOWED.to_vec())
        .unwrap()
        .replace("123456789", "123456780");
    let cases: [(&str, &str, &str, &[u8]); 4] = [
        ("body", ID, SENT, tampered_body.as_bytes()),
        ("timestamp", ID, "2025-01-14T16:08:07Z", FOLLOWED),
        ("message id", "01JHHDD0RAGEZ2P5NBTK5AF6TX", SENT, FOLLOWED),
        // The other delivery's id, with this one's body and signature.
        ("swapped id", OTHER_ID, SENT, FOLLOWED),
    ];
    for (what, id, sent, body) in cases {
        let mut webhook = test_webhook();
        let h = headers(id, sent, FOLLOWED_SIG);
        let verdict = webhook.judge(&post(&h, body), now());
        assert_eq!(verdict, Verdict::Reject(Reason::BadSignature), "{what}");
        assert_eq!(verdict.status(), 401, "{what}");
        rejected_only(&[(Reason::BadSignature, 1)], webhook.counts());
    }
}

#[test]
fn forged_signatures_are_401() {
    // One bit of the signature flipped: the first character `T` (19) becomes `S` (18).
    assert!(FOLLOWED_SIG.starts_with('T'));
    let flipped = format!("S{}", &FOLLOWED_SIG[1..]);
    // The other delivery's (valid) signature on this one.
    let cases = [
        ("a bit flipped", flipped.as_str()),
        ("another message's signature", NO_BROADCASTER_SIG),
        ("not base64", "not*base64"),
        ("empty", ""),
        ("256 zero bytes", &"A".repeat(344)[..]),
    ];
    for (what, signature) in cases {
        let mut webhook = test_webhook();
        let h = headers(ID, SENT, signature);
        let verdict = webhook.judge(&post(&h, FOLLOWED), now());
        assert_eq!(verdict, Verdict::Reject(Reason::BadSignature), "{what}");
        rejected_only(&[(Reason::BadSignature, 1)], webhook.counts());
    }
}

#[test]
fn a_forged_request_does_not_mark_its_id_as_seen() {
    // Otherwise a forger who learned an id could have Kick's real delivery answered as a
    // duplicate and never handed on.
    let mut webhook = test_webhook();
    let forged = headers(ID, SENT, NO_BROADCASTER_SIG);
    assert_eq!(
        webhook.judge(&post(&forged, FOLLOWED), now()),
        Verdict::Reject(Reason::BadSignature)
    );
    let real = headers(ID, SENT, FOLLOWED_SIG);
    assert_eq!(
        webhook.judge(&post(&real, FOLLOWED), now()),
        Verdict::Deliver(followed_delivery())
    );
}

#[test]
fn missing_or_malformed_headers() {
    let full = headers(ID, SENT, FOLLOWED_SIG);
    let without = |name: &str| -> Vec<(&str, &str)> {
        full.iter().copied().filter(|(k, _)| *k != name).collect()
    };
    let replaced = |name: &str, value: &'static str| -> Vec<(&str, &str)> {
        full.iter()
            .map(|&(k, v)| (k, if k == name { value } else { v }))
            .collect()
    };
    /// What is wrong, the headers, and the reason and status expected.
    type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, Reason, u16);
    let cases: Vec<Case> = vec![
        (
            "no id",
            without("Kick-Event-Message-Id"),
            Reason::MissingHeader,
            400,
        ),
        (
            "no timestamp",
            without("Kick-Event-Message-Timestamp"),
            Reason::MissingHeader,
            400,
        ),
        (
            "no type",
            without("Kick-Event-Type"),
            Reason::MissingHeader,
            400,
        ),
        (
            "no signature",
            without("Kick-Event-Signature"),
            Reason::MissingSignature,
            401,
        ),
        ("no headers", vec![], Reason::MissingHeader, 400),
        (
            "timestamp not a time",
            replaced("Kick-Event-Message-Timestamp", "yesterday"),
            Reason::BadHeader,
            400,
        ),
        (
            "id with a dot",
            replaced("Kick-Event-Message-Id", "01JHH.DD0"),
            Reason::BadHeader,
            400,
        ),
        (
            "id with a space",
            replaced("Kick-Event-Message-Id", "01JHH DD0"),
            Reason::BadHeader,
            400,
        ),
        (
            "empty type",
            replaced("Kick-Event-Type", ""),
            Reason::BadHeader,
            400,
        ),
        (
            "odd version",
            replaced("Kick-Event-Version", "1;2"),
            Reason::BadHeader,
            400,
        ),
        (
            "id twice, two values",
            {
                let mut h = full.clone();
                h.push(("Kick-Event-Message-Id", OTHER_ID));
                h
            },
            Reason::BadHeader,
            400,
        ),
    ];
    for (what, h, reason, status) in cases {
        let mut webhook = test_webhook();
        let verdict = webhook.judge(&post(&h, FOLLOWED), now());
        assert_eq!(
            (verdict, verdict.status()),
            (Verdict::Reject(reason), status),
            "{what}"
        );
        rejected_only(&[(reason, 1)], webhook.counts());
    }
}

#[test]
fn the_version_and_subscription_id_are_optional() {
    let mut webhook = test_webhook();
    let h: Vec<(&str, &str)> = headers(ID, SENT, FOLLOWED_SIG)
        .into_iter()
        .filter(|(k, _)| !matches!(*k, "Kick-Event-Version" | "Kick-Event-Subscription-Id"))
        .collect();
    let expected = Delivery {
        version: None,
        subscription_id: None,
        ..followed_delivery()
    };
    assert_eq!(
        webhook.judge(&post(&h, FOLLOWED), now()),
        Verdict::Deliver(expected)
    );
}

#[test]
fn bodies_over_64_kib_are_413_before_anything_else() {
    // 65,537 bytes, no headers at all: the size is judged first.
    let big = vec![b' '; 64 * 1024 + 1];
    let mut webhook = test_webhook();
    let verdict = webhook.judge(&post(&[], &big), now());
    assert_eq!(
        (verdict, verdict.status()),
        (Verdict::Reject(Reason::TooLarge), 413)
    );
    rejected_only(&[(Reason::TooLarge, 1)], webhook.counts());

    // Exactly 64 KiB is not too large: it goes on to the headers.
    let just = vec![b' '; 64 * 1024];
    assert_eq!(
        webhook.judge(&post(&[], &just), now()),
        Verdict::Reject(Reason::MissingHeader)
    );

    // From the declared length, before the body is read.
    let mut webhook = test_webhook();
    assert_eq!(
        webhook.judge_head("POST", "/kick/webhook", Some(65_537)),
        Some(Verdict::Reject(Reason::TooLarge))
    );
    assert_eq!(
        webhook.judge_head("POST", "/kick/webhook", Some(65_536)),
        None
    );
    assert_eq!(webhook.judge_head("POST", "/kick/webhook", None), None);
    rejected_only(&[(Reason::TooLarge, 1)], webhook.counts());
}

#[test]
fn other_methods_and_paths() {
    let h = headers(ID, SENT, FOLLOWED_SIG);
    let cases = [
        ("GET", "/kick/webhook", Reason::MethodNotAllowed, 405),
        ("PUT", "/kick/webhook", Reason::MethodNotAllowed, 405),
        ("post", "/kick/webhook", Reason::MethodNotAllowed, 405),
        ("POST", "/", Reason::NotFound, 404),
        ("POST", "/kick/webhook/", Reason::NotFound, 404),
        ("GET", "/metrics", Reason::NotFound, 404),
    ];
    for (method, path, reason, status) in cases {
        let mut webhook = test_webhook();
        // A valid delivery otherwise: only the route is wrong.
        let request = Request {
            method,
            path,
            ..post(&h, FOLLOWED)
        };
        let verdict = webhook.judge(&request, now());
        assert_eq!(
            (verdict, verdict.status()),
            (Verdict::Reject(reason), status),
            "{method} {path}"
        );
        rejected_only(&[(reason, 1)], webhook.counts());
        let mut head = test_webhook();
        assert_eq!(
            head.judge_head(method, path, Some(10)),
            Some(Verdict::Reject(reason))
        );
    }
}

#[test]
fn a_verified_body_without_a_broadcaster_is_answered_200_and_not_handed_on() {
    let mut webhook = test_webhook();
    let h = headers(OTHER_ID, SENT, NO_BROADCASTER_SIG);
    let request = post(&h, NO_BROADCASTER);
    let verdict = webhook.judge(&request, now());
    assert_eq!((verdict, verdict.status()), (Verdict::Unroutable, 200));
    // And its retry is a duplicate like any other.
    assert_eq!(webhook.judge(&request, now()), Verdict::Duplicate);
    let counts = webhook.counts();
    assert_eq!(
        (counts.delivered, counts.duplicates, counts.unroutable),
        (0, 1, 1)
    );
}

#[test]
fn the_oldest_id_is_forgotten_first() {
    let mut config = Config::new(PublicKey::from_pem(TEST_KEY).unwrap());
    config.recent_ids = 1;
    let mut webhook = Webhook::new(config);
    let first = headers(ID, SENT, FOLLOWED_SIG);
    let second = headers(OTHER_ID, SENT, NO_BROADCASTER_SIG);
    assert_eq!(webhook.judge(&post(&first, FOLLOWED), now()).status(), 200);
    assert_eq!(
        webhook.judge(&post(&first, FOLLOWED), now()),
        Verdict::Duplicate
    );
    assert_eq!(
        webhook.judge(&post(&second, NO_BROADCASTER), now()),
        Verdict::Unroutable
    );
    // With room for one id, the second pushed the first out: within the window the first
    // is handed on again. This is the bound's price; the default keeps 4,096.
    assert_eq!(
        webhook.judge(&post(&first, FOLLOWED), now()),
        Verdict::Deliver(followed_delivery())
    );
}

#[test]
fn every_outcome_is_counted_once() {
    let mut webhook = test_webhook();
    let good = headers(ID, SENT, FOLLOWED_SIG);
    let other = headers(OTHER_ID, SENT, NO_BROADCASTER_SIG);
    let forged = headers(ID, SENT, NO_BROADCASTER_SIG);
    let statuses: Vec<u16> = [
        post(&good, FOLLOWED),
        post(&good, FOLLOWED),
        post(&other, NO_BROADCASTER),
        post(&forged, FOLLOWED),
        post(&[], FOLLOWED),
        Request {
            method: "GET",
            ..post(&good, FOLLOWED)
        },
    ]
    .iter()
    .map(|r| webhook.judge(r, now()).status())
    .collect();
    assert_eq!(statuses, [200, 200, 200, 401, 400, 405]);
    let counts = webhook.counts();
    assert_eq!(
        (counts.delivered, counts.duplicates, counts.unroutable),
        (1, 1, 1)
    );
    assert_eq!(counts.rejected(Reason::BadSignature), 1);
    assert_eq!(counts.rejected(Reason::MissingHeader), 1);
    assert_eq!(counts.rejected(Reason::MethodNotAllowed), 1);
    assert_eq!(counts.rejected_total(), 3);
}

#[test]
fn kick_key_is_built_in() {
    // `openssl pkey -pubin -text` on the PEM in Kick's documentation: 2048 bits, 65537.
    let kick = PublicKey::kick();
    assert_eq!(kick.modulus_bits(), 2048);
    assert_eq!(kick.exponent(), Some(65_537));
    assert_ne!(kick, PublicKey::from_pem(TEST_KEY).unwrap());

    // The test key's signature verifies under the test key, not under Kick's.
    let signed = [ID.as_bytes(), b".", SENT.as_bytes(), b".", FOLLOWED].concat();
    let signature = openssl_signature();
    assert!(
        PublicKey::from_pem(TEST_KEY)
            .unwrap()
            .verify(&signed, &signature)
    );
    assert!(!kick.verify(&signed, &signature));

    // The default configuration is Kick's key: the test key's delivery is forged there.
    let mut webhook = Webhook::new(Config::default());
    let h = headers(ID, SENT, FOLLOWED_SIG);
    assert_eq!(
        webhook.judge(&post(&h, FOLLOWED), now()),
        Verdict::Reject(Reason::BadSignature)
    );
}

/// `followed.sig` decoded by the `base64` tool, not by the code under test.
fn openssl_signature() -> Vec<u8> {
    let out = std::process::Command::new("base64")
        .args([
            "-d",
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/data/webhook/followed.sig"
            ),
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(out.stdout.len(), 256);
    out.stdout
}

#[test]
fn keys_that_are_refused() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/webhook/");
    let read = |name: &str| std::fs::read_to_string(format!("{dir}{name}")).unwrap();
    assert_eq!(
        PublicKey::from_pem(&read("rsa-1024.pub.pem")),
        Err(KeyError::Size(1024))
    );
    assert_eq!(
        PublicKey::from_pem(&read("p256.pub.pem")),
        Err(KeyError::NotRsa)
    );
    assert_eq!(PublicKey::from_pem(""), Err(KeyError::NoPem));
    // The private key is no public key.
    assert_eq!(
        PublicKey::from_pem(&read("test-key.pem")),
        Err(KeyError::NoPem)
    );
    assert_eq!(
        PublicKey::from_pem("-----BEGIN PUBLIC KEY-----\n!!!!\n-----END PUBLIC KEY-----\n"),
        Err(KeyError::Base64)
    );
    assert_eq!(
        PublicKey::from_pem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"),
        Err(KeyError::Malformed)
    );
    // Text around the block is fine (a file with a comment first).
    let commented = format!("the test key\n{TEST_KEY}");
    assert_eq!(
        PublicKey::from_pem(&commented),
        PublicKey::from_pem(TEST_KEY)
    );
}
