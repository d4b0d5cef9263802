//! [`PinnedProvider`]: embedded-tls's `CryptoProvider` with the pinning verifier.

use core::marker::PhantomData;

use embedded_tls::{CryptoProvider, CryptoRngCore, TlsCipherSuite, TlsError, TlsVerifier};

use super::{Match, Pin, PinnedVerifier, VerifyError};

/// What `TlsContext::new` takes: random numbers for the key exchange, and the
/// [`PinnedVerifier`] for the server. Pass it by `&mut` and read
/// [`outcome`](Self::outcome) after the handshake:
///
/// ```ignore
/// let mut provider = PinnedProvider::<Aes128GcmSha256, _>::new(rng, &pins);
/// let opened = conn.open(TlsContext::new(&config, &mut provider)).await;
/// match (opened, provider.outcome()) {
///     (Ok(()), Ok(found)) => { /* authenticated: found.pin, found.depth */ }
///     (_, Err(why)) => { /* refused: why says it in words */ }
///     (Err(tls), Ok(_)) => { /* the handshake failed after the server was authenticated */ }
/// }
/// ```
///
/// Client certificates are not offered.
#[derive(Debug)]
pub struct PinnedProvider<'p, CipherSuite, Rng> {
    rng: Rng,
    verifier: PinnedVerifier<'p>,
    suite: PhantomData<CipherSuite>,
}

impl<'p, CipherSuite, Rng> PinnedProvider<'p, CipherSuite, Rng> {
    /// A provider for one handshake: `rng` must be a cryptographic RNG, `pins` the keys the
    /// server may prove it holds (primary first).
    pub const fn new(rng: Rng, pins: &'p [Pin]) -> Self {
        Self {
            rng,
            verifier: PinnedVerifier::new(pins),
            suite: PhantomData,
        }
    }

    /// Which pin authenticated the server, or why it was refused; see
    /// [`PinnedVerifier::outcome`]. A handshake that succeeded while this is an `Err` must be
    /// dropped.
    pub fn outcome(&self) -> Result<Match, VerifyError> {
        self.verifier.outcome()
    }
}

impl<CipherSuite: TlsCipherSuite, Rng: CryptoRngCore> CryptoProvider
    for PinnedProvider<'_, CipherSuite, Rng>
{
    type CipherSuite = CipherSuite;
    // Only named because the trait asks: the provider never signs (no client certificate).
    type Signature = &'static [u8];

    fn rng(&mut self) -> impl CryptoRngCore {
        &mut self.rng
    }

    fn verifier(&mut self) -> Result<&mut impl TlsVerifier<Self::CipherSuite>, TlsError> {
        Ok(&mut self.verifier)
    }
}
