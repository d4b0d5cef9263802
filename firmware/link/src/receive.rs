//! What the caller does with the messages the link receives and the frames it sends: the
//! [`Receive`] given to [`Link::poll_with`](crate::Link::poll_with).
//!
//! A closure over the raw Kick events is one (what [`Link::poll`](crate::Link::poll) takes, all a
//! board needs). A front end that prints typed events, records the messages as they came or
//! logs what it sent implements [`Receive`] itself.

use kickwire_proto::JsonEvent;
use kickwire_proto::conn::Received;

/// The caller's side of the messages going through the link.
///
/// ```
/// use kickwire_link::Receive;
/// use kickwire_proto::Message;
/// use kickwire_proto::conn::Received;
///
/// /// Counts the messages and keeps the typed Kick events.
/// #[derive(Default)]
/// struct Typed { messages: u64, events: Vec<Message> }
///
/// impl Receive for Typed {
///     fn message(&mut self, _text: &[u8]) {
///         self.messages += 1;
///     }
///     fn events(&mut self, received: Received<'_, '_>) {
///         self.events.extend(received);
///     }
/// }
/// ```
pub trait Receive {
    /// A whole text message arrived, before the connection reads it. The connection decodes
    /// in place, so this is the one look at the text as the server sent it (to record it, or
    /// count it). By default nothing.
    fn message(&mut self, text: &[u8]) {
        let _ = text;
    }

    /// The connection has read the message: take its Kick events from `received`, typed
    /// ([`Received::next_into`], or as an iterator) or raw ([`Received::next_raw`]). Transport
    /// messages (pings, replies) are handled whether or not any are taken.
    fn events(&mut self, received: Received<'_, '_>);

    /// The link wrote a text frame of the connection's (a subscribe, a pong, a token refresh).
    /// By default nothing.
    fn sent(&mut self, text: &str) {
        let _ = text;
    }
}

/// A closure over the raw Kick events (what [`Link::poll`](crate::Link::poll) takes): each in
/// turn, unescaped in place in the message buffer.
impl<F: FnMut(&JsonEvent<'_>)> Receive for F {
    fn events(&mut self, mut received: Received<'_, '_>) {
        // As with `next_into`: an envelope or payload that cannot be used becomes the
        // connection's `Event::BadMessage` (handed out by `poll` as an `Action::Event`), and
        // `next_raw` goes on with the events after it.
        while let Some(event) = received.next_raw() {
            self(&event);
        }
    }
}
