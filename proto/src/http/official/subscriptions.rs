//! Webhook event subscriptions, `https://api.kick.com/public/v1/events/subscriptions`
//! (KickDevDocs `events/subscribe-to-events.md` embeds the Swagger spec; the shapes here are
//! the spec's as the `kick-api-types` package transcribes them):
//!
//! - `GET` lists: `{"data":[{"id":…,"app_id":…,"broadcaster_user_id":N,"event":…,"version":1,
//!   "method":"webhook","created_at":…,"updated_at":…}],"message":…}`;
//! - `POST` `{"broadcaster_user_id":N,"events":[{"name":…,"version":1}],"method":"webhook"}`
//!   creates, answering one entry per event: `{"data":[{"name":…,"version":1,
//!   "subscription_id":…,"error":…}],"message":…}` (an entry may fail alone, with its `error`);
//! - `DELETE ?id=…` removes (the spec answers 204, no body; any 2xx is taken).
//!
//! Every event type is version 1 (KickDevDocs `events/event-types.md`).

use super::api_request::{API_GET, API_POST, build_api};
use super::error::{check, read};
use super::form::pairs;
use super::{API_BASE, ApiError, ApiReply, ApiRequest, OfficialRequestError};
use crate::error::SyntaxError;
use crate::http::request::Method;
use crate::json::field::{Field, object_fields};
use crate::json::reader::{Kind, Reader};
use crate::limits::{EVENT_NAME, ID, REASON, SHORT};
use crate::text::Text;

const URL_PATH: &str = "/public/v1/events/subscriptions";

/// Builds the list request (`GET`).
///
/// # Errors
/// [`OfficialRequestError::InvalidToken`], [`OfficialRequestError::BufferTooSmall`].
pub fn list_subscriptions_request<'b>(
    token: &str,
    buf: &'b mut [u8],
) -> Result<ApiRequest<'b>, OfficialRequestError> {
    build_api(
        buf,
        token,
        Method::Get,
        API_GET,
        |o| {
            o.str(API_BASE);
            o.str(URL_PATH);
        },
        |_| {},
    )
}

/// Builds the create request (`POST`, method `webhook`, each event at version 1).
///
/// # Errors
/// [`OfficialRequestError::Empty`] without events (or with an empty name);
/// [`OfficialRequestError::InvalidToken`], [`OfficialRequestError::BufferTooSmall`].
pub fn create_subscriptions_request<'b>(
    broadcaster_user_id: u64,
    events: &[&str],
    token: &str,
    buf: &'b mut [u8],
) -> Result<ApiRequest<'b>, OfficialRequestError> {
    if events.is_empty() || events.iter().any(|e| e.trim().is_empty()) {
        return Err(OfficialRequestError::Empty { what: "event name" });
    }
    build_api(
        buf,
        token,
        Method::Post,
        API_POST,
        |o| {
            o.str(API_BASE);
            o.str(URL_PATH);
        },
        |o| {
            o.str(r#"{"broadcaster_user_id":"#);
            o.u64(broadcaster_user_id);
            o.str(r#","events":["#);
            for (i, e) in events.iter().enumerate() {
                if i > 0 {
                    o.str(",");
                }
                o.str(r#"{"name":""#);
                o.json_str(e.trim());
                o.str(r#"","version":1}"#);
            }
            o.str(r#"],"method":"webhook"}"#);
        },
    )
}

/// Builds the delete request (`DELETE ?id=…`).
///
/// # Errors
/// [`OfficialRequestError::Empty`] for an empty id; [`OfficialRequestError::InvalidToken`],
/// [`OfficialRequestError::BufferTooSmall`].
pub fn delete_subscription_request<'b>(
    id: &str,
    token: &str,
    buf: &'b mut [u8],
) -> Result<ApiRequest<'b>, OfficialRequestError> {
    if id.trim().is_empty() {
        return Err(OfficialRequestError::Empty {
            what: "subscription id",
        });
    }
    build_api(
        buf,
        token,
        Method::Delete,
        API_GET,
        |o| {
            o.str(API_BASE);
            o.str(URL_PATH);
            o.str("?");
            pairs(&[("id", id.trim())], o);
        },
        |_| {},
    )
}

/// One subscription, as listed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Subscription {
    /// Its id (a ULID), for deleting it.
    pub id: Text<ID>,
    /// The app it belongs to.
    pub app_id: Text<ID>,
    /// The channel's broadcaster user id.
    pub broadcaster_user_id: Option<u64>,
    /// The event type (`chat.message.sent`, ...).
    pub event: Text<EVENT_NAME>,
    /// The event version.
    pub version: u32,
    /// `webhook`.
    pub method: Text<SHORT>,
}
object_fields!(Subscription {
    b"id" => id,
    b"app_id" => app_id,
    b"broadcaster_user_id" => broadcaster_user_id,
    b"event" => event,
    b"version" => version,
    b"method" => method,
});

/// One entry of the create reply.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct CreatedSubscription {
    /// The event type.
    pub name: Text<EVENT_NAME>,
    /// The event version.
    pub version: u32,
    /// The new subscription's id (empty when this entry failed).
    pub subscription_id: Text<ID>,
    /// Why this entry failed (empty when it did not), possibly cut.
    pub error: Text<REASON>,
}
object_fields!(CreatedSubscription {
    b"name" => name,
    b"version" => version,
    b"subscription_id" => subscription_id,
    b"error" => error,
});

/// `{"data":[item…],…}`, each item read into `scratch` and handed to `f`.
struct Each<'s, T, F> {
    scratch: &'s mut T,
    f: F,
    count: u32,
}

impl<T: Field + Default, F: FnMut(&T)> Field for Each<'_, T, F> {
    fn read<const E: bool>(&mut self, r: &mut Reader<'_, E>) -> Result<(), SyntaxError> {
        if r.peek_kind()? != Kind::Object {
            return r.skip_value();
        }
        r.object(|r, key| {
            if key != b"data" || r.peek_kind()? != Kind::Array {
                return r.skip_value();
            }
            r.array(|r| {
                *self.scratch = T::default();
                self.scratch.read(r)?;
                (self.f)(self.scratch);
                self.count = self.count.saturating_add(1);
                Ok(())
            })
        })
    }
}

fn each<T: Field + Default>(reply: &ApiReply<'_>, mut f: impl FnMut(&T)) -> Result<u32, ApiError> {
    check(reply)?;
    let mut scratch = T::default();
    let mut walk = Each {
        scratch: &mut scratch,
        f: &mut f,
        count: 0,
    };
    read(&mut walk, reply.body)?;
    Ok(walk.count)
}

/// Reads the list reply, handing each subscription to `f` in order; returns how many.
///
/// # Errors
/// The reply's [`ApiError`] (401 for a bad token...); [`ApiError::Body`] (not JSON).
pub fn parse_subscriptions(
    reply: &ApiReply<'_>,
    f: impl FnMut(&Subscription),
) -> Result<u32, ApiError> {
    each(reply, f)
}

/// Reads the create reply, handing each entry to `f` (check its `error`); returns how many.
///
/// # Errors
/// The reply's [`ApiError`] (403 without `events:subscribe`...); [`ApiError::Body`] (not JSON).
pub fn parse_created_subscriptions(
    reply: &ApiReply<'_>,
    f: impl FnMut(&CreatedSubscription),
) -> Result<u32, ApiError> {
    each(reply, f)
}

/// Reads the delete reply: any 2xx.
///
/// # Errors
/// The reply's [`ApiError`].
pub fn parse_deleted(reply: &ApiReply<'_>) -> Result<(), ApiError> {
    check(reply)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::official::API_REQUEST_BUFFER;
    use std::borrow::ToOwned;
    use std::vec::Vec;

    #[test]
    fn subscription_requests() {
        let mut buf = [0u8; API_REQUEST_BUFFER];
        let r = create_subscriptions_request(
            123,
            &["chat.message.sent", " channel.followed"],
            "APP",
            &mut buf,
        )
        .unwrap();
        assert_eq!(
            r.request.url,
            "https://api.kick.com/public/v1/events/subscriptions"
        );
        assert_eq!(r.authorization, "Bearer APP");
        assert_eq!(
            core::str::from_utf8(r.request.body).unwrap(),
            r#"{"broadcaster_user_id":123,"events":[{"name":"chat.message.sent","version":1},{"name":"channel.followed","version":1}],"method":"webhook"}"#
        );
        assert_eq!(
            create_subscriptions_request(1, &[], "APP", &mut buf),
            Err(OfficialRequestError::Empty { what: "event name" })
        );
        let r = delete_subscription_request("01J 9", "APP", &mut buf).unwrap();
        assert_eq!(r.request.method, Method::Delete);
        assert_eq!(
            r.request.url,
            "https://api.kick.com/public/v1/events/subscriptions?id=01J%209"
        );
        let r = list_subscriptions_request("APP", &mut buf).unwrap();
        assert_eq!((r.request.method, r.request.body), (Method::Get, &b""[..]));
    }

    #[test]
    fn subscription_replies() {
        let body = br#"{"data":[{"app_id":"01APP","broadcaster_user_id":123,"created_at":"2026-01-01T00:00:00Z","event":"chat.message.sent","id":"01SUB1","method":"webhook","updated_at":"2026-01-01T00:00:00Z","version":1},{"app_id":"01APP","broadcaster_user_id":123,"event":"channel.followed","id":"01SUB2","method":"webhook","version":1}],"message":"OK"}"#;
        let mut seen = Vec::new();
        let n = parse_subscriptions(&ApiReply::new(200, body), |s| {
            seen.push((
                s.id.as_str().to_owned(),
                s.event.as_str().to_owned(),
                s.broadcaster_user_id,
                s.version,
            ))
        })
        .unwrap();
        assert_eq!(n, 2);
        assert_eq!(
            seen,
            [
                ("01SUB1".into(), "chat.message.sent".into(), Some(123), 1),
                ("01SUB2".into(), "channel.followed".into(), Some(123), 1)
            ]
        );
        let body = br#"{"data":[{"error":"","name":"chat.message.sent","subscription_id":"01SUB1","version":1},{"error":"unknown event","name":"nope","subscription_id":"","version":1}],"message":"OK"}"#;
        let mut seen = Vec::new();
        parse_created_subscriptions(&ApiReply::new(200, body), |c| {
            seen.push((
                c.name.as_str().to_owned(),
                c.subscription_id.as_str().to_owned(),
                c.error.as_str().to_owned(),
            ))
        })
        .unwrap();
        assert_eq!(
            seen,
            [
                ("chat.message.sent".into(), "01SUB1".into(), "".into()),
                ("nope".into(), "".into(), "unknown event".into())
            ]
        );
        assert_eq!(parse_deleted(&ApiReply::new(204, b"")), Ok(()));
        assert!(matches!(
            parse_subscriptions(
                &ApiReply::new(401, br#"{"message":"Unauthorized"}"#),
                |_| {}
            ),
            Err(ApiError::Unauthorized { .. })
        ));
    }
}
