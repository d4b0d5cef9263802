//! Reading one event's payload (plain JSON, already out of its envelope) into its struct: the
//! readers the event table names, and the errors they give.

use crate::error::{DecodeError, Layer, SyntaxError};
use crate::json::field::{Field, Reset};
use crate::json::reader::{Kind, Reader};

/// Reads a whole payload that must be a JSON object into `v`, overwriting all of it: the reader
/// of every event whose table line names no other.
///
/// Only the reset is per type; the rest is [`payload_object`] and [`read_payload`], once for all.
#[inline]
pub(crate) fn object_into<T: Field + Reset>(v: &mut T, payload: &[u8]) -> Result<(), DecodeError> {
    let r = payload_object(payload)?;
    v.reset();
    read_payload(r, v)
}

/// Checks that a payload whose content we do not need is well-formed JSON (`[]`, `{}`, ...):
/// the reader of events that carry nothing worth keeping.
pub(crate) fn well_formed<T>(_: &mut T, payload: &[u8]) -> Result<(), DecodeError> {
    let mut r = Reader::new(payload);
    r.skip_value()
        .and_then(|()| r.finish())
        .map_err(|e| payload_syntax(&r, e))
}

/// The error of the payload's JSON at the reader's position.
#[cold]
#[inline(never)]
fn payload_syntax(r: &Reader<'_>, error: SyntaxError) -> DecodeError {
    DecodeError::Syntax {
        layer: Layer::Payload,
        error,
        offset: r.offset(),
    }
}

/// A reader at the start of `payload`, which must hold a JSON object.
fn payload_object(payload: &[u8]) -> Result<Reader<'_>, DecodeError> {
    let mut r = Reader::new(payload);
    match r.peek_kind() {
        Ok(Kind::Object) => Ok(r),
        Ok(_) => {
            r.skip_value().map_err(|e| payload_syntax(&r, e))?;
            r.finish().map_err(|e| payload_syntax(&r, e))?;
            Err(DecodeError::PayloadNotAnObject)
        }
        Err(e) => Err(payload_syntax(&r, e)),
    }
}

/// Reads the object at `r` into `v` and checks that nothing follows it.
fn read_payload(mut r: Reader<'_>, v: &mut dyn Field) -> Result<(), DecodeError> {
    v.read(&mut r)
        .and_then(|()| r.finish())
        .map_err(|e| payload_syntax(&r, e))
}
