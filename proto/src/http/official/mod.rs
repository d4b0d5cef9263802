//! Kick's official public API, sans-IO: OAuth 2.1 on `id.kick.com` and the REST API on
//! `api.kick.com` (Kick's developer documentation, "KickDevDocs": `getting-started/
//! generating-tokens-oauth2-flow.md`, `apis/chat.md`, `apis/channels.md`,
//! `events/subscribe-to-events.md`, and the Swagger spec those pages embed).
//!
//! As elsewhere in [`http`](super), a builder writes the request into a buffer you give it
//! ([`API_REQUEST_BUFFER`] always does) and a parser reads the reply you got ([`ApiReply`]:
//! status, `Retry-After` and body). Nothing here sends, sleeps, keeps a clock or draws random
//! numbers: the PKCE verifier and `state` come from your RNG, the SHA-256 of the verifier from
//! your hash ([`code_challenge`] only encodes it).
//!
//! - **OAuth** ([`authorize_url`], [`token_by_code_request`], [`refresh_request`],
//!   [`client_credentials_request`], [`revoke_request`], [`parse_oauth_token`],
//!   [`parse_revoke`]): the authorization code flow with PKCE (S256) for a user token, client
//!   credentials for an app token. Kick requires the client secret for every grant: there is
//!   no public-client flow.
//! - **REST**, each with `Authorization: Bearer` ([`ApiRequest::authorization`]): sending a
//!   chat message ([`chat_request`], [`parse_chat_reply`]), a channel slug to its
//!   `broadcaster_user_id` ([`channel_by_slug_request`], [`parse_broadcaster_id`]), and the
//!   webhook event subscriptions ([`list_subscriptions_request`], [`parse_subscriptions`],
//!   [`create_subscriptions_request`], [`parse_created_subscriptions`],
//!   [`delete_subscription_request`], [`parse_deleted`]).
//! - **Errors** ([`ApiError`]): 401 (refresh the token), 403 (a missing scope, named when Kick
//!   names it), 404 (Kick's "Channel not found", which new apps meet too), 429 (with
//!   `Retry-After`), OAuth's `error`/`error_description`, and any other status with Kick's
//!   `message`.
//!
//! **Secrets.** Requests carry the client secret (OAuth bodies) or a token (`authorization`):
//! never log a request. [`OAuthToken`]'s `Debug` hides its tokens.
//!
//! ```
//! use kickwire_proto::http::official::{self, ApiReply, ChatMessage, Sender};
//!
//! let mut buf = [0u8; official::API_REQUEST_BUFFER];
//! let msg = ChatMessage { content: "hi", sender: Sender::User, broadcaster_user_id: Some(123), reply_to_message_id: None };
//! let req = official::chat_request(&msg, "ACCESS", &mut buf)?;
//! assert_eq!(req.request.url, "https://api.kick.com/public/v1/chat");
//! assert_eq!(req.authorization, "Bearer ACCESS");
//! // ... send it, get the reply ...
//! let reply = ApiReply::new(200, br#"{"data":{"is_sent":true,"message_id":"m-1"},"message":"OK"}"#);
//! assert_eq!(official::parse_chat_reply(&reply)?.message_id.as_str(), "m-1");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod api_request;
mod channels;
mod chat;
mod error;
mod form;
mod oauth;
mod reply;
mod subscriptions;

pub use api_request::{ApiRequest, OfficialRequestError};
pub use channels::{channel_by_slug_request, parse_broadcaster_id};
pub use chat::{
    CHAT_MAX_CHARS, ChatMessage, Sender, SentMessage, chat_request, check_chat_content,
    parse_chat_reply,
};
pub use error::ApiError;
pub use oauth::{
    Authorize, CODE_CHALLENGE_LEN, Client, OAuthToken, TokenHint, authorize_url,
    client_credentials_request, code_challenge, parse_oauth_token, parse_revoke, refresh_request,
    revoke_request, token_by_code_request,
};
pub use reply::ApiReply;
pub use subscriptions::{
    CreatedSubscription, Subscription, create_subscriptions_request, delete_subscription_request,
    list_subscriptions_request, parse_created_subscriptions, parse_deleted, parse_subscriptions,
};

/// Kick's OAuth server.
pub const OAUTH_BASE: &str = "https://id.kick.com";
/// Kick's public API server.
pub const API_BASE: &str = "https://api.kick.com";

/// A buffer this big always holds any request built here: the largest is a chat message of
/// [`CHAT_MAX_CHARS`] characters each escaped to six bytes (`\u001f`), about 3,100 bytes with
/// its JSON, plus a bearer token of up to [`TOKEN`](crate::limits::TOKEN) bytes.
pub const API_REQUEST_BUFFER: usize = 6 * 1024;
