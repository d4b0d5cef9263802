//! Why a webhook request was turned away, and the status each reason is answered with.

/// Why a request was rejected. Each has its own counter ([`super::Counts`]) so that
/// `/metrics` can tell an attack (signatures) from Kick's slow deliveries (stale) or a
/// misconfigured proxy (paths, methods).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reason {
    /// 404: a path other than [`super::PATH`].
    NotFound,
    /// 405: a method other than `POST` on the webhook path.
    MethodNotAllowed,
    /// 413: a body over [`super::MAX_BODY`] bytes.
    TooLarge,
    /// 400: a header the check needs is absent.
    MissingHeader,
    /// 400: a header is not in the form Kick writes it, or is given twice with two values.
    BadHeader,
    /// 401: no `Kick-Event-Signature`.
    MissingSignature,
    /// 401: a signature that is not base64, or does not verify.
    BadSignature,
    /// 400: signed, but the timestamp is older than the replay window.
    Stale,
    /// 400: signed, but the timestamp is further ahead of `now` than the replay window.
    Future,
}

impl Reason {
    /// Every reason, in the order of [`Reason::index`].
    pub const ALL: [Reason; 9] = [
        Reason::NotFound,
        Reason::MethodNotAllowed,
        Reason::TooLarge,
        Reason::MissingHeader,
        Reason::BadHeader,
        Reason::MissingSignature,
        Reason::BadSignature,
        Reason::Stale,
        Reason::Future,
    ];

    /// The HTTP status to answer with.
    #[must_use]
    pub const fn status(self) -> u16 {
        match self {
            Reason::NotFound => 404,
            Reason::MethodNotAllowed => 405,
            Reason::TooLarge => 413,
            Reason::MissingHeader | Reason::BadHeader | Reason::Stale | Reason::Future => 400,
            Reason::MissingSignature | Reason::BadSignature => 401,
        }
    }

    /// A short name for logs and a Prometheus label.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Reason::NotFound => "not_found",
            Reason::MethodNotAllowed => "method_not_allowed",
            Reason::TooLarge => "too_large",
            Reason::MissingHeader => "missing_header",
            Reason::BadHeader => "bad_header",
            Reason::MissingSignature => "missing_signature",
            Reason::BadSignature => "bad_signature",
            Reason::Stale => "stale",
            Reason::Future => "future",
        }
    }

    /// Its place in [`Reason::ALL`].
    #[must_use]
    pub const fn index(self) -> usize {
        self as usize
    }
}
