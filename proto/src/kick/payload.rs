//! Reading one event's payload into its struct: the readers the event table names, and the
//! errors they give. Each is handed a [`Reader`] at the payload's start: over plain JSON (out of
//! its envelope, unescaped), or the one-pass reader over the envelope's `data` string as it
//! arrived ([`Reader::escaped`]).

use crate::error::{DecodeError, Layer, SyntaxError};
use crate::json::field::{Field, Reset};
use crate::json::reader::{Kind, Reader};

/// Reads a whole payload that must be a JSON object into `v`, overwriting all of it: the reader
/// of every event whose table line names no other.
///
/// Only the reset is per type; the rest is [`payload_object`] and [`read_payload`], once for all.
#[inline]
pub(crate) fn object_into<T: Field + Reset, const E: bool>(
    v: &mut T,
    r: &mut Reader<'_, E>,
) -> Result<(), DecodeError> {
    payload_object(r)?;
    v.reset();
    read_payload(r, v)
}

/// Checks that a payload whose content we do not need is well-formed JSON (`[]`, `{}`, ...):
/// the reader of events that carry nothing worth keeping.
pub(crate) fn well_formed<T, const E: bool>(
    _: &mut T,
    r: &mut Reader<'_, E>,
) -> Result<(), DecodeError> {
    r.skip_value()
        .and_then(|()| r.finish())
        .map_err(|e| payload_syntax(r, e))
}

/// The error of the payload's JSON at the reader's position.
#[cold]
#[inline(never)]
fn payload_syntax<const E: bool>(r: &Reader<'_, E>, error: SyntaxError) -> DecodeError {
    DecodeError::Syntax {
        layer: Layer::Payload,
        error,
        offset: r.offset(),
    }
}

/// Checks that `r` is at the start of a payload that is a JSON object.
fn payload_object<const E: bool>(r: &mut Reader<'_, E>) -> Result<(), DecodeError> {
    match r.peek_kind() {
        Ok(Kind::Object) => Ok(()),
        Ok(_) => {
            r.skip_value().map_err(|e| payload_syntax(r, e))?;
            r.finish().map_err(|e| payload_syntax(r, e))?;
            Err(DecodeError::PayloadNotAnObject)
        }
        Err(e) => Err(payload_syntax(r, e)),
    }
}

/// Reads the object at `r` into `v` and checks that nothing follows it.
fn read_payload<const E: bool>(
    r: &mut Reader<'_, E>,
    v: &mut impl Field,
) -> Result<(), DecodeError> {
    v.read(r)
        .and_then(|()| r.finish())
        .map_err(|e| payload_syntax(r, e))
}
