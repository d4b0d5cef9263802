//! One HTTP request as the webhook judges it: borrowed, nothing read yet by the judge.

/// A request to the webhook endpoint, as the server read it.
///
/// Header names are compared without case; a header given twice must have one value.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The method, such as `POST`.
    pub method: &'a str,
    /// The request target, such as `/kick/webhook` (a query string is ignored).
    pub path: &'a str,
    /// Every header, name and value, in the order received.
    pub headers: &'a [(&'a str, &'a str)],
    /// The raw body, exactly the bytes received: the signature covers them.
    pub body: &'a [u8],
}
