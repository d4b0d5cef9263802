//! A strict reader of DER (X.690) for the few structures of a certificate the verifier needs:
//! tag, length, value, no allocation. Only single-byte tags; lengths in the shortest form
//! (DER), at most three length bytes (a certificate is far smaller than 16 MiB).

/// The bytes are not DER this reader accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Malformed;

/// `SEQUENCE` (constructed).
pub(crate) const SEQUENCE: u8 = 0x30;
/// `INTEGER`.
pub(crate) const INTEGER: u8 = 0x02;
/// `BIT STRING`.
pub(crate) const BIT_STRING: u8 = 0x03;
/// `OCTET STRING`.
pub(crate) const OCTET_STRING: u8 = 0x04;
/// `NULL`.
pub(crate) const NULL: u8 = 0x05;
/// `OBJECT IDENTIFIER`.
pub(crate) const OID: u8 = 0x06;
/// `BOOLEAN`.
pub(crate) const BOOLEAN: u8 = 0x01;

/// One element: its tag, its contents, and the whole encoding (tag and length included).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tlv<'a> {
    pub(crate) tag: u8,
    pub(crate) value: &'a [u8],
    pub(crate) whole: &'a [u8],
}

/// Reads elements one after another from a slice.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Self { rest: bytes }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// The tag of the next element, if any.
    pub(crate) fn peek_tag(&self) -> Option<u8> {
        self.rest.first().copied()
    }

    /// The next element.
    pub(crate) fn read(&mut self) -> Result<Tlv<'a>, Malformed> {
        let all = self.rest;
        let (&tag, after_tag) = all.split_first().ok_or(Malformed)?;
        // High tag numbers (low five bits all set) never occur in what is read here.
        if tag & 0x1f == 0x1f {
            return Err(Malformed);
        }
        let (&first, mut after_len) = after_tag.split_first().ok_or(Malformed)?;
        let len = if first < 0x80 {
            usize::from(first)
        } else {
            // 0x80 is BER's indefinite length, not DER; more than 3 bytes is not a certificate.
            let count = usize::from(first & 0x7f);
            if !(1..=3).contains(&count) {
                return Err(Malformed);
            }
            let (bytes, rest) = after_len.split_at_checked(count).ok_or(Malformed)?;
            after_len = rest;
            let len = bytes
                .iter()
                .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
            // DER: the shortest form, so no leading zero byte and nothing under 128 here.
            if len < 0x80 || bytes.first() == Some(&0) {
                return Err(Malformed);
            }
            len
        };
        let (value, rest) = after_len.split_at_checked(len).ok_or(Malformed)?;
        let header = all.len().saturating_sub(after_len.len());
        let whole = all
            .get(..header.checked_add(len).ok_or(Malformed)?)
            .ok_or(Malformed)?;
        self.rest = rest;
        Ok(Tlv { tag, value, whole })
    }

    /// The next element, which must have tag `tag`.
    pub(crate) fn expect(&mut self, tag: u8) -> Result<Tlv<'a>, Malformed> {
        let tlv = self.read()?;
        if tlv.tag == tag {
            Ok(tlv)
        } else {
            Err(Malformed)
        }
    }

    /// The next element if it has tag `tag` (else nothing is consumed).
    pub(crate) fn optional(&mut self, tag: u8) -> Result<Option<Tlv<'a>>, Malformed> {
        if self.peek_tag() == Some(tag) {
            self.read().map(Some)
        } else {
            Ok(None)
        }
    }

    /// The contents of the next element, which must be a SEQUENCE, as a reader.
    pub(crate) fn sequence(&mut self) -> Result<Reader<'a>, Malformed> {
        self.expect(SEQUENCE).map(|tlv| Reader::new(tlv.value))
    }

    /// Fails unless everything was read.
    pub(crate) fn finish(&self) -> Result<(), Malformed> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(Malformed)
        }
    }
}

/// The contents of a BIT STRING that has no unused bits (keys and signatures are whole bytes).
pub(crate) fn bit_string_bytes(tlv: Tlv<'_>) -> Result<&[u8], Malformed> {
    match tlv.value.split_first() {
        Some((0, bytes)) if tlv.tag == BIT_STRING => Ok(bytes),
        _ => Err(Malformed),
    }
}

/// The magnitude of a non-negative INTEGER, without the sign byte DER puts before a high bit.
pub(crate) fn unsigned_integer(tlv: Tlv<'_>) -> Result<&[u8], Malformed> {
    if tlv.tag != INTEGER {
        return Err(Malformed);
    }
    match tlv.value {
        [] => Err(Malformed),
        [first, ..] if first & 0x80 != 0 => Err(Malformed), // negative
        [0, rest @ ..] if !rest.is_empty() => {
            // A leading zero is only allowed before a byte with its high bit set (DER).
            match rest.first() {
                Some(b) if b & 0x80 != 0 => Ok(rest),
                _ => Err(Malformed),
            }
        }
        bytes => Ok(bytes),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn short_and_long_lengths() {
        let bytes = [0x04, 0x02, 0xaa, 0xbb, 0x05, 0x00];
        let mut r = Reader::new(&bytes);
        let first = r.read().unwrap();
        assert_eq!(
            (first.tag, first.value, first.whole),
            (0x04, &[0xaa, 0xbb][..], &bytes[..4])
        );
        assert_eq!(r.expect(NULL).unwrap().value, &[] as &[u8]);
        assert!(r.is_empty());

        let mut long = [7u8; 3 + 0x80];
        long[..3].copy_from_slice(&[0x04, 0x81, 0x80]);
        let tlv = Reader::new(&long).read().unwrap();
        assert_eq!((tlv.value.len(), tlv.whole.len()), (128, 131));

        let mut two = [7u8; 4 + 256];
        two[..4].copy_from_slice(&[0x04, 0x82, 0x01, 0x00]);
        assert_eq!(Reader::new(&two).read().unwrap().value.len(), 256);
    }

    #[test]
    fn non_der_and_truncated_input_is_refused() {
        for bad in [
            &[0x04, 0x80, 0x00, 0x00][..],      // indefinite length (BER)
            &[0x04, 0x81, 0x05, 1, 2, 3, 4, 5], // long form for a length under 128
            &[0x04, 0x82, 0x00, 0x80],          // leading zero length byte
            &[0x04, 0x84, 0, 0, 1, 0],          // four length bytes
            &[0x04, 0x03, 1, 2],                // shorter than its length
            &[0x1f, 0x01, 0x00],                // high tag number
            &[0x04],                            // no length
        ] {
            assert_eq!(
                Reader::new(bad).read().map(|t| t.tag),
                Err(Malformed),
                "{bad:02x?}"
            );
        }
    }

    #[test]
    fn integers_and_bit_strings() {
        let int = |v: &'static [u8]| Tlv {
            tag: INTEGER,
            value: v,
            whole: v,
        };
        assert_eq!(
            unsigned_integer(int(&[0x01, 0x00, 0x01])),
            Ok(&[1, 0, 1][..])
        );
        assert_eq!(unsigned_integer(int(&[0x00, 0x80])), Ok(&[0x80][..]));
        assert_eq!(unsigned_integer(int(&[0x00])), Ok(&[0][..]));
        assert_eq!(unsigned_integer(int(&[0x80])), Err(Malformed));
        assert_eq!(unsigned_integer(int(&[0x00, 0x7f])), Err(Malformed));
        assert_eq!(unsigned_integer(int(&[])), Err(Malformed));

        let bits = |v: &'static [u8]| Tlv {
            tag: BIT_STRING,
            value: v,
            whole: v,
        };
        assert_eq!(bit_string_bytes(bits(&[0, 9, 8])), Ok(&[9, 8][..]));
        assert_eq!(bit_string_bytes(bits(&[3, 9, 8])), Err(Malformed));
        assert_eq!(bit_string_bytes(bits(&[])), Err(Malformed));
    }
}
