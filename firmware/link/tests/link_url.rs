//! Splitting WebSocket URLs (expected parts written by hand from RFC 3986's grammar).
#![allow(clippy::unwrap_used)]

use kickwire_link::{Url, UrlError};

#[test]
fn parts() {
    let u = Url::parse("ws://127.0.0.1:6001/app/key?protocol=7&client=js").unwrap();
    assert_eq!(
        u,
        Url {
            tls: false,
            host: "127.0.0.1",
            port: 6001,
            authority: "127.0.0.1:6001",
            target: "/app/key?protocol=7&client=js"
        }
    );
    let u = Url::parse("wss://ws-us2.pusher.com/app/k").unwrap();
    assert_eq!((u.tls, u.host, u.port), (true, "ws-us2.pusher.com", 443));
    let u = Url::parse("ws://example.org").unwrap();
    assert_eq!((u.port, u.authority, u.target), (80, "example.org", "/"));
    let u = Url::parse("ws://[::1]:6001/x").unwrap();
    assert_eq!((u.host, u.port, u.authority), ("::1", 6001, "[::1]:6001"));
    let u = Url::parse("wss://[::1]/").unwrap();
    assert_eq!((u.host, u.port), ("::1", 443));
}

#[test]
fn errors() {
    assert_eq!(Url::parse("http://h/"), Err(UrlError::Scheme));
    assert_eq!(Url::parse("ws:///path"), Err(UrlError::NoHost));
    assert_eq!(Url::parse("ws://:80/"), Err(UrlError::NoHost));
    assert_eq!(Url::parse("ws://h:0/"), Err(UrlError::Port));
    assert_eq!(Url::parse("ws://h:65536/"), Err(UrlError::Port));
    assert_eq!(Url::parse("ws://h:x/"), Err(UrlError::Port));
    assert_eq!(Url::parse("ws://[::1]x/"), Err(UrlError::Port));
    assert_eq!(Url::parse("ws://u@h/"), Err(UrlError::Unsupported));
    assert_eq!(Url::parse("ws://h/a b"), Err(UrlError::Unsupported));
    assert_eq!(Url::parse("ws://h/#f"), Err(UrlError::Unsupported));
    assert_eq!(Url::parse("ws://h?q=1"), Err(UrlError::Unsupported));
}
