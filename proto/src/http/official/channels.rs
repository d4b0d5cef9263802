//! A channel slug to its broadcaster's user id: `GET https://api.kick.com/public/v1/channels?slug=…`
//! (KickDevDocs `apis/channels.md` and its Swagger spec), answered by
//! `{"data":[{"broadcaster_user_id":N,"slug":…,…}],"message":…}`.

use super::api_request::{API_GET, build_api};
use super::error::{check, read};
use super::form::pairs;
use super::{API_BASE, ApiError, ApiReply, ApiRequest, OfficialRequestError};
use crate::http::ReplyError;
use crate::http::request::Method;
use crate::json::field::object_fields;
use crate::text::List;

/// Builds the channel lookup by slug.
///
/// # Errors
/// [`OfficialRequestError::Empty`] for an empty slug; [`OfficialRequestError::InvalidToken`],
/// [`OfficialRequestError::BufferTooSmall`].
pub fn channel_by_slug_request<'b>(
    slug: &str,
    access_token: &str,
    buf: &'b mut [u8],
) -> Result<ApiRequest<'b>, OfficialRequestError> {
    let slug = slug.trim();
    if slug.is_empty() {
        return Err(OfficialRequestError::Empty { what: "slug" });
    }
    build_api(
        buf,
        access_token,
        Method::Get,
        API_GET,
        |o| {
            o.str(API_BASE);
            o.str("/public/v1/channels?");
            pairs(&[("slug", slug)], o);
        },
        |_| {},
    )
}

#[derive(Default)]
struct Channel {
    broadcaster_user_id: Option<u64>,
}
object_fields!(Channel { b"broadcaster_user_id" => broadcaster_user_id });

#[derive(Default)]
struct Channels {
    data: List<Channel, 1>,
}
object_fields!(Channels { b"data" => data });

/// Reads the first channel's `broadcaster_user_id`. An empty `data` (no such slug) is
/// [`ApiError::NotFound`], as Kick's 404 would be.
///
/// # Errors
/// The reply's [`ApiError`]; [`ApiError::NotFound`] for no channel; [`ApiError::Body`]
/// when the channel has no `broadcaster_user_id`.
pub fn parse_broadcaster_id(reply: &ApiReply<'_>) -> Result<u64, ApiError> {
    check(reply)?;
    let mut c = Channels::default();
    read(&mut c, reply.body)?;
    let Some(first) = c.data.as_slice().first() else {
        return Err(ApiError::NotFound {
            message: crate::text::Text::from_str_truncating("Channel not found"),
        });
    };
    first
        .broadcaster_user_id
        .ok_or(ApiError::Body(ReplyError::Missing {
            field: "data[0].broadcaster_user_id",
        }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::official::API_REQUEST_BUFFER;

    #[test]
    fn slug_to_broadcaster() {
        let mut buf = [0u8; API_REQUEST_BUFFER];
        let r = channel_by_slug_request("kemushi-kz", "AT", &mut buf).unwrap();
        assert_eq!(
            r.request.url,
            "https://api.kick.com/public/v1/channels?slug=kemushi-kz"
        );
        assert_eq!((r.request.method, r.request.body), (Method::Get, &b""[..]));
        assert_eq!(
            channel_by_slug_request(" ", "AT", &mut buf),
            Err(OfficialRequestError::Empty { what: "slug" })
        );
        // The Swagger spec's shape, cut to a few members.
        let body = br#"{"data":[{"banner_picture":"","broadcaster_user_id":2570626,"category":{"id":15,"name":"Just Chatting"},"channel_description":"","slug":"kemushi-kz","stream_title":"hi"}],"message":"OK"}"#;
        assert_eq!(
            parse_broadcaster_id(&ApiReply::new(200, body)),
            Ok(2_570_626)
        );
        assert!(matches!(
            parse_broadcaster_id(&ApiReply::new(200, br#"{"data":[],"message":"OK"}"#)),
            Err(ApiError::NotFound { .. })
        ));
        assert_eq!(
            parse_broadcaster_id(&ApiReply::new(200, br#"{"data":[{"slug":"x"}]}"#)),
            Err(ApiError::Body(ReplyError::Missing {
                field: "data[0].broadcaster_user_id"
            }))
        );
    }
}
