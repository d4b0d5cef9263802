//! Signature checks: a certificate by its issuer's key, and the handshake's CertificateVerify
//! by the server's key. ECDSA P-256 with SHA-256 only (`p256`, the curve embedded-tls already
//! links for the key exchange); every other combination is refused by name.

use embedded_tls::SignatureScheme;
use p256::ecdsa::signature::Verifier as _;
use p256::ecdsa::{Signature, VerifyingKey};

use super::KeyKind;
use super::cert::{PublicKey, SignatureAlgorithm};

/// Why a signature was not accepted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Failure {
    /// The signing key is of a type the verifier cannot check.
    Key(KeyKind),
    /// The certificate's signature algorithm is not one the verifier checks.
    Algorithm(SignatureAlgorithm),
    /// The handshake signature scheme is not one the verifier checks with this key.
    Scheme(SignatureScheme),
    /// The signature is wrong (or not from this key).
    Invalid,
}

/// Checks `signature` over the certificate's signed bytes `tbs` with the issuer's key.
pub(crate) fn certificate(
    issuer: PublicKey<'_>,
    algorithm: SignatureAlgorithm,
    tbs: &[u8],
    signature: &[u8],
) -> Result<(), Failure> {
    match (algorithm, issuer) {
        (_, PublicKey::Unsupported(kind)) => Err(Failure::Key(kind)),
        (SignatureAlgorithm::EcdsaSha256, PublicKey::P256(point)) => {
            ecdsa_p256_sha256(point, tbs, signature)
        }
        // An ECDSA signature cannot come from an RSA key (nor the reverse).
        (SignatureAlgorithm::EcdsaSha256, PublicKey::Rsa { .. }) => Err(Failure::Invalid),
        (SignatureAlgorithm::RsaPkcs1Sha256, PublicKey::P256(_)) => Err(Failure::Invalid),
        (other, _) => Err(Failure::Algorithm(other)),
    }
}

/// Checks the CertificateVerify `signature` over `message` (RFC 8446 section 4.4.3) with the
/// server's key.
pub(crate) fn handshake(
    server: PublicKey<'_>,
    scheme: SignatureScheme,
    message: &[u8],
    signature: &[u8],
) -> Result<(), Failure> {
    match (server, scheme) {
        (PublicKey::Unsupported(kind), _) => Err(Failure::Key(kind)),
        (PublicKey::P256(point), SignatureScheme::EcdsaSecp256r1Sha256) => {
            ecdsa_p256_sha256(point, message, signature)
        }
        (PublicKey::Rsa { .. }, _) => Err(Failure::Key(KeyKind::Rsa)),
        (PublicKey::P256(_), other) => Err(Failure::Scheme(other)),
    }
}

/// ECDSA over P-256 with SHA-256; `signature` is DER (`ECDSA-Sig-Value`), as both X.509 and TLS
/// carry it.
fn ecdsa_p256_sha256(point: &[u8], message: &[u8], signature: &[u8]) -> Result<(), Failure> {
    let key = VerifyingKey::from_sec1_bytes(point).map_err(|_| Failure::Invalid)?;
    let signature = Signature::from_der(signature).map_err(|_| Failure::Invalid)?;
    key.verify(message, &signature)
        .map_err(|_| Failure::Invalid)
}
