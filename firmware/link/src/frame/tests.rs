//! Frames as bytes written by hand, most of them RFC 6455 section 5.7's examples.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use super::*;
use std::vec;

/// The masking key of the RFC's examples.
const KEY: [u8; 4] = [0x37, 0xfa, 0x21, 0x3d];
/// "Hello" masked with [`KEY`], as in the RFC.
const HELLO_MASKED: [u8; 5] = [0x7f, 0x9f, 0x4d, 0x51, 0x58];

fn header(fin: bool, opcode: Opcode, len: usize, payload: u64) -> Header {
    Header {
        fin,
        opcode,
        len,
        payload,
    }
}

#[test]
fn rfc_unmasked_hello() {
    let frame = [0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f];
    assert_eq!(parse(&frame), Ok(Some(header(true, Opcode::Text, 2, 5))));
    assert_eq!(&frame[2..], b"Hello");
}

#[test]
fn rfc_masked_hello_is_what_a_client_writes_and_a_server_must_not() {
    let frame = [
        0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58,
    ];
    let mut out = [0u8; 32];
    let n = write(&mut out, Opcode::Text, b"Hello", KEY).unwrap();
    assert_eq!(&out[..n], &frame);
    assert_eq!(parse(&frame), Err(Violation::Masked));
}

#[test]
fn rfc_fragmented_hello() {
    let first = [0x01, 0x03, 0x48, 0x65, 0x6c]; // "Hel", not final
    let last = [0x80, 0x02, 0x6c, 0x6f]; // "lo", continuation, final
    assert_eq!(parse(&first), Ok(Some(header(false, Opcode::Text, 2, 3))));
    assert_eq!(
        parse(&last),
        Ok(Some(header(true, Opcode::Continuation, 2, 2)))
    );
}

#[test]
fn rfc_ping_and_its_masked_pong() {
    let ping = [0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f];
    assert_eq!(parse(&ping), Ok(Some(header(true, Opcode::Ping, 2, 5))));
    let mut out = [0u8; 32];
    let n = write(&mut out, Opcode::Pong, &ping[2..], KEY).unwrap();
    let mut pong = vec![0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d];
    pong.extend(HELLO_MASKED);
    assert_eq!(&out[..n], &pong[..]);
}

#[test]
fn rfc_16_and_64_bit_lengths() {
    // 256 bytes of binary: 0x82 0x7E 0x0100; 64 KiB: 0x82 0x7F 0x0000000000010000.
    assert_eq!(
        parse(&[0x82, 0x7e, 0x01, 0x00]),
        Ok(Some(header(true, Opcode::Binary, 4, 256)))
    );
    assert_eq!(
        parse(&[0x82, 0x7f, 0, 0, 0, 0, 0, 1, 0, 0]),
        Ok(Some(header(true, Opcode::Binary, 10, 65536)))
    );
    // The largest length allowed, and one with the top bit set.
    assert_eq!(
        parse(&[0x82, 0x7f, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
        Ok(Some(header(
            true,
            Opcode::Binary,
            10,
            0x7fff_ffff_ffff_ffff
        )))
    );
    assert_eq!(
        parse(&[0x82, 0x7f, 0x80, 0, 0, 0, 0, 0, 0, 0]),
        Err(Violation::Length)
    );
}

#[test]
fn a_header_cut_short_waits() {
    let whole = [0x82, 0x7f, 0, 0, 0, 0, 0, 1, 0, 0];
    for cut in 0..whole.len() {
        assert_eq!(parse(&whole[..cut]), Ok(None), "cut at {cut}");
    }
    assert_eq!(parse(&[0x81, 0x7e, 0x01]), Ok(None));
}

#[test]
fn written_lengths_switch_at_126_and_65536() {
    let mut out = vec![0u8; 70_000];
    let payload = vec![0xa5u8; 65_536];
    // 125: 7-bit; 126: 16-bit; 65535: 16-bit; 65536: 64-bit. Mask key 0 keeps the payload.
    for (n, head) in [
        (125, vec![0x82, 0x80 | 125]),
        (126, vec![0x82, 0x80 | 126, 0x00, 0x7e]),
        (65_535, vec![0x82, 0x80 | 126, 0xff, 0xff]),
        (65_536, vec![0x82, 0x80 | 127, 0, 0, 0, 0, 0, 1, 0, 0]),
    ] {
        let len = write(&mut out, Opcode::Binary, &payload[..n], [0; 4]).unwrap();
        assert_eq!(len, head.len() + 4 + n, "{n}");
        assert_eq!(&out[..head.len()], &head[..], "{n}");
        assert_eq!(&out[head.len()..head.len() + 4], &[0; 4], "{n}");
        assert!(out[head.len() + 4..len].iter().all(|&b| b == 0xa5), "{n}");
    }
}

#[test]
fn a_frame_that_does_not_fit_is_not_written() {
    let mut out = [0u8; 11];
    assert_eq!(write(&mut out, Opcode::Text, b"Hello", KEY), Some(11));
    assert_eq!(write(&mut out[..10], Opcode::Text, b"Hello", KEY), None);
    assert_eq!(write(&mut out[..1], Opcode::Close, b"", KEY), None);
}

#[test]
fn reserved_bits_and_opcodes() {
    for b0 in [0xc1, 0xa1, 0x91] {
        assert_eq!(parse(&[b0, 0x00]), Err(Violation::Reserved), "{b0:#x}");
    }
    for op in [0x3, 0x4, 0x5, 0x6, 0x7, 0xb, 0xc, 0xd, 0xe, 0xf] {
        assert_eq!(parse(&[0x80 | op, 0x00]), Err(Violation::Opcode), "{op:#x}");
    }
}

#[test]
fn control_frames_are_short_and_whole() {
    // 125 bytes is the most; the 16-bit form is refused at once, whatever follows.
    assert_eq!(
        parse(&[0x89, 0x7d]),
        Ok(Some(header(true, Opcode::Ping, 2, 125)))
    );
    for frame in [&[0x89, 0x7e][..], &[0x88, 0x7f], &[0x8a, 0x7e, 0x00, 0x7d]] {
        assert_eq!(parse(frame), Err(Violation::Control), "{frame:x?}");
    }
    // No FIN: a fragmented ping, close or pong.
    for b0 in [0x09, 0x08, 0x0a] {
        assert_eq!(parse(&[b0, 0x00]), Err(Violation::Control), "{b0:#x}");
    }
}

#[test]
fn close_payloads() {
    assert_eq!(
        Close::parse(&[]),
        Ok(Close {
            code: None,
            reason: ""
        })
    );
    let mut payload = vec![0x10, 0x68]; // 4200
    payload.extend(b"Server shutting down");
    assert_eq!(
        Close::parse(&payload),
        Ok(Close {
            code: Some(4200),
            reason: "Server shutting down"
        })
    );
    // A reason that is not UTF-8 is left out; the code still counts.
    assert_eq!(
        Close::parse(&[0x03, 0xe8, 0xff]),
        Ok(Close {
            code: Some(1000),
            reason: ""
        })
    );
    // One byte: a status code cut in half.
    assert_eq!(Close::parse(&[0x03]), Err(Violation::Close));
}

#[test]
fn close_codes_an_endpoint_may_send() {
    for ok in [
        1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 4000, 4200,
        4999,
    ] {
        assert!(Close::parse(&u16::to_be_bytes(ok)).is_ok(), "{ok}");
    }
    for bad in [
        0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535,
    ] {
        assert_eq!(
            Close::parse(&u16::to_be_bytes(bad)),
            Err(Violation::Close),
            "{bad}"
        );
    }
}
