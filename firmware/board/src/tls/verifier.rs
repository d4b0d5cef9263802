//! [`PinnedVerifier`]: embedded-tls's `TlsVerifier` that authenticates the server by pinned keys.

use embedded_tls::{
    CertificateEntryRef, CertificateRef, CertificateVerifyRef, TlsCipherSuite, TlsError,
    TlsVerifier,
};
use heapless::Vec;
use sha2::Digest as _;

use super::cert::{Certificate, PublicKey};
use super::signature::{self, Failure};
use super::{KeyKind, Pin, VerifyError};

/// The longest key kept from the server's certificate for the handshake signature: an
/// uncompressed P-256 point (SEC1: 0x04, x, y).
const KEY_MAX: usize = 65;
/// The longest transcript hash (SHA-384, TLS_AES_256_GCM_SHA384).
const HASH_MAX: usize = 48;
/// What CertificateVerify signs (RFC 8446 section 4.4.3): 64 spaces, this context string with
/// its 0 byte, the transcript hash; at most 64 + 34 + 48 bytes.
const SPACES: usize = 64;
const CONTEXT: &[u8] = b"TLS 1.3, server CertificateVerify\x00";
const SIGNED_MAX: usize = 146;

/// Which pin matched, and where in the chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Match {
    /// The index of the pin in the slice given to [`PinnedVerifier::new`] (the firmware gives
    /// the primary pin first, then the backup).
    pub pin: usize,
    /// The certificate whose key matched: 0 the server's own, 1 the next, ...
    pub depth: usize,
}

/// Where the handshake stands, for the verifier.
#[derive(Debug, Clone, Copy, PartialEq)]
enum State {
    /// Nothing seen yet.
    Waiting,
    /// The chain is accepted; the server's key and the transcript are kept for its signature.
    Certified(Match),
    /// The server proved it holds the key.
    Authenticated(Match),
    /// Refused; the first reason is kept.
    Failed(VerifyError),
}

/// Authenticates a TLS 1.3 server by the SHA-256 of a `SubjectPublicKeyInfo` in its chain.
///
/// Accepts a server when
/// 1. some certificate of its chain, at depth `d`, has a key whose [`Pin`] is one of `pins`;
/// 2. each certificate below it, from the server's own (depth 0) up to `d - 1`, is signed by
///    the key of the one after it, and every signer is a CA (so a real intermediate sent next
///    to a certificate it did not sign is refused);
/// 3. the handshake's CertificateVerify is signed by the server's key over the transcript.
///
/// No clock and no root store: validity dates, names and revocation are not checked (see the
/// [module docs](super)). Reuse one verifier per handshake: it remembers what it saw.
///
/// After `open` returns `Ok`, ask [`outcome`](Self::outcome): embedded-tls 0.19 accepts a
/// handshake in which the server sends neither Certificate nor CertificateVerify, and only the
/// verifier can tell that this happened.
#[derive(Debug)]
pub struct PinnedVerifier<'p> {
    pins: &'p [Pin],
    state: State,
    /// The server's key (a SEC1 P-256 point), copied out of the handshake record: the
    /// signature may come in a later record.
    key: Vec<u8, KEY_MAX>,
    /// The transcript hash up to and including the Certificate message: what the server signs.
    transcript: Vec<u8, HASH_MAX>,
}

impl<'p> PinnedVerifier<'p> {
    /// A verifier for one handshake that trusts exactly the keys `pins` name (primary first).
    pub const fn new(pins: &'p [Pin]) -> Self {
        Self {
            pins,
            state: State::Waiting,
            key: Vec::new(),
            transcript: Vec::new(),
        }
    }

    /// The verdict once the handshake is over: which pin matched, or why the server was
    /// refused ([`VerifyError::Incomplete`] if it never proved its key).
    pub fn outcome(&self) -> Result<Match, VerifyError> {
        match self.state {
            State::Authenticated(found) => Ok(found),
            State::Failed(error) => Err(error),
            State::Waiting | State::Certified(_) => Err(VerifyError::Incomplete),
        }
    }

    /// Records the refusal (the first one wins) and tells embedded-tls.
    fn fail(&mut self, error: VerifyError) -> TlsError {
        let error = match self.state {
            State::Failed(first) => first,
            _ => error,
        };
        self.state = State::Failed(error);
        error.tls_error()
    }

    /// Steps 1 and 2 (see the type's docs): which pin matches, the signatures from the pinned
    /// certificate down to the server's, and the server's key for step 3.
    fn check_chain<'c>(
        &self,
        entries: &[CertificateEntryRef<'c>],
    ) -> Result<(Match, &'c [u8]), VerifyError> {
        if self.pins.is_empty() {
            return Err(VerifyError::NoPins);
        }
        let leaf = entries.first().ok_or(VerifyError::NoCertificate)?;
        let leaf = parse(leaf, 0)?;
        let found = self.find_pin(entries)?;
        let mut child = leaf;
        for (depth, entry) in entries.iter().enumerate().skip(1).take(found.depth) {
            let parent = parse(entry, depth)?;
            if !parent.ca {
                return Err(VerifyError::NotCa { depth });
            }
            let below = depth.saturating_sub(1);
            signature::certificate(parent.key, child.algorithm, child.tbs, child.signature)
                .map_err(|failure| match failure {
                    Failure::Key(kind) => VerifyError::UnsupportedKey { depth, kind },
                    Failure::Algorithm(algorithm) => VerifyError::UnsupportedAlgorithm {
                        depth: below,
                        algorithm,
                    },
                    Failure::Scheme(_) | Failure::Invalid => {
                        VerifyError::BrokenChain { depth: below }
                    }
                })?;
            child = parent;
        }
        match leaf.key {
            PublicKey::P256(point) => Ok((found, point)),
            PublicKey::Rsa { .. } => Err(VerifyError::UnsupportedKey {
                depth: 0,
                kind: KeyKind::Rsa,
            }),
            PublicKey::Unsupported(kind) => Err(VerifyError::UnsupportedKey { depth: 0, kind }),
        }
    }

    /// The first certificate, from the server's own up, whose key a pin names.
    fn find_pin(&self, entries: &[CertificateEntryRef<'_>]) -> Result<Match, VerifyError> {
        for (depth, entry) in entries.iter().enumerate() {
            let cert = parse(entry, depth)?;
            if let Some(pin) = self.pins.iter().position(|pin| pin.matches(cert.spki)) {
                return Ok(Match { pin, depth });
            }
        }
        Err(VerifyError::NotPinned)
    }
}

/// The certificate at `depth` of the chain.
fn parse<'a>(
    entry: &CertificateEntryRef<'a>,
    depth: usize,
) -> Result<Certificate<'a>, VerifyError> {
    match entry {
        CertificateEntryRef::X509(der) => {
            Certificate::parse(der).map_err(|_| VerifyError::Malformed { depth })
        }
        // embedded-tls reads every entry as X.509; a raw public key is not pinned here.
        CertificateEntryRef::RawPublicKey(_) => Err(VerifyError::Malformed { depth }),
    }
}

impl<CipherSuite: TlsCipherSuite> TlsVerifier<CipherSuite> for PinnedVerifier<'_> {
    /// The pin names the key, so the host name is not compared with the certificate's names.
    fn set_hostname_verification(&mut self, _hostname: &str) -> Result<(), TlsError> {
        Ok(())
    }

    fn verify_certificate(
        &mut self,
        transcript: &CipherSuite::Hash,
        chain: CertificateRef<'_>,
    ) -> Result<(), TlsError> {
        if self.state != State::Waiting {
            return Err(self.fail(VerifyError::OutOfOrder));
        }
        let (found, point) = match self.check_chain(&chain.entries) {
            Ok(accepted) => accepted,
            Err(error) => return Err(self.fail(error)),
        };
        self.key.clear();
        self.transcript.clear();
        let kept = self.key.extend_from_slice(point).and_then(|()| {
            self.transcript
                .extend_from_slice(&transcript.clone().finalize())
        });
        if kept.is_err() {
            // A P-256 point longer than 65 bytes is not one; a hash longer than SHA-384 is
            // not a TLS 1.3 suite's.
            return Err(self.fail(VerifyError::Malformed { depth: 0 }));
        }
        self.state = State::Certified(found);
        Ok(())
    }

    fn verify_signature(&mut self, verify: CertificateVerifyRef<'_>) -> Result<(), TlsError> {
        let State::Certified(found) = self.state else {
            return Err(self.fail(VerifyError::OutOfOrder));
        };
        let mut signed: Vec<u8, SIGNED_MAX> = Vec::new();
        let built = signed
            .resize(SPACES, 0x20)
            .and_then(|()| signed.extend_from_slice(CONTEXT))
            .and_then(|()| signed.extend_from_slice(&self.transcript));
        if built.is_err() {
            return Err(self.fail(VerifyError::Malformed { depth: 0 }));
        }
        let key = PublicKey::P256(&self.key);
        match signature::handshake(key, verify.signature_scheme, &signed, verify.signature) {
            Ok(()) => {
                self.state = State::Authenticated(found);
                Ok(())
            }
            Err(Failure::Scheme(scheme)) => Err(self.fail(VerifyError::UnsupportedScheme(scheme))),
            Err(Failure::Key(kind)) => {
                Err(self.fail(VerifyError::UnsupportedKey { depth: 0, kind }))
            }
            Err(Failure::Algorithm(_) | Failure::Invalid) => {
                Err(self.fail(VerifyError::BadSignature))
            }
        }
    }
}
