//! The parts of an X.509 certificate (RFC 5280 section 4.1) the pinning verifier uses: the
//! signed bytes and their signature, the SubjectPublicKeyInfo (hashed for the pin, and the key
//! that checks the handshake or the certificate below), and whether it is a CA.
//!
//! Not read: names, validity dates (the board has no clock), key usage, policies. The chain is
//! checked by signatures from the pinned key down; see the [module docs](super).

use super::der::{self, Malformed, Reader, Tlv};

/// The type of a public key, as far as the verifier tells them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum KeyKind {
    /// ECDSA on P-256 (secp256r1): supported.
    EcdsaP256,
    /// ECDSA on P-384 (secp384r1).
    EcdsaP384,
    /// ECDSA on another curve.
    EcdsaOther,
    /// RSA.
    Rsa,
    /// Ed25519.
    Ed25519,
    /// Anything else.
    Other,
}

impl KeyKind {
    /// A short name for messages.
    pub const fn name(self) -> &'static str {
        match self {
            Self::EcdsaP256 => "ECDSA P-256",
            Self::EcdsaP384 => "ECDSA P-384",
            Self::EcdsaOther => "ECDSA (other curve)",
            Self::Rsa => "RSA",
            Self::Ed25519 => "Ed25519",
            Self::Other => "unknown",
        }
    }
}

/// The algorithm a certificate is signed with (its `signatureAlgorithm`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum SignatureAlgorithm {
    /// `ecdsa-with-SHA256`: supported (with a P-256 issuer key).
    EcdsaSha256,
    /// `ecdsa-with-SHA384`.
    EcdsaSha384,
    /// `sha256WithRSAEncryption` (PKCS #1 v1.5).
    RsaPkcs1Sha256,
    /// `sha384WithRSAEncryption`.
    RsaPkcs1Sha384,
    /// `sha512WithRSAEncryption`.
    RsaPkcs1Sha512,
    /// `Ed25519`.
    Ed25519,
    /// Anything else (RSASSA-PSS, SHA-1, ...).
    Other,
}

impl SignatureAlgorithm {
    /// A short name for messages.
    pub const fn name(self) -> &'static str {
        match self {
            Self::EcdsaSha256 => "ecdsa-with-SHA256",
            Self::EcdsaSha384 => "ecdsa-with-SHA384",
            Self::RsaPkcs1Sha256 => "sha256WithRSAEncryption",
            Self::RsaPkcs1Sha384 => "sha384WithRSAEncryption",
            Self::RsaPkcs1Sha512 => "sha512WithRSAEncryption",
            Self::Ed25519 => "Ed25519",
            Self::Other => "unknown",
        }
    }
}

/// A public key, borrowed from the certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PublicKey<'a> {
    /// A SEC1 point on P-256.
    P256(&'a [u8]),
    /// An RSA key: modulus and public exponent, big-endian, no leading zeros.
    Rsa {
        modulus: &'a [u8],
        exponent: &'a [u8],
    },
    /// A key the verifier cannot use.
    Unsupported(KeyKind),
}

/// One parsed certificate.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Certificate<'a> {
    /// `tbsCertificate`, tag and length included: what the issuer signed.
    pub(crate) tbs: &'a [u8],
    pub(crate) algorithm: SignatureAlgorithm,
    pub(crate) signature: &'a [u8],
    /// The whole `subjectPublicKeyInfo` element: what a pin is the SHA-256 of.
    pub(crate) spki: &'a [u8],
    pub(crate) key: PublicKey<'a>,
    /// `basicConstraints` says `cA`: it may sign certificates.
    pub(crate) ca: bool,
}

// Object identifiers, as the bytes of their DER contents (X.690 section 8.19).
/// 1.2.840.10045.2.1 id-ecPublicKey
const EC_PUBLIC_KEY: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
/// 1.2.840.10045.3.1.7 prime256v1 (P-256)
const P256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
/// 1.3.132.0.34 secp384r1 (P-384)
const P384: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x22];
/// 1.2.840.113549.1.1.1 rsaEncryption
const RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
/// 1.3.101.112 Ed25519
const ED25519: &[u8] = &[0x2b, 0x65, 0x70];
/// 1.2.840.10045.4.3.2 ecdsa-with-SHA256
const ECDSA_SHA256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02];
/// 1.2.840.10045.4.3.3 ecdsa-with-SHA384
const ECDSA_SHA384: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03];
/// 1.2.840.113549.1.1.11 sha256WithRSAEncryption (.12 SHA-384, .13 SHA-512)
const RSA_PKCS1_SHA256: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b];
const RSA_PKCS1_SHA384: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c];
const RSA_PKCS1_SHA512: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d];
/// 2.5.29.19 basicConstraints
const BASIC_CONSTRAINTS: &[u8] = &[0x55, 0x1d, 0x13];

/// `[0] EXPLICIT` version, `[1]`/`[2] IMPLICIT` unique ids, `[3] EXPLICIT` extensions.
const VERSION: u8 = 0xa0;
const ISSUER_UID: u8 = 0x81;
const SUBJECT_UID: u8 = 0x82;
const EXTENSIONS: u8 = 0xa3;

impl<'a> Certificate<'a> {
    /// Reads a DER certificate; all of `der` must be the one certificate.
    pub(crate) fn parse(der: &'a [u8]) -> Result<Self, Malformed> {
        let mut outer = Reader::new(der);
        let mut cert = outer.sequence()?;
        outer.finish()?;
        let tbs = cert.expect(der::SEQUENCE)?;
        let algorithm_id = cert.expect(der::SEQUENCE)?;
        let signature = der::bit_string_bytes(cert.read()?)?;
        cert.finish()?;

        let mut fields = Reader::new(tbs.value);
        fields.optional(VERSION)?;
        fields.expect(der::INTEGER)?; // serialNumber
        // RFC 5280 4.1.1.2: the signed copy of the algorithm must equal the outer one.
        if fields.expect(der::SEQUENCE)?.whole != algorithm_id.whole {
            return Err(Malformed);
        }
        fields.expect(der::SEQUENCE)?; // issuer
        fields.expect(der::SEQUENCE)?; // validity: not checked, the board has no clock
        fields.expect(der::SEQUENCE)?; // subject
        let spki = fields.expect(der::SEQUENCE)?;
        fields.optional(ISSUER_UID)?;
        fields.optional(SUBJECT_UID)?;
        let ca = match fields.optional(EXTENSIONS)? {
            Some(extensions) => is_ca(extensions)?,
            None => false,
        };
        fields.finish()?;

        Ok(Self {
            tbs: tbs.whole,
            algorithm: signature_algorithm(algorithm_id)?,
            signature,
            spki: spki.whole,
            key: public_key(spki)?,
            ca,
        })
    }
}

/// `AlgorithmIdentifier` of a signature.
fn signature_algorithm(tlv: Tlv<'_>) -> Result<SignatureAlgorithm, Malformed> {
    let mut r = Reader::new(tlv.value);
    let oid = r.expect(der::OID)?.value;
    // RSA's parameters are NULL (RFC 4055 says present; some encoders leave them out); ECDSA
    // and Ed25519 have none (RFC 5758, RFC 8410).
    let null = r.optional(der::NULL)?.is_some();
    let algorithm = match oid {
        ECDSA_SHA256 if !null => SignatureAlgorithm::EcdsaSha256,
        ECDSA_SHA384 if !null => SignatureAlgorithm::EcdsaSha384,
        RSA_PKCS1_SHA256 => SignatureAlgorithm::RsaPkcs1Sha256,
        RSA_PKCS1_SHA384 => SignatureAlgorithm::RsaPkcs1Sha384,
        RSA_PKCS1_SHA512 => SignatureAlgorithm::RsaPkcs1Sha512,
        ED25519 if !null => SignatureAlgorithm::Ed25519,
        // Other parameters (RSASSA-PSS's) are not read: the algorithm is unsupported anyway.
        _ => return Ok(SignatureAlgorithm::Other),
    };
    r.finish()?;
    Ok(algorithm)
}

/// The key of a `SubjectPublicKeyInfo`.
fn public_key(spki: Tlv<'_>) -> Result<PublicKey<'_>, Malformed> {
    let mut r = Reader::new(spki.value);
    let mut algorithm = r.sequence()?;
    let bits = der::bit_string_bytes(r.read()?)?;
    r.finish()?;
    let oid = algorithm.expect(der::OID)?.value;
    let key = match oid {
        EC_PUBLIC_KEY => match algorithm.expect(der::OID)?.value {
            P256 => PublicKey::P256(bits),
            P384 => PublicKey::Unsupported(KeyKind::EcdsaP384),
            _ => PublicKey::Unsupported(KeyKind::EcdsaOther),
        },
        RSA_ENCRYPTION => {
            algorithm.optional(der::NULL)?;
            // RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } (RFC 8017).
            let mut outer = Reader::new(bits);
            let mut fields = outer.sequence()?;
            outer.finish()?;
            let modulus = der::unsigned_integer(fields.read()?)?;
            let exponent = der::unsigned_integer(fields.read()?)?;
            fields.finish()?;
            PublicKey::Rsa { modulus, exponent }
        }
        ED25519 => PublicKey::Unsupported(KeyKind::Ed25519),
        _ => return Ok(PublicKey::Unsupported(KeyKind::Other)),
    };
    algorithm.finish()?;
    Ok(key)
}

/// Whether the `[3]` extensions hold `basicConstraints` with `cA` true.
fn is_ca(extensions: Tlv<'_>) -> Result<bool, Malformed> {
    let mut outer = Reader::new(extensions.value);
    let mut list = outer.sequence()?;
    outer.finish()?;
    while !list.is_empty() {
        let mut extension = list.sequence()?;
        let id = extension.expect(der::OID)?.value;
        extension.optional(der::BOOLEAN)?; // critical
        let value = extension.expect(der::OCTET_STRING)?.value;
        extension.finish()?;
        if id == BASIC_CONSTRAINTS {
            // BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLen INTEGER OPTIONAL }
            let mut outer = Reader::new(value);
            let mut constraints = outer.sequence()?;
            outer.finish()?;
            return Ok(match constraints.optional(der::BOOLEAN)? {
                Some(flag) => flag.value == [0xff],
                None => false,
            });
        }
    }
    Ok(false)
}
