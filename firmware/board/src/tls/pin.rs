//! A pin: the SHA-256 of a DER `SubjectPublicKeyInfo`.

use sha2::{Digest as _, Sha256};

/// The SHA-256 of a DER-encoded `SubjectPublicKeyInfo` (the public key and its algorithm), the
/// value HPKP called `pin-sha256` (RFC 7469 section 2.4) and curl's `--pinnedpubkey sha256//`
/// takes, in raw bytes rather than base64.
///
/// It names a key, not a certificate: a certificate renewed with the same key keeps its pin.
///
/// ```
/// use kickwire_board::tls::Pin;
/// let pin = Pin::new([0x5e; 32]);
/// assert_eq!(pin.sha256(), &[0x5e; 32]);
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Pin([u8; 32]);

impl Pin {
    /// A pin from its 32 hash bytes.
    pub const fn new(sha256: [u8; 32]) -> Self {
        Self(sha256)
    }

    /// The 32 hash bytes.
    pub const fn sha256(&self) -> &[u8; 32] {
        &self.0
    }

    /// Whether this pin names the key of `spki` (a whole DER `SubjectPublicKeyInfo`).
    pub(crate) fn matches(&self, spki: &[u8]) -> bool {
        Sha256::digest(spki).as_slice() == self.0.as_slice()
    }
}

impl core::fmt::Debug for Pin {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Pin(")?;
        for byte in self.0 {
            write!(f, "{byte:02x}")?;
        }
        f.write_str(")")
    }
}
