//! Byte copies that do nothing rather than panic. `copy_from_slice` and `copy_within` check
//! their bounds and panic on a mismatch; where a caller's own checks already rule that out,
//! LLVM does not always see it, and keeps the panic paths with their messages and source
//! locations in the browser's modules. These check first, in a shape LLVM can match to the
//! standard library's checks. With them the core module's panic paths shrank to
//! `copy_within`'s (LLVM keeps its check), and the modules by 0.2 KB (lookups) and 0.6 KB
//! (alerts) gzipped. [`move_within`] then went without `copy_within`: its panic path was the
//! last one of the core module, and with it went `core::fmt`'s integer formatting and the
//! texts of slice panics (0.26 KB gzipped).

/// Copies `src` to the start of `dst`, as much as fits: the callers size both alike.
pub(crate) fn copy(dst: &mut [u8], src: &[u8]) {
    let n = dst.len().min(src.len());
    if let (Some(d), Some(s)) = (dst.get_mut(..n), src.get(..n)) {
        d.copy_from_slice(s);
    }
}

/// Moves `buf[start..end]` back to `dest` (at or before `start`: the callers compact text in
/// place); does nothing when `dest` is past `start` or the range leaves `buf`. In the
/// browser's module byte by byte, first to last, which is right for a move back however the
/// ranges overlap: `copy_within` keeps a bounds check that LLVM does not fold away there, and
/// its panic path (the moves are the text between escapes or between secrets, short; no
/// slowdown showed in the browser bench). Elsewhere `copy_within`, whose bulk copy the
/// two-pass path and the redaction of big frames need (byte by byte cost a GiftsLeaderboard
/// frame 10 % more instructions).
pub(crate) fn move_within(buf: &mut [u8], start: usize, end: usize, dest: usize) {
    #[cfg(not(target_arch = "wasm32"))]
    if dest <= start && start <= end && end <= buf.len() {
        buf.copy_within(start..end, dest);
    }
    #[cfg(target_arch = "wasm32")]
    if let (Some(from), Some(span)) = (start.checked_sub(dest), buf.get_mut(dest..end)) {
        let mut to: usize = 0;
        while let Some(&b) = span.get(to.saturating_add(from)) {
            if let Some(d) = span.get_mut(to) {
                *d = b;
            }
            to = to.saturating_add(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{copy, move_within};

    #[test]
    fn copy_takes_what_fits() {
        let mut dst = [0u8; 3];
        copy(&mut dst, b"abcd");
        assert_eq!(&dst, b"abc");
        copy(&mut dst, b"x");
        assert_eq!(&dst, b"xbc");
    }

    #[test]
    fn move_within_moves_in_bounds_and_leaves_the_rest() {
        let mut buf = *b"..abc";
        move_within(&mut buf, 2, 5, 0);
        assert_eq!(&buf, b"abcbc");
        move_within(&mut buf, 3, 6, 0); // past the end
        move_within(&mut buf, 3, 2, 0); // backwards
        move_within(&mut buf, 0, 2, 1); // forwards
        assert_eq!(&buf, b"abcbc");
        // Overlapping, one byte back; and a range that ends past the buffer.
        let mut buf = *b"xabcd";
        move_within(&mut buf, 1, 5, 0);
        assert_eq!(&buf, b"abcdd");
        move_within(&mut buf, 1, 9, 0);
        assert_eq!(&buf, b"abcdd");
        move_within(&mut buf, 2, 2, 0); // nothing to move
        assert_eq!(&buf, b"abcdd");
    }
}
