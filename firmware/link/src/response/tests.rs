//! The 101 check against response heads written by hand, with the RFC 6455 section 1.3 key:
//! its accept value is `s3pPLMBiTxaQ9kYGzzhZRbK+xOo=`.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use super::*;
use std::format;

const ACCEPT: &Accept = b"s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

/// The RFC's example response (section 1.3), without its `Sec-WebSocket-Protocol: chat`
/// (the link asks for no sub-protocol).
const RFC: &str = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";

fn check_str(head: &str) -> Result<Option<usize>, Refusal> {
    check(head.as_bytes(), ACCEPT)
}

#[test]
fn the_rfc_example_is_accepted_and_frames_after_it_are_left() {
    assert_eq!(check_str(RFC), Ok(Some(RFC.len())));
    // An unmasked "Hello" text frame (RFC 6455 section 5.7) in the same read.
    let mut bytes = RFC.as_bytes().to_vec();
    bytes.extend([0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f]);
    assert_eq!(check(&bytes, ACCEPT), Ok(Some(RFC.len())));
}

#[test]
fn a_head_split_anywhere_waits_for_the_rest() {
    for cut in 0..RFC.len() {
        assert_eq!(check_str(&RFC[..cut]), Ok(None), "cut at {cut}");
    }
}

#[test]
fn names_and_tokens_ignore_case_and_whitespace_lists_and_bare_lf() {
    let head = "HTTP/1.1 101 OK\nupgrade:WebSocket\nCONNECTION:  keep-alive, UPGRADE \nsec-websocket-accept:\ts3pPLMBiTxaQ9kYGzzhZRbK+xOo= \nServer: x\n\n";
    assert_eq!(check_str(head), Ok(Some(head.len())));
    // An empty extensions header chooses nothing.
    let head = RFC.replace("\r\n\r\n", "\r\nSec-WebSocket-Extensions: \r\n\r\n");
    assert_eq!(check_str(&head), Ok(Some(head.len())));
}

#[test]
fn a_status_other_than_101_is_refused_as_soon_as_its_line_is_in() {
    assert_eq!(
        check_str("HTTP/1.1 404 Not Found\r\n"),
        Err(Refusal::Status(404))
    );
    assert_eq!(
        check_str("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n"),
        Err(Refusal::Status(200))
    );
    // Reason phrases are optional.
    assert_eq!(check_str("HTTP/1.1 503\r\n"), Err(Refusal::Status(503)));
}

#[test]
fn status_lines_that_are_not_http() {
    for line in [
        "HTTP/2 101 Switching\r\n",
        "HTTP/1.1 10 x\r\n",
        "HTTP/1.1 1011 x\r\n",
        "HTTP/1.1 1x1 x\r\n",
        "HTTP/1.1  101 x\r\n",
        "SSH-2.0-OpenSSH\r\n",
        "\r\n",
    ] {
        assert_eq!(check_str(line), Err(Refusal::Malformed), "{line:?}");
    }
}

#[test]
fn each_required_header_missing_or_wrong() {
    let without = |line: &str| RFC.replace(line, "");
    assert_eq!(
        check_str(&without("Upgrade: websocket\r\n")),
        Err(Refusal::Upgrade)
    );
    assert_eq!(
        check_str(&RFC.replace("Upgrade: websocket", "Upgrade: h2c")),
        Err(Refusal::Upgrade)
    );
    assert_eq!(
        check_str(&without("Connection: Upgrade\r\n")),
        Err(Refusal::Connection)
    );
    assert_eq!(
        check_str(&RFC.replace("Connection: Upgrade", "Connection: keep-alive")),
        Err(Refusal::Connection)
    );
    assert_eq!(
        check_str(&without(
            "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
        )),
        Err(Refusal::Accept)
    );
}

#[test]
fn the_accept_value_is_compared_exactly() {
    for wrong in [
        "S3PPLMBITXAQ9KYGZZHZRBK+XOO=", // case matters in base64
        "s3pPLMBiTxaQ9kYGzzhZRbK+xOo",  // no padding
        "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=x",
        "dGhlIHNhbXBsZSBub25jZQ==", // the key itself
    ] {
        let head = RFC.replace("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", wrong);
        assert_eq!(check_str(&head), Err(Refusal::Accept), "{wrong}");
    }
    // A second, wrong accept header spoils the right one.
    let head = RFC.replace("\r\n\r\n", "\r\nSec-WebSocket-Accept: AAAA\r\n\r\n");
    assert_eq!(check_str(&head), Err(Refusal::Accept));
}

#[test]
fn extensions_and_sub_protocols_not_asked_for() {
    for extra in [
        "Sec-WebSocket-Extensions: permessage-deflate",
        "Sec-WebSocket-Protocol: chat",
    ] {
        let head = RFC.replace("\r\n\r\n", &format!("\r\n{extra}\r\n\r\n"));
        assert_eq!(check_str(&head), Err(Refusal::NotAskedFor), "{extra}");
    }
}

#[test]
fn lines_that_are_not_headers() {
    for bad in ["NoColon", " folded: x", ":no-name"] {
        let head = RFC.replace("\r\n\r\n", &format!("\r\n{bad}\r\n\r\n"));
        assert_eq!(check_str(&head), Err(Refusal::Malformed), "{bad:?}");
    }
}
