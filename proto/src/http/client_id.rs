//! The id a client gives itself in Kick's realtime requests.

use crate::limits::ID;
use crate::text::Text;

/// The id a client makes up for itself and sends in the negotiation and the token request
/// (Kick's web client sends a UUID; any short token works). Use the same one for both, and a new
/// one after Kick ends a connection for good.
///
/// ```
/// use kickwire_proto::http::ClientId;
/// let id = ClientId::from_random([0xab; 16]);
/// assert_eq!(id.as_str(), "abababab-abab-4bab-abab-abababababab");
/// assert!(ClientId::new("giftdeck-0123456789ab").is_some());
/// assert!(ClientId::new("no \"quotes\"").is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ClientId(Text<ID>);

impl ClientId {
    /// A random (version 4) UUID made from 16 random bytes: bring them from your RNG (this
    /// crate has none).
    #[must_use]
    pub fn from_random(mut bytes: [u8; 16]) -> Self {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        if let Some(b) = bytes.get_mut(6) {
            *b = (*b & 0x0f) | 0x40; // version 4
        }
        if let Some(b) = bytes.get_mut(8) {
            *b = (*b & 0x3f) | 0x80; // RFC 4122 variant
        }
        let mut t = Text::new();
        for (i, b) in bytes.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                t.push_char('-');
            }
            for nibble in [b >> 4, b & 0x0f] {
                let c = HEX.get(usize::from(nibble)).copied().unwrap_or(b'0');
                t.push_char(char::from(c));
            }
        }
        Self(t)
    }

    /// Your own id: 1 to 48 ASCII letters, digits, `-`, `_`, `.` or `:` (nothing a JSON string
    /// would need to escape). `None` for anything else.
    #[must_use]
    pub fn new(id: &str) -> Option<Self> {
        let ok = !id.is_empty()
            && id.len() <= ID
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'));
        ok.then(|| Self(Text::from_str_truncating(id)))
    }

    /// The id.
    #[must_use]
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_ids() {
        let id = ClientId::from_random([0; 16]);
        assert_eq!(id.as_str(), "00000000-0000-4000-8000-000000000000");
        let id = ClientId::from_random([0xff; 16]);
        assert_eq!(id.as_str(), "ffffffff-ffff-4fff-bfff-ffffffffffff");
        assert!(ClientId::new("").is_none());
        assert!(ClientId::new(&"a".repeat(49)).is_none());
        assert!(ClientId::new(&"a".repeat(48)).is_some());
        assert!(ClientId::new("a\\b").is_none());
        assert!(ClientId::new("é").is_none());
    }
}
