//! `kickwire send`: one chat message through Kick's public API, as the logged-in user or as
//! the app's bot; prints the message id Kick gives it.

use std::process::ExitCode;

use kickwire_proto::http::official::{self, ChatMessage, Sender};

use super::args::{number, value};
use super::session::Session;
use crate::print;

/// Which channel.
#[derive(Debug)]
enum To {
    Slug(String),
    Broadcaster(u64),
    /// `--bot` alone: Kick posts in the bot's own channel.
    Own,
}

/// The parsed options of `send`.
#[derive(Debug)]
pub struct Options {
    to: To,
    reply_to: Option<String>,
    bot: bool,
    text: String,
}

impl Options {
    pub fn parse(args: &[String]) -> Result<Self, String> {
        let (mut slug, mut id, mut reply_to, mut bot, mut text) = (None, None, None, false, None);
        let mut it = args.iter();
        while let Some(a) = it.next() {
            match a.as_str() {
                "--channel" => slug = Some(value(&mut it, a)?),
                "--broadcaster" => id = Some(number(&value(&mut it, a)?, a)?),
                "--reply-to" => reply_to = Some(value(&mut it, a)?),
                "--bot" => bot = true,
                "--" => {
                    text = it.next().cloned();
                    if let Some(extra) = it.next() {
                        return Err(format!(
                            "send: unexpected argument '{extra}' (quote the message)"
                        ));
                    }
                }
                s if s.starts_with("--") => return Err(format!("send: unknown option '{s}'")),
                s if text.is_none() => text = Some(s.to_string()),
                s => {
                    return Err(format!(
                        "send: unexpected argument '{s}' (quote the message)"
                    ));
                }
            }
        }
        let to = match (slug, id) {
            (Some(_), Some(_)) => return Err("send: --channel or --broadcaster, not both".into()),
            (Some(s), None) => To::Slug(s),
            (None, Some(n)) => To::Broadcaster(n),
            (None, None) if bot => To::Own,
            (None, None) => return Err("send needs --channel SLUG or --broadcaster ID".into()),
        };
        Ok(Self {
            to,
            reply_to,
            bot,
            text: text.ok_or("send needs the message TEXT")?,
        })
    }
}

pub fn run(o: &Options) -> ExitCode {
    let result = send(o).and_then(|id| print::out(&id).map_err(|e| e.to_string()));
    super::finish("send", result)
}

fn send(o: &Options) -> Result<String, String> {
    // Before the token file is read or anything is sent.
    official::check_chat_content(&o.text).map_err(|e| e.to_string())?;
    let mut session = Session::load()?;
    let broadcaster = match &o.to {
        To::Broadcaster(n) => Some(*n),
        To::Own => None,
        To::Slug(slug) => {
            let id = session
                .call(
                    |token, buf| official::channel_by_slug_request(slug, token, buf),
                    official::parse_broadcaster_id,
                )
                .map_err(|e| format!("looking up '{slug}': {e}"))?;
            print::err(&format!("[kickwire] '{slug}' is broadcaster {id}"));
            Some(id)
        }
    };
    let msg = ChatMessage {
        content: &o.text,
        sender: if o.bot { Sender::Bot } else { Sender::User },
        broadcaster_user_id: broadcaster,
        reply_to_message_id: o.reply_to.as_deref(),
    };
    let sent = session.call(
        |token, buf| official::chat_request(&msg, token, buf),
        official::parse_chat_reply,
    )?;
    if !sent.is_sent {
        print::err("[kickwire] warning: Kick gave a message id but says the message was not sent");
    }
    Ok(sent.message_id.as_str().to_string())
}
