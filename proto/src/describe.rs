//! Error messages in pieces, for hosts that cannot afford `core::fmt` (a browser build, where
//! it costs several KB): each error says its message as text and numbers, and its `Display`
//! is that same message, so both read alike.

/// One piece of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Text, as it is.
    Text(&'a str),
    /// A number, in decimal.
    Number(u64),
}

/// A message given in [`Piece`]s.
///
/// ```
/// use kickwire_proto::describe::{Describe, Piece};
/// use kickwire_proto::conn::Reason;
/// let mut text = String::new();
/// Reason::Closed(Some(4200)).describe(&mut |p| match p {
///     Piece::Text(s) => text.push_str(s),
///     Piece::Number(n) => text.push_str(&n.to_string()),
/// });
/// assert_eq!(text, "closed with code 4200");
/// assert_eq!(text, Reason::Closed(Some(4200)).to_string());
/// ```
pub trait Describe {
    /// Calls `out` with each piece of the message in turn.
    fn describe(&self, out: &mut dyn FnMut(Piece<'_>));
}

/// `Display` through [`Describe`].
pub(crate) fn fmt(d: &dyn Describe, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
    let mut result = Ok(());
    d.describe(&mut |p| {
        if result.is_ok() {
            result = match p {
                Piece::Text(s) => f.write_str(s),
                Piece::Number(n) => write!(f, "{n}"),
            };
        }
    });
    result
}

/// Implements `Display` for types that implement [`Describe`].
macro_rules! display_by_describe {
    ($($t:ty),*) => {$(
        impl core::fmt::Display for $t {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                $crate::describe::fmt(self, f)
            }
        }
    )*};
}
pub(crate) use display_by_describe;
