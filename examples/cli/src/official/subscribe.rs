//! `kickwire subscribe`: the webhook event subscriptions a relay needs, made with an app token
//! (client credentials): Kick lets an app token subscribe to any channel.

use std::process::ExitCode;

use kickwire_proto::http::official::{self, API_REQUEST_BUFFER, ApiReply, ApiRequest, Client};

use super::args::{client_secret, number, value};
use super::store;
use super::{reply, send};
use crate::print;

#[derive(Debug)]
enum Action {
    Create {
        broadcaster: u64,
        events: Vec<String>,
    },
    List,
    Delete(String),
}

/// The parsed options of `subscribe` (no `Debug`: they hold the client secret).
pub struct Options {
    action: Action,
    client_id: Option<String>,
    client_secret: Option<String>,
}

impl Options {
    pub fn parse(args: &[String]) -> Result<Self, String> {
        let (mut broadcaster, mut events, mut list, mut delete) = (None, None, false, None);
        let (mut client_id, mut client_secret_given) = (None, None);
        let mut it = args.iter();
        while let Some(a) = it.next() {
            match a.as_str() {
                "--broadcaster" => broadcaster = Some(number(&value(&mut it, a)?, a)?),
                "--events" => events = Some(value(&mut it, a)?),
                "--list" => list = true,
                "--delete" => delete = Some(value(&mut it, a)?),
                "--client-id" => client_id = Some(value(&mut it, a)?),
                "--client-secret" => client_secret_given = Some(value(&mut it, a)?),
                s => return Err(format!("subscribe: unexpected argument '{s}'")),
            }
        }
        let action = match (broadcaster, events, list, delete) {
            (Some(b), Some(e), false, None) => Action::Create {
                broadcaster: b,
                events: e
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect(),
            },
            (None, None, true, None) => Action::List,
            (None, None, false, Some(id)) => Action::Delete(id),
            _ => {
                return Err(
                    "subscribe wants one of: --broadcaster ID --events A,B,...; --list; --delete ID"
                        .into(),
                );
            }
        };
        Ok(Self {
            action,
            client_id,
            client_secret: client_secret(client_secret_given),
        })
    }
}

pub fn run(o: &Options) -> ExitCode {
    super::finish("subscribe", subscribe(o))
}

/// The app's credentials: the options, else the stored login's.
fn credentials(o: &Options) -> Result<(String, String), String> {
    let stored = match (&o.client_id, &o.client_secret) {
        (Some(_), Some(_)) => None,
        _ => store::load()?,
    };
    let id = o
        .client_id
        .clone()
        .or_else(|| stored.as_ref().map(|t| t.client_id.clone()));
    let secret = o
        .client_secret
        .clone()
        .or_else(|| stored.as_ref().map(|t| t.client_secret.clone()));
    id.zip(secret).ok_or_else(|| {
        "needs the app's credentials: --client-id ID --client-secret SECRET (or KICKWIRE_CLIENT_SECRET), or a stored kickwire login"
            .into()
    })
}

/// An app token by client credentials.
fn app_token(id: &str, secret: &str) -> Result<String, String> {
    let mut buf = vec![0u8; API_REQUEST_BUFFER];
    let req = official::client_credentials_request(&Client { id, secret }, &mut buf)
        .map_err(|e| e.to_string())?;
    let got = send(&req, None).map_err(|e| format!("getting an app token: {e}"))?;
    official::parse_oauth_token(&reply(&got))
        .map(|t| t.access_token.as_str().to_string())
        .map_err(|e| format!("getting an app token failed: {e}"))
}

/// Sends one request built with the app token and reads its reply with `parse`.
fn call<T>(
    token: &str,
    build: impl for<'b> FnOnce(
        &str,
        &'b mut [u8],
    ) -> Result<ApiRequest<'b>, official::OfficialRequestError>,
    parse: impl FnOnce(&ApiReply<'_>) -> Result<T, official::ApiError>,
) -> Result<T, String> {
    let mut buf = vec![0u8; API_REQUEST_BUFFER];
    let req = build(token, &mut buf).map_err(|e| e.to_string())?;
    let got = send(&req.request, Some(req.authorization))?;
    parse(&reply(&got)).map_err(|e| e.to_string())
}

fn subscribe(o: &Options) -> Result<(), String> {
    let (id, secret) = credentials(o)?;
    let token = app_token(&id, &secret)?;
    match &o.action {
        Action::List => {
            let mut lines = Vec::new();
            let n = call(&token, official::list_subscriptions_request, |r| {
                official::parse_subscriptions(r, |s| {
                    let b = s.broadcaster_user_id.map_or("?".into(), |b| b.to_string());
                    lines.push(format!(
                        "{} {} v{} broadcaster {b} {}",
                        s.id, s.event, s.version, s.method
                    ));
                })
            })?;
            for l in &lines {
                print::out(l).map_err(|e| e.to_string())?;
            }
            print::err(&format!("[kickwire] {n} subscription(s)"));
            Ok(())
        }
        Action::Create {
            broadcaster,
            events,
        } => {
            let names: Vec<&str> = events.iter().map(String::as_str).collect();
            let mut made = Vec::new();
            let mut failed = Vec::new();
            call(
                &token,
                |t, buf| official::create_subscriptions_request(*broadcaster, &names, t, buf),
                |r| {
                    official::parse_created_subscriptions(r, |c| {
                        if c.error.is_empty() && !c.subscription_id.is_empty() {
                            made.push(format!("{} {} v{}", c.subscription_id, c.name, c.version));
                        } else {
                            failed.push(format!("{}: {}", c.name, c.error));
                        }
                    })
                },
            )?;
            for l in &made {
                print::out(l).map_err(|e| e.to_string())?;
            }
            if failed.is_empty() {
                Ok(())
            } else {
                Err(format!("Kick refused: {}", failed.join("; ")))
            }
        }
        Action::Delete(sub) => {
            call(
                &token,
                |t, buf| official::delete_subscription_request(sub, t, buf),
                official::parse_deleted,
            )?;
            print::err(&format!("[kickwire] deleted subscription {sub}"));
            Ok(())
        }
    }
}
