//! Error texts and reason phrases for JavaScript, written as JSON strings from proto's
//! [`Describe`] pieces (its `Display` would bring `core::fmt`, several KB of wasm).

use kickwire_proto::describe::{Describe, Piece};

use crate::json::Json;

/// A transport's name in the JavaScript API.
pub(crate) const fn transport(t: kickwire_proto::Transport) -> &'static str {
    t.as_str()
}

/// Writes `d`'s message as a JSON string.
pub(crate) fn describe(j: &mut Json<'_>, d: &dyn Describe) {
    j.raw("\"");
    d.describe(&mut |p| match p {
        Piece::Text(s) => j.str_body(s),
        Piece::Number(n) => {
            j.num(n);
        }
    });
    j.raw("\"");
}

/// Writes `e` as a JSON string in the output and answers its length.
#[cfg(any(feature = "core", feature = "centrifugo"))]
pub(crate) fn error(e: &dyn Describe) -> u32 {
    let mut out = crate::shared::output();
    let mut j = Json::new(&mut out[..]);
    describe(&mut j, e);
    j.finish()
}

/// Writes `{"error":"…"}` with `e`'s message.
#[cfg(feature = "lookups")]
pub(crate) fn error_object(j: &mut Json<'_>, e: &dyn Describe) {
    j.raw("{\"error\":");
    describe(j, e);
    j.raw("}");
}
