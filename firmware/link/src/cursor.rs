//! Appending to a caller's buffer without overrunning it: how the upgrade request and the
//! client's frames are written.

/// Writes at the end of what has been written to `out` so far.
pub(crate) struct Cursor<'o> {
    out: &'o mut [u8],
    len: usize,
}

impl<'o> Cursor<'o> {
    /// A cursor at the start of `out`.
    pub(crate) const fn new(out: &'o mut [u8]) -> Self {
        Self { out, len: 0 }
    }

    /// Bytes written so far.
    pub(crate) const fn len(&self) -> usize {
        self.len
    }

    /// The next `n` bytes, counted as written (the caller fills them); `None`, and nothing
    /// counted, when fewer than `n` are left.
    pub(crate) fn take(&mut self, n: usize) -> Option<&mut [u8]> {
        let end = self.len.checked_add(n)?;
        let taken = self.out.get_mut(self.len..end)?;
        self.len = end;
        Some(taken)
    }

    /// Appends `bytes`; `None` when they do not fit.
    pub(crate) fn put(&mut self, bytes: &[u8]) -> Option<()> {
        self.take(bytes.len())?.copy_from_slice(bytes);
        Some(())
    }
}
