//! The RSA key inside a DER `SubjectPublicKeyInfo` (what a PEM `BEGIN PUBLIC KEY` block holds).
//!
//! ring's RSA verification wants the inner `RSAPublicKey` (RFC 8017 appendix A.1.1: the
//! modulus and the exponent), not the `SubjectPublicKeyInfo` around it (RFC 5280 section
//! 4.1.2.7) that Kick publishes. This walks the few DER elements between the two, strictly:
//! definite, minimal lengths, the `rsaEncryption` algorithm with its NULL parameters (RFC 3279
//! section 2.3.1), and nothing after the last element.

const SEQUENCE: u8 = 0x30;
const INTEGER: u8 = 0x02;
const BIT_STRING: u8 = 0x03;
const OBJECT_IDENTIFIER: u8 = 0x06;
/// The algorithm's parameters: DER NULL, tag 5, length 0.
const NULL: &[u8] = &[0x05, 0x00];
/// 1.2.840.113549.1.1.1, `rsaEncryption`, as DER object identifier contents.
const RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];

/// An RSA public key read out of a `SubjectPublicKeyInfo`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RsaKey<'a> {
    /// The DER `RSAPublicKey`, as ring takes it.
    pub(crate) der: &'a [u8],
    /// The modulus' size in bits.
    pub(crate) modulus_bits: usize,
    /// The public exponent, if it fits in 64 bits.
    pub(crate) exponent: Option<u64>,
}

/// Why a `SubjectPublicKeyInfo` was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SpkiError {
    /// Not well-formed DER of the expected shape.
    Malformed,
    /// Well-formed, but the key's algorithm is not RSA.
    NotRsa,
}

/// Reads the RSA key out of a DER `SubjectPublicKeyInfo`.
pub(crate) fn rsa_key(spki: &[u8]) -> Result<RsaKey<'_>, SpkiError> {
    use SpkiError::Malformed;
    let info = only(spki, SEQUENCE).ok_or(Malformed)?;
    let (algorithm, rest) = element(info, SEQUENCE).ok_or(Malformed)?;
    let key_bits = only(rest, BIT_STRING).ok_or(Malformed)?;
    let (oid, parameters) = element(algorithm, OBJECT_IDENTIFIER).ok_or(Malformed)?;
    if oid != RSA_ENCRYPTION {
        return Err(SpkiError::NotRsa);
    }
    if parameters != NULL {
        return Err(Malformed);
    }
    // A BIT STRING starts with its count of unused bits in the last byte: a DER key has none.
    let der = match key_bits.split_first() {
        Some((0, der)) => der,
        _ => return Err(Malformed),
    };
    let fields = only(der, SEQUENCE).ok_or(Malformed)?;
    let (modulus, rest) = element(fields, INTEGER).ok_or(Malformed)?;
    let exponent = only(rest, INTEGER).ok_or(Malformed)?;
    let modulus = positive_magnitude(modulus).ok_or(Malformed)?;
    let exponent = positive_magnitude(exponent).ok_or(Malformed)?;
    let modulus_bits = match modulus.first() {
        Some(top) => (modulus.len() - 1) * 8 + (8 - top.leading_zeros() as usize),
        None => 0,
    };
    let exponent =
        (exponent.len() <= 8).then(|| exponent.iter().fold(0u64, |e, &b| (e << 8) | u64::from(b)));
    Ok(RsaKey {
        der,
        modulus_bits,
        exponent,
    })
}

/// The contents of the one element `input` holds, if it has tag `tag` and nothing follows it.
fn only(input: &[u8], tag: u8) -> Option<&[u8]> {
    match element(input, tag)? {
        (contents, []) => Some(contents),
        _ => None,
    }
}

/// The contents of the element at the start of `input` (if it has tag `tag`) and what follows.
fn element(input: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
    let (&found, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    if found != tag {
        return None;
    }
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        // Long form: the low bits count the length's bytes. 0 would be BER's indefinite
        // length; more than 4 bytes is no key anyone sends.
        let count = usize::from(first & 0x7f);
        if !(1..=4).contains(&count) {
            return None;
        }
        let (bytes, rest) = rest.split_at_checked(count)?;
        let len = bytes
            .iter()
            .fold(0usize, |len, &b| (len << 8) | usize::from(b));
        // DER: the shortest form, so no leading zero byte and no long form under 128.
        if bytes.first() == Some(&0) || len < 0x80 {
            return None;
        }
        (len, rest)
    };
    rest.split_at_checked(len)
}

/// The magnitude of a DER INTEGER (without its sign byte), if it is positive and minimal.
fn positive_magnitude(integer: &[u8]) -> Option<&[u8]> {
    match integer {
        // A leading zero is only there to keep a high bit from reading as a sign.
        [0, next, ..] if *next >= 0x80 => integer.get(1..),
        [0, ..] => None,
        [first, ..] if *first >= 0x80 => None,
        [_, ..] => Some(integer),
        [] => None,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    /// A hand-built `SubjectPublicKeyInfo` around the `RSAPublicKey` { n = 0x00c5 (sign byte,
    /// then 197: 8 bits), e = 3 }, wrapped as RFC 5280 says.
    const SMALL: &[u8] = &[
        0x30, 0x1b, // SubjectPublicKeyInfo, 27 bytes
        0x30, 0x0d, // AlgorithmIdentifier, 13 bytes
        0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, // rsaEncryption
        0x05, 0x00, // NULL
        0x03, 0x0a, 0x00, // BIT STRING, 10 bytes, no unused bits
        0x30, 0x07, 0x02, 0x02, 0x00, 0xc5, 0x02, 0x01, 0x03, // RSAPublicKey
    ];

    #[test]
    fn reads_a_hand_built_key() {
        let key = rsa_key(SMALL).unwrap();
        assert_eq!(key.der, &SMALL[20..]);
        assert_eq!(key.modulus_bits, 8);
        assert_eq!(key.exponent, Some(3));
    }

    #[test]
    fn refuses_another_algorithm() {
        let mut ec = SMALL.to_vec();
        // 1.2.840.10045.2.1 (id-ecPublicKey) has one byte less; change the last arc instead:
        // 1.2.840.113549.1.1.2 is md2WithRSAEncryption, no key algorithm.
        ec[14] = 0x02;
        assert_eq!(rsa_key(&ec), Err(SpkiError::NotRsa));
    }

    #[test]
    fn refuses_malformed_der() {
        let cases: [(&str, Vec<u8>); 5] = [
            ("cut short", SMALL[..SMALL.len() - 1].to_vec()),
            ("trailing byte", [SMALL, &[0]].concat()),
            ("unused bits in the BIT STRING", {
                let mut v = SMALL.to_vec();
                v[19] = 1;
                v
            }),
            ("parameters absent", {
                let mut v = SMALL.to_vec();
                v.splice(15..17, []);
                v[1] = 0x19;
                v[3] = 0x0b;
                v
            }),
            ("negative modulus (sign byte dropped)", {
                let mut v = SMALL.to_vec();
                v.splice(24..25, []);
                v[1] = 0x1a;
                v[18] = 0x09;
                v[21] = 0x06;
                v[23] = 0x01;
                v
            }),
        ];
        for (what, der) in cases {
            assert_eq!(rsa_key(&der), Err(SpkiError::Malformed), "{what}");
        }
    }

    #[test]
    fn long_lengths_must_be_minimal() {
        // 0x81 0x05 says "one length byte: 5", which DER writes as 0x05.
        assert_eq!(element(&[0x30, 0x81, 0x05, 1, 2, 3, 4, 5], SEQUENCE), None);
        let long = [&[0x04, 0x81, 0x80][..], &[7; 0x80]].concat();
        assert_eq!(element(&long, 0x04), Some((&long[3..], &[][..])));
    }
}
