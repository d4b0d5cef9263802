//! `kickwire relay`'s core, without sockets: the fingerprints that keep Kick's copies from
//! going out twice ([`copies`]), the one path every event takes ([`forward`]), what it goes
//! into ([`sink`]), and the Prometheus text of `/metrics` ([`metrics`]). The command itself
//! (upstream connections, the endpoint, the webhook server) lives in the binary.

pub mod copies;
pub mod forward;
pub mod metrics;
pub mod sink;
