//! What the webhook answers a request, and what it hands on.

use kickwire_proto::Timestamp;

use super::Reason;

/// The judgement of one request: the status to answer and, for a new verified event, the
/// event to hand on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict<'a> {
    /// 200: a verified event seen for the first time; hand it on.
    Deliver(Delivery<'a>),
    /// 200: a verified event whose message id was seen already (Kick retried it). Answered
    /// 200 so that Kick stops retrying, and not handed on again.
    Duplicate,
    /// 200: a verified event with no `broadcaster.user_id` to publish it under. Answered 200
    /// because a retry would carry the same body (and a failing endpoint gets unsubscribed),
    /// but not handed on.
    Unroutable,
    /// Turned away, answered with [`Reason::status`].
    Reject(Reason),
}

impl Verdict<'_> {
    /// The HTTP status to answer with.
    #[must_use]
    pub const fn status(&self) -> u16 {
        match self {
            Verdict::Deliver(_) | Verdict::Duplicate | Verdict::Unroutable => 200,
            Verdict::Reject(reason) => reason.status(),
        }
    }
}

/// A verified webhook event, borrowed from the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delivery<'a> {
    /// `Kick-Event-Message-Id`.
    pub message_id: &'a str,
    /// `Kick-Event-Type`, such as `chat.message.sent` (not covered by the signature).
    pub event_type: &'a str,
    /// `Kick-Event-Version`, if sent (not covered by the signature).
    pub version: Option<&'a str>,
    /// `Kick-Event-Subscription-Id`, if sent (not covered by the signature).
    pub subscription_id: Option<&'a str>,
    /// `Kick-Event-Message-Timestamp`.
    pub timestamp: Timestamp,
    /// `broadcaster.user_id` from the body: the channel the event is for.
    pub broadcaster_user_id: u64,
    /// The body, exactly as signed.
    pub body: &'a [u8],
}
