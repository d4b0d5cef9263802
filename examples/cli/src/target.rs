//! What `watch` and `record` connect to: options, and turning a slug into ids, a transport, a
//! URL and a token with Kick's HTTP endpoints (request builders and reply parsers from
//! `kickwire_proto::http`; the HTTP itself is `kickwire_link::http`).

use std::time::Duration;

use kickwire_link::http::{Response, request};
use kickwire_link::net::Connector;
use kickwire_proto::Transport;
use kickwire_proto::conn;
use kickwire_proto::http::{
    self, ClientId, Endpoint, KICK_PUSHER_CLUSTER, KICK_PUSHER_KEY, Lookup, Request,
};
use kickwire_proto::kick::channels::Ids;

use crate::print;

/// Which transport the user asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    Auto,
    Pusher,
    Centrifugo,
}

/// The parsed options of `watch` / `record`.
#[derive(Debug, Default)]
pub struct Options {
    pub slug: Option<String>,
    pub chatroom: Option<u64>,
    pub channel: Option<u64>,
    pub url: Option<String>,
    pub transport: Option<Choice>,
    pub key: Option<String>,
    pub cluster: Option<String>,
    pub token: Option<String>,
    pub subscribe: Vec<String>,
    pub json: bool,
    pub max_events: Option<u64>,
    /// `record`: the capture file.
    pub file: Option<String>,
    /// `record --print`: also print the events.
    pub print: bool,
    /// `record --keep-secrets`: save messages verbatim, secrets included.
    pub keep_secrets: bool,
    /// `--history`: print the chatroom's recent chat before the live events.
    pub history: bool,
    /// `--alerts`: print alerts (Kick's copies merged) instead of events.
    pub alerts: bool,
    /// The channel owner's user id, when given (`relay --broadcaster`): what Kick's official
    /// API and webhooks name a channel by.
    pub broadcaster: Option<u64>,
}

impl Options {
    pub fn parse(args: &[String], record: bool) -> Result<Self, String> {
        let mut o = Self::default();
        let mut it = args.iter();
        let mut positional = Vec::new();
        while let Some(a) = it.next() {
            let mut value = |name: &str| {
                it.next()
                    .cloned()
                    .ok_or_else(|| format!("{name} needs a value"))
            };
            match a.as_str() {
                "--chatroom" => o.chatroom = Some(number(&value("--chatroom")?, "--chatroom")?),
                "--channel" => o.channel = Some(number(&value("--channel")?, "--channel")?),
                "--url" => o.url = Some(value("--url")?),
                "--transport" => o.transport = Some(choice(&value("--transport")?)?),
                "--key" => o.key = Some(value("--key")?),
                "--cluster" => o.cluster = Some(value("--cluster")?),
                "--token" => o.token = Some(value("--token")?),
                "--subscribe" => o.subscribe.push(value("--subscribe")?),
                "--max-events" => {
                    o.max_events = Some(number(&value("--max-events")?, "--max-events")?)
                }
                "--json" => o.json = true,
                "--history" if !record => o.history = true,
                "--alerts" if !record => o.alerts = true,
                "--print" if record => o.print = true,
                "--keep-secrets" if record => o.keep_secrets = true,
                s if s.starts_with('-') && s != "-" => return Err(format!("unknown option '{s}'")),
                s => positional.push(s.to_string()),
            }
        }
        let want = usize::from(record);
        let mut positional = positional.into_iter();
        let ids_given = o.chatroom.is_some() || o.channel.is_some();
        if !ids_given && o.subscribe.is_empty() || positional.len() > want {
            o.slug = positional.next();
        }
        if record {
            o.file = positional.next();
            if o.file.is_none() {
                return Err("record needs a FILE to write the capture to".into());
            }
        }
        if let Some(extra) = positional.next() {
            return Err(format!("unexpected argument '{extra}'"));
        }
        if o.chatroom.is_some() != o.channel.is_some() {
            return Err("--chatroom and --channel go together (both ids are needed)".into());
        }
        if o.slug.is_none() && !ids_given && o.subscribe.is_empty() {
            return Err(
                "give a channel slug, or --chatroom N --channel N, or --subscribe NAME".into(),
            );
        }
        Ok(o)
    }
}

/// `--transport`'s value.
pub fn choice(s: &str) -> Result<Choice, String> {
    match s {
        "auto" => Ok(Choice::Auto),
        "pusher" => Ok(Choice::Pusher),
        "centrifugo" => Ok(Choice::Centrifugo),
        other => Err(format!(
            "--transport must be auto, pusher or centrifugo, not '{other}'"
        )),
    }
}

fn number(s: &str, name: &str) -> Result<u64, String> {
    s.parse()
        .map_err(|_| format!("{name} wants a number, not '{s}'"))
}

/// How a Centrifugo connection gets its token.
#[derive(Debug, Clone)]
pub enum TokenSource {
    /// Pusher: none needed.
    None,
    /// `--token`.
    Fixed(String),
    /// A Kick guest token, fetched again whenever one is needed.
    KickGuest(ClientId),
}

impl TokenSource {
    pub fn fetch(&self) -> Result<String, String> {
        match self {
            Self::None => Err("this server wants a token: pass --token".into()),
            Self::Fixed(t) => Ok(t.clone()),
            Self::KickGuest(client) => {
                let mut buf = [0u8; http::REQUEST_BUFFER];
                let req = http::token_request(client, &mut buf).map_err(|e| e.to_string())?;
                let reply = send(&req)?;
                let cf = reply.header("cf-mitigated").is_some();
                http::parse_token(reply.status, cf, &reply.body)
                    .map(|t| t.as_str().to_string())
                    .map_err(|e| format!("Kick's token endpoint: {e}"))
            }
        }
    }
}

/// Everything needed to connect.
#[derive(Debug)]
pub struct Target {
    pub url: String,
    pub transport: Transport,
    pub channels: Vec<String>,
    pub token: TokenSource,
    /// `Origin` for the WebSocket handshake (Kick's Centrifugo refuses other origins).
    pub origin: Option<String>,
    /// The channel's ids, when a slug or `--chatroom`/`--channel` gave them.
    pub ids: Option<Ids>,
    /// The channel owner's user id (`broadcaster_user_id` in Kick's official API), from the
    /// slug's lookup or given.
    pub broadcaster: Option<u64>,
}

/// How long to wait for a TCP connection, a TLS handshake or an HTTP reply.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(8);

/// The environment variable that sends Kick's HTTP requests elsewhere: its value (an
/// `http://` or `https://` base, no trailing `/`) replaces `https://kick.com` and
/// `https://web.kick.com`. For tests against a local server, and for a relay of one's own.
pub const HTTP_BASE_ENV: &str = "KICKWIRE_HTTP_BASE";

/// `url` with Kick's host replaced by `base` (see [`HTTP_BASE_ENV`]).
fn rebase(url: &str, base: &str) -> String {
    ["https://web.kick.com", "https://kick.com"]
        .iter()
        .find_map(|host| url.strip_prefix(host))
        .map_or_else(|| url.to_string(), |path| format!("{base}{path}"))
}

/// Sends one of proto's requests (to [`HTTP_BASE_ENV`] instead of Kick when it is set).
pub fn send(req: &Request<'_>) -> Result<Response, String> {
    let connector = Connector::new(CONNECT_TIMEOUT);
    let url = match std::env::var(HTTP_BASE_ENV) {
        Ok(base) if !base.is_empty() => rebase(req.url, base.trim_end_matches('/')),
        _ => req.url.to_string(),
    };
    request(&connector, req.method.as_str(), &url, req.headers, req.body)
}

/// Resolves the options into a target; prints what it does on stderr.
pub fn resolve(o: &Options) -> Result<Target, String> {
    let (ids, broadcaster) = match (o.chatroom, o.channel, &o.slug) {
        (Some(room), Some(chan), _) => (Some(Ids::new(room, chan)), o.broadcaster),
        (_, _, Some(slug)) => {
            let (ids, user) = lookup(slug)?;
            (Some(ids), o.broadcaster.or(user))
        }
        _ => (None, o.broadcaster),
    };
    let mut channels: Vec<String> = ids
        .map(|i| i.channels().map(|c| c.as_str().to_string()).collect())
        .unwrap_or_default();
    channels.extend(o.subscribe.iter().cloned());
    let choice = o.transport.unwrap_or(Choice::Auto);
    if let Some(url) = &o.url {
        // A server of the user's own: the URL says which protocol, unless told.
        let transport = match choice {
            Choice::Pusher => Transport::Pusher,
            Choice::Centrifugo => Transport::Centrifugo,
            Choice::Auto => match conn::url_transport(url) {
                Some(t) => t,
                None => {
                    return Err(format!(
                        "cannot tell the protocol of {url}: add --transport pusher or --transport centrifugo"
                    ));
                }
            },
        };
        let centrifugo = transport == Transport::Centrifugo;
        let url = if centrifugo {
            url.clone()
        } else {
            // A bare Pusher server address gets the app path with the key.
            let key = o.key.as_deref().unwrap_or(KICK_PUSHER_KEY);
            let mut buf = [0u8; 1024];
            conn::pusher_app_url(url, key, &mut buf)
                .map(str::to_string)
                .map_err(|e| format!("{url}: {e}"))?
        };
        // Centrifugo without --token: a Kick guest token, as for Kick's own servers.
        let token = match (&o.token, centrifugo) {
            (Some(t), _) => TokenSource::Fixed(t.clone()),
            (None, true) => TokenSource::KickGuest(ClientId::from_random(random_bytes())),
            (None, false) => TokenSource::None,
        };
        return Ok(Target {
            url,
            transport,
            channels,
            token,
            origin: None,
            ids,
            broadcaster,
        });
    }
    let pusher = |key: &str, cluster: &str| {
        let mut buf = [0u8; 256];
        let u = kickwire_proto::conn::PusherUrl::cluster(key, cluster);
        u.write(&mut buf)
            .map(str::to_string)
            .map_err(|e| e.to_string())
    };
    let key = o.key.as_deref().unwrap_or(KICK_PUSHER_KEY);
    let cluster = o.cluster.as_deref().unwrap_or(KICK_PUSHER_CLUSTER);
    if choice == Choice::Pusher || o.key.is_some() {
        return Ok(Target {
            url: pusher(key, cluster)?,
            transport: Transport::Pusher,
            channels,
            token: TokenSource::None,
            origin: None,
            ids,
            broadcaster,
        });
    }
    // Ask Kick which transport carries this chat.
    let client = ClientId::from_random(random_bytes());
    let accept: &[Transport] = match choice {
        Choice::Centrifugo => &[Transport::Centrifugo],
        _ => &[Transport::Centrifugo, Transport::Pusher],
    };
    let endpoint = negotiate(ids, &client, accept);
    match endpoint {
        Ok(Endpoint::Centrifugo { url }) => {
            print::err(&format!(
                "[kickwire] Kick offers Centrifugo at {}",
                url.as_str()
            ));
            let token = match &o.token {
                Some(t) => TokenSource::Fixed(t.clone()),
                None => TokenSource::KickGuest(client),
            };
            Ok(Target {
                url: url.as_str().to_string(),
                transport: Transport::Centrifugo,
                channels,
                token,
                origin: Some(http::KICK_ORIGIN.to_string()),
                ids,
                broadcaster,
            })
        }
        Ok(e @ Endpoint::Pusher { .. }) => {
            let mut buf = [0u8; 256];
            let url = e
                .websocket_url(&mut buf)
                .map_err(|e| e.to_string())?
                .to_string();
            print::err(&format!("[kickwire] Kick offers Pusher at {url}"));
            Ok(Target {
                url,
                transport: Transport::Pusher,
                channels,
                token: TokenSource::None,
                origin: None,
                ids,
                broadcaster,
            })
        }
        Ok(other) => Err(format!(
            "Kick offered a transport this version does not speak: {other:?}"
        )),
        Err(msg) if choice == Choice::Auto => {
            print::err(&format!(
                "[kickwire] transport negotiation failed ({msg}); trying Kick's Pusher app"
            ));
            Ok(Target {
                url: pusher(key, cluster)?,
                transport: Transport::Pusher,
                channels,
                token: TokenSource::None,
                origin: None,
                ids,
                broadcaster,
            })
        }
        Err(msg) => Err(format!("transport negotiation failed: {msg}")),
    }
}

fn negotiate(
    ids: Option<Ids>,
    client: &ClientId,
    accept: &[Transport],
) -> Result<Endpoint, String> {
    let mut buf = [0u8; http::REQUEST_BUFFER];
    let req = match ids {
        Some(ids) => http::chat_connection_request(ids.channel_id, client, accept, &mut buf),
        None => http::connection_request(client, accept, &mut buf),
    }
    .map_err(|e| e.to_string())?;
    let reply = send(&req)?;
    let cf = reply.header("cf-mitigated").is_some();
    http::parse_connection(reply.status, cf, &reply.body).map_err(|e| e.to_string())
}

/// What to do without a lookup: the error messages' advice.
pub const LOOKUP_HELP: &str = "pass the ids instead: --chatroom N --channel N (open https://kick.com/api/v2/channels/<slug> in a browser: `chatroom.id` and `id`)";

/// Looks a slug up on kick.com; the error says how to go on without it.
/// The slug's ids and its owner's user id.
fn lookup(slug: &str) -> Result<(Ids, Option<u64>), String> {
    channel_reply(slug).map(|(info, _)| (info.ids(), info.user_id))
}

/// The channel reply for `slug` (Kick's `_` -> `-` retry included), read as a lookup, with its
/// body for other parsers of the same reply (`info`). Reports on stderr what it does; the error
/// says how to go on without it.
pub fn channel_reply(slug: &str) -> Result<(http::ChannelInfo, Response), String> {
    let help = LOOKUP_HELP;
    let mut l = http::ChannelLookup::new(slug).map_err(|e| format!("'{slug}': {e}"))?;
    print::err(&format!("[kickwire] looking up '{}' on kick.com", l.slug()));
    for _ in 0..2 {
        let mut buf = [0u8; http::REQUEST_BUFFER];
        let req = l.request(&mut buf).map_err(|e| e.to_string())?;
        let reply =
            send(&req).map_err(|e| format!("cannot reach kick.com ({e}); no network? {help}"))?;
        let cf = reply.header("cf-mitigated").is_some();
        match l.on_reply(reply.status, cf, &reply.body) {
            Ok(Lookup::Found(info)) => {
                print::err(&format!(
                    "[kickwire] '{}': chatroom {}, channel {}",
                    info.slug.as_str(),
                    info.chatroom_id,
                    info.channel_id
                ));
                return Ok((info, reply));
            }
            Ok(Lookup::Retry) => {
                print::err(&format!("[kickwire] not found; trying '{}'", l.slug()))
            }
            Ok(_) => return Err(format!("unexpected reply looking up '{slug}'; {help}")),
            Err(e) => return Err(format!("looking up '{slug}' failed: {e}; {help}")),
        }
    }
    Err(format!("channel '{slug}' not found; {help}"))
}

fn random_bytes() -> [u8; 16] {
    // Not secret: a per-run client id. Mix the clock and the process id.
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let x = t ^ (u128::from(std::process::id()) << 64);
    x.to_le_bytes()
}
