//! The public key that webhook signatures are checked with: Kick's own, built in, or one read
//! from a PEM file (a test key, or Kick's if it ever changes before kickwire does).

use std::fmt;

use ring::signature::{RSA_PKCS1_2048_8192_SHA256, UnparsedPublicKey};

use super::base64;
use super::spki::{self, SpkiError};

/// Kick's public key for webhook signatures, as Kick's developer documentation publishes it
/// ("Webhook Security"; also served at `GET https://api.kick.com/public/v1/public-key`).
pub const KICK_PUBLIC_KEY_PEM: &str = "-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAq/+l1WnlRrGSolDMA+A8
6rAhMbQGmQ2SapVcGM3zq8ANXjnhDWocMqfWcTd95btDydITa10kDvHzw9WQOqp2
MZI7ZyrfzJuz5nhTPCiJwTwnEtWft7nV14BYRDHvlfqPUaZ+1KR4OCaO/wWIk/rQ
L/TjY0M70gse8rlBkbo2a8rKhu69RQTRsoaf4DVhDPEeSeI5jVrRDGAMGL3cGuyY
6CLKGdjVEM78g3JfYOvDU/RvfqD7L89TZ3iN94jrmWdGz34JNlEI5hqK8dd7C5EF
BEbZ5jgB8s8ReQV8H+MkuffjdAj3ajDDX3DOJMIut1lBrUVD1AaSrGCKHooWoL2e
twIDAQAB
-----END PUBLIC KEY-----
";

const BEGIN: &str = "-----BEGIN PUBLIC KEY-----";
const END: &str = "-----END PUBLIC KEY-----";

/// The sizes ring verifies with [`RSA_PKCS1_2048_8192_SHA256`]; a key outside them is refused
/// when it is read, not at the first delivery.
const MODULUS_BITS: std::ops::RangeInclusive<usize> = 2048..=8192;

/// An RSA public key that checks `Kick-Event-Signature` (RSASSA-PKCS1-v1_5 with SHA-256).
///
/// ```
/// use kickwire_cli::webhook::PublicKey;
/// let kick = PublicKey::kick();
/// assert_eq!(kick.modulus_bits(), 2048);
/// assert!(!kick.verify(b"id.2025-01-14T16:08:06Z.{}", &[0; 256]));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey {
    /// The DER `RSAPublicKey` ring takes.
    rsa: Vec<u8>,
    modulus_bits: usize,
    exponent: Option<u64>,
}

impl PublicKey {
    /// Kick's key ([`KICK_PUBLIC_KEY_PEM`]).
    #[must_use]
    pub fn kick() -> Self {
        // A constant that a test reads (`kick_key_is_built_in` in tests/webhook.rs): this
        // cannot fail at run time unless that test does.
        #[allow(clippy::expect_used)]
        Self::from_pem(KICK_PUBLIC_KEY_PEM).expect("Kick's built-in key parses")
    }

    /// Reads the first `BEGIN PUBLIC KEY` block (a `SubjectPublicKeyInfo`, what
    /// `openssl rsa -pubout` writes) of a PEM text; text around the block is ignored.
    ///
    /// # Errors
    /// [`KeyError`] says what is wrong with the text.
    pub fn from_pem(text: &str) -> Result<Self, KeyError> {
        let start = text.find(BEGIN).ok_or(KeyError::NoPem)?;
        let inside = text.get(start + BEGIN.len()..).ok_or(KeyError::NoPem)?;
        let end = inside.find(END).ok_or(KeyError::NoPem)?;
        let base64: Vec<u8> = inside
            .bytes()
            .take(end)
            .filter(|b| !b.is_ascii_whitespace())
            .collect();
        let der = base64::decode(&base64).ok_or(KeyError::Base64)?;
        Self::from_spki_der(&der)
    }

    /// Reads a DER `SubjectPublicKeyInfo` (what `openssl rsa -pubout -outform DER` writes).
    ///
    /// # Errors
    /// [`KeyError`] says what is wrong with the key.
    pub fn from_spki_der(der: &[u8]) -> Result<Self, KeyError> {
        let key = spki::rsa_key(der).map_err(|e| match e {
            SpkiError::Malformed => KeyError::Malformed,
            SpkiError::NotRsa => KeyError::NotRsa,
        })?;
        if !MODULUS_BITS.contains(&key.modulus_bits) {
            return Err(KeyError::Size(key.modulus_bits));
        }
        Ok(Self {
            rsa: key.der.to_vec(),
            modulus_bits: key.modulus_bits,
            exponent: key.exponent,
        })
    }

    /// Whether `signature` is this key's RSASSA-PKCS1-v1_5 SHA-256 signature of `message`.
    #[must_use]
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, &self.rsa)
            .verify(message, signature)
            .is_ok()
    }

    /// The modulus' size in bits (2048 for Kick's key).
    #[must_use]
    pub fn modulus_bits(&self) -> usize {
        self.modulus_bits
    }

    /// The public exponent (65537 for Kick's key), if it fits in 64 bits.
    #[must_use]
    pub fn exponent(&self) -> Option<u64> {
        self.exponent
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PublicKey")
            .field("modulus_bits", &self.modulus_bits)
            .field("exponent", &self.exponent)
            .finish_non_exhaustive()
    }
}

/// Why a public key was not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyError {
    /// No `-----BEGIN PUBLIC KEY-----` ... `-----END PUBLIC KEY-----` block.
    NoPem,
    /// The block is not base64.
    Base64,
    /// The block is not a DER `SubjectPublicKeyInfo`.
    Malformed,
    /// The key is not an RSA key.
    NotRsa,
    /// An RSA key of this many bits, outside 2048..=8192.
    Size(usize),
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoPem => f.write_str("no -----BEGIN PUBLIC KEY----- block"),
            Self::Base64 => f.write_str("the PEM block is not base64"),
            Self::Malformed => f.write_str("the PEM block is not a DER SubjectPublicKeyInfo"),
            Self::NotRsa => f.write_str("the key is not an RSA key"),
            Self::Size(bits) => write!(f, "an RSA key of {bits} bits (2048 to 8192 wanted)"),
        }
    }
}

impl std::error::Error for KeyError {}
