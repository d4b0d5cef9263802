//! Why the verifier refused a server.

use embedded_tls::{SignatureScheme, TlsError};

use super::{KeyKind, SignatureAlgorithm};

/// Why the server was not authenticated. `depth` counts certificates in the server's chain:
/// 0 is the server's own (the leaf), 1 the certificate after it, and so on.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum VerifyError {
    /// No pin was given, so no server can be authenticated.
    NoPins,
    /// The server sent an empty certificate chain.
    NoCertificate,
    /// A certificate is not DER the verifier reads.
    Malformed {
        /// Which certificate.
        depth: usize,
    },
    /// No certificate in the chain has a pinned key: this is not the server the pins name (or
    /// its key changed and the pins were not updated).
    NotPinned,
    /// The certificate at `depth` is not signed by the key of the certificate after it, so the
    /// chain does not lead from the server's key to the pinned one.
    BrokenChain {
        /// The certificate whose signature is wrong.
        depth: usize,
    },
    /// The certificate at `depth` signs the one before it but is not a CA (`basicConstraints`).
    NotCa {
        /// The certificate that is not a CA.
        depth: usize,
    },
    /// A key the verifier needs to use is of a type it does not support.
    UnsupportedKey {
        /// The certificate holding the key.
        depth: usize,
        /// Its type.
        kind: KeyKind,
    },
    /// A certificate between the server's and the pinned one is signed with an algorithm the
    /// verifier does not support.
    UnsupportedAlgorithm {
        /// The certificate.
        depth: usize,
        /// Its signature algorithm.
        algorithm: SignatureAlgorithm,
    },
    /// The server signed the handshake with a scheme the verifier does not support for its key.
    UnsupportedScheme(SignatureScheme),
    /// The handshake signature (CertificateVerify) is wrong: the server does not hold the
    /// private key of the certificate it sent.
    BadSignature,
    /// Handshake messages came in an order TLS 1.3 does not allow (a signature before the
    /// certificate, or a second certificate).
    OutOfOrder,
    /// The handshake ended without the server proving its key (no Certificate or no
    /// CertificateVerify): embedded-tls accepts that, the verifier does not.
    Incomplete,
}

impl VerifyError {
    /// The error embedded-tls gets (it ends the handshake).
    pub(crate) fn tls_error(self) -> TlsError {
        match self {
            Self::BadSignature => TlsError::InvalidSignature,
            Self::UnsupportedScheme(_) => TlsError::InvalidSignatureScheme,
            Self::OutOfOrder | Self::Incomplete => TlsError::InvalidHandshake,
            _ => TlsError::InvalidCertificate,
        }
    }
}

impl core::fmt::Display for VerifyError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match *self {
            Self::NoPins => f.write_str("no pin configured: the server cannot be authenticated"),
            Self::NoCertificate => f.write_str("the server sent no certificate"),
            Self::Malformed { depth } => {
                write!(f, "certificate {depth} of the server's chain is malformed")
            }
            Self::NotPinned => f.write_str(
                "server key not pinned: no certificate in the server's chain has a key matching \
                 the primary or the backup pin",
            ),
            Self::BrokenChain { depth } => write!(
                f,
                "certificate {depth} of the server's chain is not signed by certificate {}",
                depth.saturating_add(1)
            ),
            Self::NotCa { depth } => write!(
                f,
                "certificate {depth} of the server's chain signs another but is not a CA"
            ),
            Self::UnsupportedKey { depth: 0, kind } => {
                write!(f, "server key type {} not supported", kind.name())
            }
            Self::UnsupportedKey { depth, kind } => write!(
                f,
                "key type {} of certificate {depth} of the server's chain not supported",
                kind.name()
            ),
            Self::UnsupportedAlgorithm { depth, algorithm } => write!(
                f,
                "signature algorithm {} of certificate {depth} of the server's chain not supported",
                algorithm.name()
            ),
            Self::UnsupportedScheme(scheme) => {
                write!(f, "handshake signature scheme {scheme:?} not supported")
            }
            Self::BadSignature => f.write_str(
                "the server's handshake signature is invalid: it does not hold the key of its \
                 certificate",
            ),
            Self::OutOfOrder => f.write_str("the server's handshake messages are out of order"),
            Self::Incomplete => {
                f.write_str("the server did not prove its key (no certificate or no signature)")
            }
        }
    }
}

impl core::error::Error for VerifyError {}
