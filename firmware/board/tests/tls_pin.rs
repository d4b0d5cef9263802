//! The board's `wss://` path against a real TLS 1.3 server on 127.0.0.1: the WebSocket link
//! over embedded-tls (its blocking client, over std TCP) with the pinning verifier, and a
//! rustls server with keys and certificates made fresh for each test (rcgen) that serves the
//! Pusher handshake and one Kick event.
//!
//! The pins are computed here with ring's SHA-256 over rcgen's SubjectPublicKeyInfo encoding,
//! not by the code under test. Every socket has a 10 s timeout and every loop a bound.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

// The link's own test harness (the link is the kickwire-link crate now).
#[path = "../../link/tests/link_common/mod.rs"]
mod link_common;

use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use embedded_tls::blocking::{Aes128GcmSha256, TlsConfig, TlsConnection, TlsContext, TlsError};
use kickwire_board::link::{Action, Buffers, Config, Link};
use kickwire_board::tls::{KeyKind, Match, Pin, PinnedProvider, VerifyError};
use kickwire_proto::Transport;
use kickwire_proto::conn::{self, Connection, Instant};
use link_common::{
    CHANNEL, ESTABLISHED, Kick, RESPONSE, SUBSCRIBE, SUBSCRIPTION, Zero, client_frame, frame,
};
use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair, PublicKeyData};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::server::{ClientHello, ResolvesServerCert, ServerConfig, ServerConnection};
use rustls::sign::CertifiedKey;

const TIMEOUT: Duration = Duration::from_secs(10);

// ---------------------------------------------------------------------------------------------
// Keys, certificates and pins

/// A fresh P-256 key (rcgen's default algorithm, ECDSA P-256 with SHA-256).
fn p256_key() -> KeyPair {
    KeyPair::generate().unwrap()
}

/// The pin of `key`: SHA-256 (ring) of its DER SubjectPublicKeyInfo (rcgen's encoding, the one
/// it puts in certificates).
fn pin_of(key: &impl PublicKeyData) -> Pin {
    let digest = ring::digest::digest(&ring::digest::SHA256, &key.subject_public_key_info());
    Pin::new(digest.as_ref().try_into().unwrap())
}

/// A pin no key here has.
fn stranger_pin() -> Pin {
    pin_of(&p256_key())
}

fn leaf_params() -> CertificateParams {
    CertificateParams::new(vec!["localhost".to_owned()]).unwrap()
}

fn ca_params(name: &str) -> CertificateParams {
    let mut params = CertificateParams::new(Vec::new()).unwrap();
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, name);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params
}

/// What the server presents: its chain (leaf first) and the key it signs the handshake with.
struct Identity {
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
}

fn identity(chain: Vec<CertificateDer<'static>>, signing: &KeyPair) -> Identity {
    Identity {
        chain,
        key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(signing.serialize_der())),
    }
}

/// A leaf signed by `signer`, sent with `sent` after it; the leaf's fresh key signs the
/// handshake.
fn chain(signer: &Issuer<'_, &KeyPair>, sent: &rcgen::Certificate) -> Identity {
    let leaf_key = p256_key();
    let leaf = leaf_params().signed_by(&leaf_key, signer).unwrap();
    identity(vec![leaf.der().clone(), sent.der().clone()], &leaf_key)
}

/// A self-signed leaf and its key.
fn self_signed() -> (Identity, KeyPair) {
    let key = p256_key();
    let cert = leaf_params().self_signed(&key).unwrap();
    (identity(vec![cert.der().clone()], &key), key)
}

// ---------------------------------------------------------------------------------------------
// The server

/// Always the same chain and key, whatever the client asks for: rustls's own single-cert
/// setup checks that the key fits the certificate, and one test needs them not to.
#[derive(Debug)]
struct Fixed(Arc<CertifiedKey>);

impl ResolvesServerCert for Fixed {
    fn resolve(&self, _: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        Some(self.0.clone())
    }
}

/// What reached the server after the TLS handshake.
#[derive(Debug, Default)]
struct Served {
    /// The HTTP upgrade request, if the handshake completed and the client sent it.
    request: Option<String>,
    /// Whether the client's Pusher subscribe frame arrived as expected.
    subscribed: bool,
}

/// A TLS 1.3 server for one connection on a free loopback port: the Pusher handshake, then one
/// Kick event after the client subscribes.
fn serve(identity: Identity) -> (u16, JoinHandle<Served>) {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let signing = provider
        .key_provider
        .load_private_key(identity.key)
        .unwrap();
    let certified = Arc::new(CertifiedKey::new(identity.chain, signing));
    let config = ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13])
        .unwrap()
        .with_no_client_auth()
        .with_cert_resolver(Arc::new(Fixed(certified)));
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = std::thread::spawn(move || {
        let mut served = Served::default();
        let Some(tcp) = accept(&listener) else {
            return served;
        };
        tcp.set_read_timeout(Some(TIMEOUT)).unwrap();
        tcp.set_write_timeout(Some(TIMEOUT)).unwrap();
        let mut tls =
            rustls::StreamOwned::new(ServerConnection::new(Arc::new(config)).unwrap(), tcp);
        // The request head; a client that refused the server never sends it.
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") && head.len() < 4096 {
            match tls.read(&mut byte) {
                Ok(1) => head.push(byte[0]),
                _ => return served,
            }
        }
        served.request = Some(String::from_utf8_lossy(&head).into_owned());
        let mut reply = RESPONSE.as_bytes().to_vec();
        reply.extend(frame(0x81, ESTABLISHED.as_bytes()));
        tls.write_all(&reply).unwrap();
        tls.flush().unwrap();
        let expected = client_frame(0x81, SUBSCRIBE.as_bytes());
        let mut subscribe = vec![0u8; expected.len()];
        if tls.read_exact(&mut subscribe).is_err() {
            return served;
        }
        served.subscribed = subscribe == expected;
        tls.write_all(&frame(0x81, SUBSCRIPTION.as_bytes()))
            .unwrap();
        tls.flush().unwrap();
        // Until the client goes (bounded by the read timeout).
        let mut sink = [0u8; 256];
        while matches!(tls.read(&mut sink), Ok(n) if n > 0) {}
        served
    });
    (port, handle)
}

/// The one client connection, waiting at most [`TIMEOUT`].
fn accept(listener: &TcpListener) -> Option<TcpStream> {
    listener.set_nonblocking(true).unwrap();
    let start = std::time::Instant::now();
    while start.elapsed() < TIMEOUT {
        match listener.accept() {
            Ok((tcp, _)) => {
                tcp.set_nonblocking(false).unwrap();
                return Some(tcp);
            }
            Err(_) => std::thread::sleep(Duration::from_millis(5)),
        }
    }
    None
}

// ---------------------------------------------------------------------------------------------
// The board's side: the link over embedded-tls over std TCP

/// std TCP as embedded-io's blocking byte stream, which embedded-tls reads and writes.
struct Tcp(TcpStream);

impl embedded_io::ErrorType for Tcp {
    type Error = embedded_io::ErrorKind;
}

impl embedded_io::Read for Tcp {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, Self::Error> {
        self.0.read(buf).map_err(|_| embedded_io::ErrorKind::Other)
    }
}

impl embedded_io::Write for Tcp {
    fn write(&mut self, buf: &[u8]) -> Result<usize, Self::Error> {
        self.0.write(buf).map_err(|_| embedded_io::ErrorKind::Other)
    }
    fn flush(&mut self) -> Result<(), Self::Error> {
        self.0.flush().map_err(|_| embedded_io::ErrorKind::Other)
    }
}

/// How the board's connection ended.
#[derive(Debug)]
enum Outcome {
    /// Authenticated, and the Kick event arrived through the link.
    Event(Match, Kick),
    /// The verifier refused the server.
    Refused(VerifyError, TlsError),
}

/// Runs the board's link against the server on `port`, trusting `pins`, until the first Kick
/// event or the handshake's refusal.
fn board(port: u16, pins: &[Pin]) -> Outcome {
    let url = format!("wss://127.0.0.1:{port}/app/key?protocol=7");
    let mut connection = Connection::new(Transport::Pusher, &url, conn::Config::default()).unwrap();
    connection.subscribe(CHANNEL).unwrap();
    let (mut rx, mut message, mut tx) = (vec![0; 1536], vec![0; 16 * 1024], vec![0; 1024]);
    let buffers = Buffers {
        rx: &mut rx,
        message: &mut message,
        tx: &mut tx,
    };
    let mut link = Link::new(connection, Zero, buffers, Config::default()).unwrap();
    let start = std::time::Instant::now();
    let now = || Instant::from_millis(start.elapsed().as_millis() as u64);
    link.connection_mut().connect(now());

    // The firmware's record buffers: the largest record a server may send, and 2 KB out.
    let (mut record_rx, mut record_tx) = (vec![0u8; 16_640], vec![0u8; 2048]);
    let mut session: Option<TlsConnection<'_, Tcp, Aes128GcmSha256>> = None;
    let mut authenticated = None;
    let mut kicks = Vec::new();
    for _ in 0..1000 {
        while let Some(action) = link.poll(now(), |raw| {
            kicks.push(Kick {
                kind: raw.kind,
                channel: raw.channel.as_str().into(),
                payload: String::from_utf8(raw.payload.to_vec()).unwrap(),
            })
        }) {
            match action {
                Action::Connect(target) => {
                    assert!(target.tls, "a wss:// URL asks for TLS");
                    let tcp = TcpStream::connect((target.host, target.port)).unwrap();
                    tcp.set_read_timeout(Some(TIMEOUT)).unwrap();
                    tcp.set_write_timeout(Some(TIMEOUT)).unwrap();
                    let mut tls = TlsConnection::new(Tcp(tcp), &mut record_rx, &mut record_tx);
                    // As the firmware does: RSA schemes offered, so that an RSA server gets as
                    // far as its certificate and is refused by name.
                    let config = TlsConfig::new()
                        .with_server_name("localhost")
                        .enable_rsa_signatures();
                    let mut provider =
                        PinnedProvider::<Aes128GcmSha256, _>::new(ring_rng::Rng::default(), pins);
                    let opened = tls.open(TlsContext::new(&config, &mut provider));
                    match (opened, provider.outcome()) {
                        (Ok(()), Ok(found)) => authenticated = Some(found),
                        (Err(tls), Err(why)) => return Outcome::Refused(why, tls),
                        other => panic!("handshake and verdict disagree: {other:?}"),
                    }
                    session = Some(tls);
                    link.handle_connected(now());
                }
                Action::Write(bytes) => {
                    let tls = session.as_mut().expect("a write before the connection");
                    embedded_io::Write::write_all(tls, bytes).unwrap();
                    tls.flush().unwrap();
                }
                Action::Close => session = None,
                Action::Event(_) => {}
            }
        }
        if let Some(kick) = kicks.first() {
            return Outcome::Event(authenticated.unwrap(), kick.clone());
        }
        let tls = session
            .as_mut()
            .expect("the link waits for bytes with no connection");
        let n = tls.read(link.read_buf()).expect("reading from the server");
        assert!(n > 0, "the server closed the connection before the event");
        link.handle_read(n);
    }
    panic!("no event after 1000 reads");
}

/// A cryptographic RNG for the key exchange, from ring (the host has no ESP32-C3 TRNG).
mod ring_rng {
    use ring::rand::{SecureRandom, SystemRandom};

    pub(crate) struct Rng(SystemRandom);

    impl Default for Rng {
        fn default() -> Self {
            Self(SystemRandom::new())
        }
    }

    impl rand_core::RngCore for Rng {
        fn next_u32(&mut self) -> u32 {
            rand_core::impls::next_u32_via_fill(self)
        }
        fn next_u64(&mut self) -> u64 {
            rand_core::impls::next_u64_via_fill(self)
        }
        fn fill_bytes(&mut self, dest: &mut [u8]) {
            self.0.fill(dest).unwrap();
        }
        fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
            self.fill_bytes(dest);
            Ok(())
        }
    }

    impl rand_core::CryptoRng for Rng {}
}

/// Connects the board to a server presenting `identity`, with `pins`.
fn run(identity: Identity, pins: &[Pin]) -> (Outcome, Served) {
    let (port, server) = serve(identity);
    let outcome = board(port, pins);
    (outcome, server.join().unwrap())
}

/// The server authenticated by pin `pin` at `depth`, and the Kick event came through.
fn assert_connected(outcome: Outcome, served: &Served, pin: usize, depth: usize) {
    match outcome {
        Outcome::Event(found, kick) => {
            assert_eq!(found, Match { pin, depth });
            assert_eq!(kick, Kick::subscription());
        }
        Outcome::Refused(why, tls) => panic!("refused: {why} ({tls:?})"),
    }
    let request = served.request.as_deref().unwrap();
    assert!(
        request.starts_with("GET /app/key?protocol=7 HTTP/1.1\r\n"),
        "{request}"
    );
    assert!(served.subscribed);
}

/// The board refused the server for `expected`, before sending it anything.
fn assert_refused(outcome: Outcome, served: &Served, expected: VerifyError, message: &str) {
    match outcome {
        Outcome::Refused(why, _) => {
            assert_eq!(why, expected);
            assert_eq!(why.to_string(), message);
        }
        Outcome::Event(found, _) => panic!("connected ({found:?}), expected {expected:?}"),
    }
    assert_eq!(served.request, None, "the request reached a refused server");
}

// ---------------------------------------------------------------------------------------------
// The tests

#[test]
fn the_leafs_pin_connects_and_the_event_arrives() {
    let (identity, key) = self_signed();
    let (outcome, served) = run(identity, &[pin_of(&key)]);
    assert_connected(outcome, &served, 0, 0);
}

#[test]
fn the_backup_pin_connects_too() {
    let (identity, key) = self_signed();
    let (outcome, served) = run(identity, &[stranger_pin(), pin_of(&key)]);
    assert_connected(outcome, &served, 1, 0);
}

#[test]
fn a_pinned_intermediate_that_signed_the_leaf_connects() {
    let ca_key = p256_key();
    let ca_cert = ca_params("kickwire test CA").self_signed(&ca_key).unwrap();
    let ca = Issuer::new(ca_params("kickwire test CA"), &ca_key);
    // The leaf's key is not pinned: the CA's is, one certificate up.
    let (outcome, served) = run(chain(&ca, &ca_cert), &[pin_of(&ca_key)]);
    assert_connected(outcome, &served, 0, 1);
}

#[test]
fn a_wrong_pin_is_refused_with_a_clear_error() {
    let (identity, _) = self_signed();
    let (outcome, served) = run(identity, &[stranger_pin(), stranger_pin()]);
    assert_refused(
        outcome,
        &served,
        VerifyError::NotPinned,
        "server key not pinned: no certificate in the server's chain has a key matching the \
         primary or the backup pin",
    );
}

#[test]
fn a_pinned_intermediate_next_to_a_leaf_it_did_not_sign_is_refused() {
    // The real CA (pinned) is sent, but the leaf was signed by an impostor's CA with the same
    // name.
    let ca_key = p256_key();
    let ca_cert = ca_params("kickwire test CA").self_signed(&ca_key).unwrap();
    let impostor_key = p256_key();
    let impostor = Issuer::new(ca_params("kickwire test CA"), &impostor_key);
    let (outcome, served) = run(chain(&impostor, &ca_cert), &[pin_of(&ca_key)]);
    assert_refused(
        outcome,
        &served,
        VerifyError::BrokenChain { depth: 0 },
        "certificate 0 of the server's chain is not signed by certificate 1",
    );
}

#[test]
fn a_pinned_issuer_that_is_not_a_ca_is_refused() {
    // The "intermediate" is an ordinary leaf (no basicConstraints cA), even though it signed.
    let issuer_key = p256_key();
    let issuer_cert = leaf_params().self_signed(&issuer_key).unwrap();
    let issuer = Issuer::new(leaf_params(), &issuer_key);
    let (outcome, served) = run(chain(&issuer, &issuer_cert), &[pin_of(&issuer_key)]);
    assert_refused(
        outcome,
        &served,
        VerifyError::NotCa { depth: 1 },
        "certificate 1 of the server's chain signs another but is not a CA",
    );
}

#[test]
fn a_server_without_the_pinned_keys_private_half_is_refused() {
    // The real certificate (its key is pinned), but the handshake signed with another key:
    // what someone who copied the public certificate can do.
    let (identity_real, real_key) = self_signed();
    let other_key = p256_key();
    let copied = identity(identity_real.chain, &other_key);
    let (outcome, served) = run(copied, &[pin_of(&real_key)]);
    assert_refused(
        outcome,
        &served,
        VerifyError::BadSignature,
        "the server's handshake signature is invalid: it does not hold the key of its \
         certificate",
    );
}

#[test]
fn an_rsa_server_key_is_refused_by_name() {
    // A 2048-bit RSA test key (tests/tls/: `openssl genpkey -algorithm RSA` then `openssl pkcs8 -topk8 -nocrypt`, DER): ring,
    // which rcgen signs with here, cannot generate RSA keys.
    let der = include_bytes!("tls/rsa2048-test-key.pk8.der");
    let key = KeyPair::from_pkcs8_der_and_sign_algo(
        &PrivatePkcs8KeyDer::from(der.to_vec()),
        &rcgen::PKCS_RSA_SHA256,
    )
    .unwrap();
    let cert = leaf_params().self_signed(&key).unwrap();
    let (outcome, served) = run(identity(vec![cert.der().clone()], &key), &[pin_of(&key)]);
    assert_refused(
        outcome,
        &served,
        VerifyError::UnsupportedKey {
            depth: 0,
            kind: KeyKind::Rsa,
        },
        "server key type RSA not supported",
    );
}

#[test]
fn no_pins_refuse_every_server() {
    let (identity, _) = self_signed();
    let (outcome, served) = run(identity, &[]);
    assert_refused(
        outcome,
        &served,
        VerifyError::NoPins,
        "no pin configured: the server cannot be authenticated",
    );
}

// ---------------------------------------------------------------------------------------------
// The verifier's order checks, driven through embedded-tls's trait directly: a server can leave
// out Certificate and CertificateVerify (embedded-tls 0.19 then completes the handshake), or
// send them out of order.

mod order {
    use embedded_tls::blocking::{Aes128GcmSha256, TlsError, TlsVerifier};
    use embedded_tls::{
        CertificateEntryRef, CertificateRef, CertificateVerifyRef, SignatureScheme,
    };
    use kickwire_board::tls::{PinnedVerifier, VerifyError};
    use sha2::{Digest as _, Sha256};

    use super::{pin_of, self_signed};

    fn verify_signature(verifier: &mut PinnedVerifier<'_>) -> Result<(), TlsError> {
        let verify = CertificateVerifyRef {
            signature_scheme: SignatureScheme::EcdsaSecp256r1Sha256,
            signature: &[0x30, 0x00],
        };
        TlsVerifier::<Aes128GcmSha256>::verify_signature(verifier, verify)
    }

    #[test]
    fn a_handshake_that_never_showed_a_certificate_is_not_authenticated() {
        let (_, key) = self_signed();
        let pins = [pin_of(&key)];
        let verifier = PinnedVerifier::new(&pins);
        assert_eq!(verifier.outcome(), Err(VerifyError::Incomplete));
    }

    #[test]
    fn a_signature_before_the_certificate_is_refused() {
        let (_, key) = self_signed();
        let pins = [pin_of(&key)];
        let mut verifier = PinnedVerifier::new(&pins);
        assert!(matches!(
            verify_signature(&mut verifier),
            Err(TlsError::InvalidHandshake)
        ));
        assert_eq!(verifier.outcome(), Err(VerifyError::OutOfOrder));
    }

    #[test]
    fn a_certificate_without_its_signature_is_not_authenticated_and_a_second_one_is_refused() {
        let (identity, key) = self_signed();
        let pins = [pin_of(&key)];
        let mut verifier = PinnedVerifier::new(&pins);
        let transcript = Sha256::new();
        let chain = || {
            let mut chain = CertificateRef::with_context(&[]);
            chain
                .add(CertificateEntryRef::X509(identity.chain[0].as_ref()))
                .unwrap();
            chain
        };
        TlsVerifier::<Aes128GcmSha256>::verify_certificate(&mut verifier, &transcript, chain())
            .unwrap();
        // The pin matched, but the server has not signed yet.
        assert_eq!(verifier.outcome(), Err(VerifyError::Incomplete));
        assert!(
            TlsVerifier::<Aes128GcmSha256>::verify_certificate(&mut verifier, &transcript, chain())
                .is_err()
        );
        assert_eq!(verifier.outcome(), Err(VerifyError::OutOfOrder));
    }
}
