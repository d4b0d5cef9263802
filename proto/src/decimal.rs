//! Unsigned numbers written in decimal without `core::fmt` (whose machinery costs code size on
//! a board and in the browser module): channel names, request URLs.

/// Decimal digits of `u64::MAX`.
pub(crate) const U64_DIGITS: usize = 20;

/// Writes `n` in decimal into `buf` and returns it as a `str`.
pub(crate) fn u64_str(mut n: u64, buf: &mut [u8; U64_DIGITS]) -> &str {
    let mut at = U64_DIGITS;
    loop {
        at = at.saturating_sub(1);
        if let Some(slot) = buf.get_mut(at) {
            // `n % 10` is below 10: the cast and the addition cannot overflow.
            *slot = b'0'.wrapping_add((n % 10) as u8);
        }
        n /= 10;
        if n == 0 || at == 0 {
            break;
        }
    }
    buf.get(at..)
        .and_then(|d| core::str::from_utf8(d).ok())
        .unwrap_or("0")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_of_the_edges() {
        let mut buf = [0u8; U64_DIGITS];
        assert_eq!(u64_str(0, &mut buf), "0");
        assert_eq!(u64_str(7, &mut buf), "7");
        assert_eq!(u64_str(10, &mut buf), "10");
        assert_eq!(u64_str(2_515_504, &mut buf), "2515504");
        assert_eq!(u64_str(u64::MAX, &mut buf), "18446744073709551615");
    }
}
