//! The Centrifugo JSON protocol's server messages (what kick.com's web client receives since
//! about October 2026): pushes (publications, unsubscribes, disconnects), command replies and
//! the `{}` ping.

use super::Data;
use crate::error::SyntaxError;
use crate::json::EscapedStr;
use crate::json::field::Field;
use crate::json::reader::{Kind, Reader};

/// A reply's `error`: `{"code": 109, "message": "token expired"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReplyError<'a> {
    /// Centrifugo error code (109 = token expired).
    pub code: u32,
    /// Message, still escaped.
    pub message: Option<EscapedStr<'a>>,
    /// `"temporary": true` (codes 100 and 111): try again later.
    pub temporary: bool,
}

/// A reply to one of our commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reply<'a> {
    /// Reply to `connect`.
    Connect {
        /// Client id.
        client: Option<EscapedStr<'a>>,
        /// Whether the token expires (then refresh before `ttl`).
        expires: bool,
        /// Seconds until the token must be refreshed.
        ttl: Option<u64>,
        /// Server ping interval in seconds.
        ping: Option<u64>,
    },
    /// Reply to `subscribe`.
    Subscribe,
    /// Reply to `refresh`.
    Refresh {
        /// Whether the new token expires.
        expires: bool,
        /// Its TTL in seconds.
        ttl: Option<u64>,
    },
    /// Reply to another command (the raw member name and value).
    Other {
        /// Member name, e.g. `publish`.
        kind: &'a [u8],
        /// Its JSON value.
        value: &'a [u8],
    },
    /// A reply that only carries `error`.
    Error,
}

/// One Centrifugo server message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Message<'a> {
    /// `{}`: the server's ping; answer with `{}`.
    Ping,
    /// A publication on a channel. Kick's carry `{"event": …, "data": "<JSON string>"}`.
    Publication {
        /// The channel.
        channel: EscapedStr<'a>,
        /// The event name, when the publication has Kick's shape.
        event: Option<EscapedStr<'a>>,
        /// The payload (the whole publication `data` when it is not Kick's shape).
        data: Data<'a>,
        /// Stream offset, when the channel has history.
        offset: Option<u64>,
    },
    /// The server unsubscribed us (`2500-2999`: resubscribe).
    Unsubscribe {
        /// The channel.
        channel: EscapedStr<'a>,
        /// Code.
        code: u32,
        /// Reason, still escaped.
        reason: Option<EscapedStr<'a>>,
    },
    /// The server is closing the connection (`3500-3999`, `4500-4999`: terminal).
    Disconnect {
        /// Code.
        code: u32,
        /// Reason, still escaped.
        reason: Option<EscapedStr<'a>>,
    },
    /// Another push (join, leave, message, ...) on `channel`.
    OtherPush {
        /// The channel, if any.
        channel: Option<EscapedStr<'a>>,
    },
    /// The reply to command `id`.
    Reply {
        /// The command's id.
        id: u64,
        /// What it answers.
        reply: Reply<'a>,
        /// The error, if the command failed.
        error: Option<ReplyError<'a>>,
    },
}

fn u32_of(v: Option<u64>) -> u32 {
    v.map_or(0, |v| u32::try_from(v).unwrap_or(u32::MAX))
}

/// `{"code", "reason"}` or `{"code", "message"}`, and `"temporary"` (error replies).
fn code_reason<'a>(raw: &'a [u8]) -> Result<(u32, Option<EscapedStr<'a>>, bool), SyntaxError> {
    let mut r = Reader::new(raw);
    let mut code: Option<u64> = None;
    let mut reason = None;
    let mut temporary: Option<bool> = None;
    if r.peek_kind()? == Kind::Object {
        r.object(|r, key| {
            if key == b"code".as_slice() {
                code.read(r)
            } else if key == b"temporary".as_slice() {
                temporary.read(r)
            } else if key == b"reason".as_slice() || key == b"message".as_slice() {
                reason = if r.peek_kind()? == Kind::String {
                    Some(r.string()?)
                } else {
                    r.skip_value().map(|()| None)?
                };
                Ok(())
            } else {
                r.skip_value()
            }
        })?;
    } else {
        r.skip_value()?;
    }
    Ok((u32_of(code), reason, temporary.unwrap_or(false)))
}

fn publication<'a>(channel: EscapedStr<'a>, raw: &'a [u8]) -> Result<Message<'a>, SyntaxError> {
    let mut r = Reader::new(raw);
    let mut data = Data::Absent;
    let mut offset: Option<u64> = None;
    r.object(|r, key| {
        if key == b"data".as_slice() {
            data = super::data_value(r)?;
            Ok(())
        } else if key == b"offset".as_slice() {
            offset.read(r)
        } else {
            r.skip_value()
        }
    })?;
    // Kick's shape: the publication data is an object `{"event": …, "data": …}`.
    let mut event = None;
    if let Data::Json(inner) = data {
        let mut r = Reader::new(inner);
        let mut inner_data = Data::Absent;
        if r.peek_kind()? == Kind::Object {
            r.object(|r, key| {
                if key == b"event".as_slice() {
                    event = super::opt_string(r)?;
                    Ok(())
                } else if key == b"data".as_slice() {
                    inner_data = super::data_value(r)?;
                    Ok(())
                } else {
                    r.skip_value()
                }
            })?;
            if event.is_some() {
                data = inner_data;
            }
        }
    }
    Ok(Message::Publication {
        channel,
        event,
        data,
        offset,
    })
}

fn push(raw: &[u8]) -> Result<Message<'_>, SyntaxError> {
    let mut r = Reader::new(raw);
    let mut channel = None;
    let mut body: Option<(&[u8], &[u8])> = None;
    if r.peek_kind()? != Kind::Object {
        r.skip_value()?;
        return Ok(Message::OtherPush { channel: None });
    }
    r.object(|r, key| {
        // `unsubscribe` is Centrifugo's key (centrifuge-js 5.8 reads only that one);
        // `unsub` is how some notes on Kick's traffic write it: accept both.
        if key == b"channel".as_slice() {
            channel = super::opt_string(r)?;
        } else if [b"pub".as_slice(), b"unsub", b"unsubscribe", b"disconnect"].contains(&key) {
            body = Some((key, r.raw_value()?));
        } else {
            r.skip_value()?;
        }
        Ok(())
    })?;
    Ok(match (body, channel) {
        (Some((kind, raw)), Some(channel)) if kind == b"pub".as_slice() => {
            publication(channel, raw)?
        }
        (Some((kind, raw)), Some(channel))
            if kind == b"unsub".as_slice() || kind == b"unsubscribe".as_slice() =>
        {
            let (code, reason, _) = code_reason(raw)?;
            Message::Unsubscribe {
                channel,
                code,
                reason,
            }
        }
        (Some((kind, raw)), _) if kind == b"disconnect".as_slice() => {
            let (code, reason, _) = code_reason(raw)?;
            Message::Disconnect { code, reason }
        }
        _ => Message::OtherPush { channel },
    })
}

fn reply<'a>(kind: &'a [u8], raw: &'a [u8]) -> Result<Reply<'a>, SyntaxError> {
    let mut r = Reader::new(raw);
    let mut client = None;
    let mut expires: Option<bool> = None;
    let mut ttl: Option<u64> = None;
    let mut ping: Option<u64> = None;
    if r.peek_kind()? == Kind::Object {
        r.object(|r, key| {
            if key == b"client".as_slice() {
                client = super::opt_string(r)?;
                Ok(())
            } else if key == b"expires".as_slice() {
                expires.read(r)
            } else if key == b"ttl".as_slice() {
                ttl.read(r)
            } else if key == b"ping".as_slice() {
                ping.read(r)
            } else {
                r.skip_value()
            }
        })?;
    } else {
        r.skip_value()?;
    }
    let expires = expires.unwrap_or(false);
    Ok(if kind == b"connect".as_slice() {
        Reply::Connect {
            client,
            expires,
            ttl,
            ping,
        }
    } else if kind == b"subscribe".as_slice() {
        Reply::Subscribe
    } else if kind == b"refresh".as_slice() {
        Reply::Refresh { expires, ttl }
    } else {
        Reply::Other { kind, value: raw }
    })
}

/// Classifies a top-level object that has no Pusher `event` member.
pub(super) fn from_members<'a>(
    count: usize,
    id: Option<u64>,
    push_raw: Option<&'a [u8]>,
    error: Option<&'a [u8]>,
    reply_raw: Option<(&'a [u8], &'a [u8])>,
) -> Result<Option<Message<'a>>, (SyntaxError, usize)> {
    let at = |e| (e, 0);
    if count == 0 {
        return Ok(Some(Message::Ping));
    }
    if let Some(raw) = push_raw {
        return push(raw).map(Some).map_err(at);
    }
    let error = match error {
        Some(raw) => {
            let (code, message, temporary) = code_reason(raw).map_err(at)?;
            Some(ReplyError {
                code,
                message,
                temporary,
            })
        }
        None => None,
    };
    let reply = match reply_raw {
        Some((kind, raw)) => reply(kind, raw).map_err(at)?,
        None if error.is_some() => Reply::Error,
        None if id.is_some() => Reply::Other {
            kind: b"",
            value: b"{}",
        },
        None => return Ok(None),
    };
    Ok(Some(Message::Reply {
        id: id.unwrap_or(0),
        reply,
        error,
    }))
}
