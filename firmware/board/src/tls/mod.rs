//! Server authentication for the board's TLS (`wss://`) without a clock or a root store: the
//! server must show a key whose SHA-256 is pinned at build time (feature `tls`).
//!
//! [`PinnedProvider`] plugs into embedded-tls 0.19 (`TlsContext::new(&config, &mut provider)`);
//! its [`PinnedVerifier`] accepts the server when
//! 1. a certificate of the chain it sends has a `SubjectPublicKeyInfo` whose SHA-256 is one of
//!    the [`Pin`]s (a primary and a backup): the server's own certificate (the leaf) or one
//!    further up (an intermediate, or a root the server sends);
//! 2. when the pinned certificate is not the leaf, each certificate from the leaf up to it is
//!    signed by the key of the next one, and each signer is a CA. Without this, anyone could
//!    send the real intermediate next to a certificate of their own;
//! 3. the handshake's CertificateVerify is signed with the leaf's key over the transcript, so
//!    the server holds that key's private half (a copied certificate is not enough).
//!
//! It also refuses a handshake that skips the Certificate or CertificateVerify message
//! (embedded-tls 0.19 would complete it): check [`PinnedProvider::outcome`] after `open`.
//!
//! # What is not checked, and why pinning makes that acceptable
//! - **Validity dates**: the board has no clock (no RTC, no SNTP). An expired certificate with
//!   a pinned key is accepted. A pin trusts one key, not a CA's statement about a name for a
//!   period, so the dates carry little: what they protect against is the use of a key after it
//!   is retired or leaked, and the answer to that here is to change the pins and rebuild.
//! - **Names** (the host name against the certificate's): the pin already names the one key
//!   (or the one CA key) the board accepts.
//! - **Revocation** (OCSP, CRLs): no network access to them, and no clock to judge them.
//! - **Other extensions** (key usage, name constraints, policies) of the certificates between
//!   the leaf and the pinned one. A pinned intermediate is trusted like a private CA.
//!
//! # Supported keys and algorithms
//! ECDSA P-256 with SHA-256: the server key, the handshake signature
//! (`ecdsa_secp256r1_sha256`) and certificate signatures (`ecdsa-with-SHA256`) below the pinned
//! certificate. Anything else is refused by name ([`VerifyError::UnsupportedKey`], "server
//! key type RSA not supported", and [`VerifyError::UnsupportedAlgorithm`]). Certificates
//! *above* the pinned one are never looked at, so their types do not matter.
//!
//! ```
//! use kickwire_board::tls::{Pin, PinnedVerifier, VerifyError};
//! // The SHA-256 of the server's SubjectPublicKeyInfo, e.g. from
//! // `openssl x509 -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256`.
//! const PINS: [Pin; 2] = [Pin::new([0x11; 32]), Pin::new([0x22; 32])];
//! let verifier = PinnedVerifier::new(&PINS);
//! // Nothing seen yet: not authenticated.
//! assert_eq!(verifier.outcome(), Err(VerifyError::Incomplete));
//! ```

mod cert;
mod der;
mod error;
mod pin;
mod provider;
mod signature;
mod verifier;

pub use cert::{KeyKind, SignatureAlgorithm};
pub use error::VerifyError;
pub use pin::Pin;
pub use provider::PinnedProvider;
pub use verifier::{Match, PinnedVerifier};
