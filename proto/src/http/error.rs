//! Why an exchange failed: a request that could not be built, or a reply that was not the
//! answer asked for.

use crate::error::SyntaxError;

/// Why a request could not be built. Nothing was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub enum RequestError {
    /// The buffer is too small; `required` bytes would do ([`REQUEST_BUFFER`](super::REQUEST_BUFFER) always does).
    BufferTooSmall {
        /// Bytes needed.
        required: usize,
    },
    /// Not a Kick slug: after trimming, an optional `@` and an optional `kick.com/` prefix, a
    /// slug is 1 to [`USERNAME`](crate::limits::USERNAME) ASCII letters, digits, `_` or `-`.
    InvalidSlug,
    /// No provider to accept: the negotiation needs at least one.
    NoProviders,
}

impl crate::describe::Describe for RequestError {
    fn describe(&self, out: &mut dyn FnMut(crate::describe::Piece<'_>)) {
        use crate::describe::Piece::{Number, Text};
        match self {
            Self::BufferTooSmall { required } => {
                out(Text("request buffer too small: "));
                out(Number(*required as u64));
                out(Text(" bytes needed"));
            }
            Self::InvalidSlug => out(Text("not a Kick channel slug")),
            Self::NoProviders => out(Text("no realtime provider to accept")),
        }
    }
}

crate::describe::display_by_describe!(RequestError);

impl core::error::Error for RequestError {}

/// What a reply meant, when it was not the answer asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub enum ReplyError {
    /// Cloudflare (in front of kick.com) refused the request: a challenge page (`cf-mitigated`
    /// header, or a "Just a moment..." page), a block page, or Kick's "blocked by security
    /// policy". Not a fault of the request: Kick turns non-browser clients away at times. Try
    /// later, from elsewhere, or ask the user for the ids directly.
    Cloudflare {
        /// The HTTP status (usually 403; also 503 or 429; 200 for a page that slipped through).
        status: u16,
    },
    /// 404: no such channel (a renamed channel's old slug 404s too).
    NotFound,
    /// Any other status outside 2xx.
    Status {
        /// The HTTP status.
        status: u16,
    },
    /// The body is not well-formed JSON.
    Malformed {
        /// The syntax problem.
        error: SyntaxError,
        /// Byte offset in the body where it was noticed.
        offset: usize,
    },
    /// The JSON lacks something the answer cannot do without.
    Missing {
        /// Which member, as a JSON path (`chatroom.id`).
        field: &'static str,
    },
    /// A value is longer than its capacity and is refused rather than cut (a cut URL or token
    /// would be wrong, not shorter).
    TooLong {
        /// Which member.
        field: &'static str,
    },
    /// The negotiation offered no provider this crate can use (none, unknown ones, or ones
    /// without usable credentials).
    NoUsableProvider,
}

impl crate::describe::Describe for ReplyError {
    fn describe(&self, out: &mut dyn FnMut(crate::describe::Piece<'_>)) {
        use crate::describe::Piece::{Number, Text};
        match self {
            Self::Cloudflare { status } => {
                out(Text("Cloudflare refused the request (HTTP "));
                out(Number(u64::from(*status)));
                out(Text(
                    "): Kick turns non-browser clients away at times; give the ids directly",
                ));
            }
            Self::NotFound => out(Text("not found (HTTP 404)")),
            Self::Status { status } => {
                out(Text("Kick answered HTTP "));
                out(Number(u64::from(*status)));
            }
            Self::Malformed { error, offset } => {
                out(Text("reply is not valid JSON: "));
                out(Text(error.as_str()));
                out(Text(" at byte "));
                out(Number(*offset as u64));
            }
            Self::Missing { field } => {
                out(Text("reply has no `"));
                out(Text(field));
                out(Text("`"));
            }
            Self::TooLong { field } => {
                out(Text("reply's `"));
                out(Text(field));
                out(Text("` is longer than its capacity"));
            }
            Self::NoUsableProvider => out(Text("Kick offered no usable realtime provider")),
        }
    }
}

crate::describe::display_by_describe!(ReplyError);

impl core::error::Error for ReplyError {}
