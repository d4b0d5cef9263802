//! Finding the next special byte, eight bytes at a time, in safe Rust.
//!
//! JSON strings on the hot path are short (keys, usernames, the runs between the escaped quotes
//! of a double-encoded payload), so a call into a SIMD routine costs more than it saves; a SWAR
//! word test inlined into the scanner is faster at these lengths.

const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);

/// A word with the high bit set in each byte of `w` that is zero. Bits above the first zero byte
/// may be set spuriously (borrows), so only the lowest set bit is meaningful.
#[inline(always)]
const fn zero_bytes(w: u64) -> u64 {
    w.wrapping_sub(ONES) & !w & HIGHS
}

#[inline(always)]
const fn splat(b: u8) -> u64 {
    u64::from_ne_bytes([b; 8])
}

/// Offset of the first byte equal to `a` or `b` in `buf`.
#[inline]
pub(crate) fn find2(buf: &[u8], a: u8, b: u8) -> Option<usize> {
    // A byte at a time in the browser's modules: the word-at-a-time search was 0.09 KB
    // gzipped of what every page loads, and the browser bench decoded as many events a second
    // without it (within this machine's noise); a page reads a few messages a second.
    if cfg!(target_arch = "wasm32") {
        return buf.iter().position(|&c| c == a || c == b);
    }
    let (sa, sb) = (splat(a), splat(b));
    let mut chunks = buf.chunks_exact(8);
    let mut base = 0usize;
    for chunk in &mut chunks {
        let w = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        let hit = zero_bytes(w ^ sa) | zero_bytes(w ^ sb);
        if hit != 0 {
            return Some(base.wrapping_add((hit.trailing_zeros() / 8) as usize));
        }
        base = base.wrapping_add(8);
    }
    let tail = chunks.remainder();
    tail.iter()
        .position(|&c| c == a || c == b)
        .map(|p| base.wrapping_add(p))
}

/// Offset of the first byte equal to `a` or `b` in an eight-byte `word`.
#[inline(always)]
pub(crate) fn special_in_word(word: [u8; 8], a: u8, b: u8) -> Option<usize> {
    let w = u64::from_le_bytes(word);
    let hit = zero_bytes(w ^ splat(a)) | zero_bytes(w ^ splat(b));
    (hit != 0).then(|| (hit.trailing_zeros() / 8) as usize)
}

/// Whether `b` is one of the bytes that matter when skipping a container unread, and that
/// [`find_structural`] stops at: a bracket (`{ } [ ]`), a quote or a backslash.
#[cfg(not(target_arch = "wasm32"))]
#[inline(always)]
pub(crate) const fn is_structural(b: u8) -> bool {
    matches!(b, b'{' | b'}' | b'[' | b']' | b'"' | b'\\')
}

/// Offset of the first byte in `buf` that can matter when skipping a container unread: a
/// bracket (`{ } [ ]`), a quote or a backslash ([`is_structural`]). It may also stop at `|`
/// (0x7C) and at the control bytes 0x02, 0x1B, 0x1C and 0x1D (the same after `| 0x20`), which
/// the caller steps over.
#[cfg(not(target_arch = "wasm32"))]
#[inline]
pub(crate) fn find_structural(buf: &[u8]) -> Option<usize> {
    // `{` and `[`, `}` and `]`, `|` and `\` differ only in bit 5: with it set, three targets
    // cover the brackets and the backslash; the quote (0x22) has it set already.
    let hit = |w: u64| {
        let x = w | splat(0x20);
        zero_bytes(x ^ splat(b'{'))
            | zero_bytes(x ^ splat(b'}'))
            | zero_bytes(x ^ splat(b'|'))
            | zero_bytes(x ^ splat(b'"'))
    };
    let mut chunks = buf.chunks_exact(8);
    let mut base = 0usize;
    for chunk in &mut chunks {
        let h = hit(u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8])));
        if h != 0 {
            return Some(base.wrapping_add((h.trailing_zeros() / 8) as usize));
        }
        base = base.wrapping_add(8);
    }
    chunks
        .remainder()
        .iter()
        .position(|&c| matches!(c | 0x20, b'{' | b'}' | b'|' | b'"'))
        .map(|p| base.wrapping_add(p))
}

/// Offset of the first byte equal to `a` in `buf`.
#[inline]
pub(crate) fn find1(buf: &[u8], a: u8) -> Option<usize> {
    find2(buf, a, a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_first_match_at_every_position() {
        for len in 0..40 {
            for at in 0..len {
                let mut v = std::vec![b'x'; len];
                v[at] = b'"';
                if at + 3 < len {
                    v[at + 3] = b'\\';
                }
                assert_eq!(find2(&v, b'"', b'\\'), Some(at), "len {len} at {at}");
                assert_eq!(find1(&v, b'"'), Some(at));
            }
            assert_eq!(find2(&std::vec![b'x'; len], b'"', b'\\'), None);
        }
        // Bytes just below and above the target must not match (borrow propagation).
        assert_eq!(find1(&[0x21, 0x23, 0x01, 0x22, 0x00], b'"'), Some(3));
        assert_eq!(
            find1(&[0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x22], b'"'),
            Some(7)
        );
        assert_eq!(find1(&[0x23; 16], b'"'), None);
    }

    #[test]
    #[cfg(not(target_arch = "wasm32"))]
    fn finds_every_structural_byte_and_no_other_printable_one() {
        for target in [b'{', b'}', b'[', b']', b'"', b'\\'] {
            for len in 1..20 {
                for at in 0..len {
                    let mut v = std::vec![b'a'; len];
                    v[at] = target;
                    assert_eq!(find_structural(&v), Some(at), "{target} len {len} at {at}");
                }
            }
        }
        // Every other printable ASCII byte but `|` (a stop the caller steps over) is passed,
        // in whole words and in the tail.
        let quiet: std::vec::Vec<u8> = (0x20..0x7f).filter(|c| !b"{}[]\"\\|".contains(c)).collect();
        assert_eq!(find_structural(&quiet), None);
        assert_eq!(find_structural(b"ab|"), Some(2));
    }
}
