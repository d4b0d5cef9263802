//! What a parser of the official API needs of a reply.

/// One reply from `id.kick.com` or `api.kick.com`: its status, its `Retry-After` header (for a
/// 429) and its body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApiReply<'a> {
    /// The HTTP status.
    pub status: u16,
    /// The value of the `Retry-After` header, if the reply has one.
    pub retry_after: Option<&'a str>,
    /// The body.
    pub body: &'a [u8],
}

impl<'a> ApiReply<'a> {
    /// A reply without a `Retry-After` header.
    #[must_use]
    pub const fn new(status: u16, body: &'a [u8]) -> Self {
        Self {
            status,
            retry_after: None,
            body,
        }
    }

    /// The same reply with its `Retry-After` header value.
    #[must_use]
    pub const fn with_retry_after(mut self, value: Option<&'a str>) -> Self {
        self.retry_after = value;
        self
    }
}
