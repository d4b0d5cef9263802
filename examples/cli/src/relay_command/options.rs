//! `kickwire relay`'s options: which chats, the upstream (exactly `watch`'s options), and
//! where the events go.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::target::{self, Choice};

/// The address the endpoint listens on unless told: loopback only, Pusher's usual port for a
/// local server.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:6001";
/// How far a webhook's timestamp may be from now, either way, unless told.
pub const DEFAULT_WEBHOOK_WINDOW: Duration = Duration::from_secs(600);

/// One chat to relay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chat {
    pub source: Source,
    /// `--broadcaster ID` after the chat: its owner's user id, which Kick's webhooks name it by
    /// (a slug's lookup gives it too).
    pub broadcaster: Option<u64>,
}

/// How a chat was named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A channel slug, looked up with Kick.
    Slug(String),
    /// The chatroom id and channel id given.
    Ids { chatroom: u64, channel: u64 },
}

impl Chat {
    fn new(source: Source) -> Self {
        Self {
            source,
            broadcaster: None,
        }
    }

    /// The chat as the user named it: the slug, or `chatroom/channel`.
    pub fn label(&self) -> String {
        match &self.source {
            Source::Slug(s) => s.clone(),
            Source::Ids { chatroom, channel } => format!("{chatroom}/{channel}"),
        }
    }
}

/// `--publish`: a Pusher HTTP API to publish into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publish {
    pub url: String,
    pub app_id: String,
    pub app_key: String,
    pub app_secret: String,
}

/// The parsed options.
#[derive(Debug)]
pub struct Options {
    pub chats: Vec<Chat>,
    /// `--url`, `--transport`, `--key`, `--cluster`, `--token`, as `watch` takes them, but
    /// `--url` may be repeated: each chat then has one upstream connection per URL (a Pusher
    /// and a Centrifugo server, say), and an event that arrives on several goes out once.
    pub urls: Vec<String>,
    pub transport: Option<Choice>,
    pub key: Option<String>,
    pub cluster: Option<String>,
    pub token: Option<String>,
    /// `--listen ADDR`; `--no-listen` turns the endpoint off (publishing only).
    pub listen: Option<SocketAddr>,
    pub publish: Option<Publish>,
    /// `--shard i/n`: relay only the chats whose channel id is `i` modulo `n`.
    pub shard: Option<(u64, u64)>,
    pub webhooks: Option<SocketAddr>,
    pub webhook_public_key: Option<PathBuf>,
    pub webhook_window: Duration,
    /// `--no-alerts`: do not publish alerts on `kickwire-alerts.{room}`.
    pub alerts: bool,
    /// `--status SECS`: a status line on stderr every so often (0: never).
    pub status_every: Duration,
}

impl Options {
    /// Parses the arguments after `relay`.
    pub fn parse(args: &[String]) -> Result<Self, String> {
        let mut o = Self {
            chats: Vec::new(),
            urls: Vec::new(),
            transport: None,
            key: None,
            cluster: None,
            token: None,
            listen: Some(addr(DEFAULT_LISTEN, "--listen")?),
            publish: None,
            shard: None,
            webhooks: None,
            webhook_public_key: None,
            webhook_window: DEFAULT_WEBHOOK_WINDOW,
            alerts: true,
            status_every: Duration::from_secs(60),
        };
        let (mut room, mut publish) = (None::<u64>, PublishParts::default());
        let mut it = args.iter();
        while let Some(a) = it.next() {
            let mut value = |name: &str| {
                it.next()
                    .cloned()
                    .ok_or_else(|| format!("{name} needs a value"))
            };
            match a.as_str() {
                "--chatroom" => {
                    if room.is_some() {
                        return Err(
                            "--chatroom N wants its --channel N before the next --chatroom".into(),
                        );
                    }
                    room = Some(number(&value(a)?, a)?);
                }
                "--channel" => match room.take() {
                    Some(chatroom) => o.chats.push(Chat::new(Source::Ids {
                        chatroom,
                        channel: number(&value(a)?, a)?,
                    })),
                    None => return Err("--channel N follows its --chatroom N".into()),
                },
                "--broadcaster" => match o.chats.last_mut() {
                    Some(chat) if room.is_none() => {
                        chat.broadcaster = Some(number(&value(a)?, a)?);
                    }
                    _ => return Err("--broadcaster ID follows the chat it belongs to".into()),
                },
                "--url" => o.urls.push(value(a)?),
                "--transport" => o.transport = Some(target::choice(&value(a)?)?),
                "--key" => o.key = Some(value(a)?),
                "--cluster" => o.cluster = Some(value(a)?),
                "--token" => o.token = Some(value(a)?),
                "--listen" => o.listen = Some(addr(&value(a)?, a)?),
                "--no-listen" => o.listen = None,
                "--publish" => publish.url = Some(value(a)?),
                "--app-id" => publish.app_id = Some(value(a)?),
                "--app-key" => publish.app_key = Some(value(a)?),
                "--app-secret" => publish.app_secret = Some(value(a)?),
                "--shard" => o.shard = Some(shard(&value(a)?)?),
                "--webhooks" => o.webhooks = Some(addr(&value(a)?, a)?),
                "--webhook-public-key" => o.webhook_public_key = Some(PathBuf::from(value(a)?)),
                "--webhook-window" => {
                    o.webhook_window = Duration::from_secs(number(&value(a)?, a)?);
                }
                "--no-alerts" => o.alerts = false,
                "--status" => o.status_every = Duration::from_secs(number(&value(a)?, a)?),
                s if s.starts_with('-') => return Err(format!("unknown option '{s}'")),
                slug => o.chats.push(Chat::new(Source::Slug(slug.to_string()))),
            }
        }
        if room.is_some() {
            return Err("--chatroom N wants its --channel N (both ids are needed)".into());
        }
        o.publish = publish.finish()?;
        if o.chats.is_empty() && o.webhooks.is_none() {
            return Err(
                "give the chats to relay (SLUG..., or --chatroom N --channel N pairs), or --webhooks ADDR"
                    .into(),
            );
        }
        if o.listen.is_none() && o.publish.is_none() {
            return Err("--no-listen without --publish would send the events nowhere".into());
        }
        if o.webhook_public_key.is_some() && o.webhooks.is_none() {
            return Err("--webhook-public-key goes with --webhooks ADDR".into());
        }
        Ok(o)
    }

    /// The upstream URLs each chat connects to (`None`: Kick's, as `watch` picks it).
    pub fn upstreams(&self) -> Vec<Option<&str>> {
        if self.urls.is_empty() {
            vec![None]
        } else {
            self.urls.iter().map(|u| Some(u.as_str())).collect()
        }
    }

    /// `watch`'s options for one chat on one upstream: the upstream options with its slug or
    /// ids.
    pub fn target_options(&self, chat: &Chat, url: Option<&str>) -> target::Options {
        let (slug, chatroom, channel) = match &chat.source {
            Source::Slug(s) => (Some(s.clone()), None, None),
            Source::Ids { chatroom, channel } => (None, Some(*chatroom), Some(*channel)),
        };
        target::Options {
            slug,
            chatroom,
            channel,
            url: url.map(str::to_string),
            transport: self.transport,
            key: self.key.clone(),
            cluster: self.cluster.clone(),
            token: self.token.clone(),
            broadcaster: chat.broadcaster,
            ..target::Options::default()
        }
    }

    /// Whether this process relays the chat with this channel id (`--shard i/n`).
    pub fn in_shard(&self, channel_id: u64) -> bool {
        self.shard.is_none_or(|(i, n)| channel_id % n == i)
    }
}

/// `--publish` and its three companions, all or none.
#[derive(Default)]
struct PublishParts {
    url: Option<String>,
    app_id: Option<String>,
    app_key: Option<String>,
    app_secret: Option<String>,
}

impl PublishParts {
    fn finish(self) -> Result<Option<Publish>, String> {
        match (self.url, self.app_id, self.app_key, self.app_secret) {
            (None, None, None, None) => Ok(None),
            (Some(url), Some(app_id), Some(app_key), Some(app_secret)) => Ok(Some(Publish {
                url,
                app_id,
                app_key,
                app_secret,
            })),
            _ => Err("--publish URL needs --app-id, --app-key and --app-secret (all four)".into()),
        }
    }
}

fn number(s: &str, name: &str) -> Result<u64, String> {
    s.parse()
        .map_err(|_| format!("{name} wants a number, not '{s}'"))
}

fn addr(s: &str, name: &str) -> Result<SocketAddr, String> {
    s.parse()
        .map_err(|_| format!("{name} wants an address such as 127.0.0.1:6001, not '{s}'"))
}

/// `i/n` with `i < n`.
fn shard(s: &str) -> Result<(u64, u64), String> {
    let bad = || format!("--shard wants i/n with 0 <= i < n (such as 0/4), not '{s}'");
    let (i, n) = s.split_once('/').ok_or_else(bad)?;
    let (i, n): (u64, u64) = (i.parse().map_err(|_| bad())?, n.parse().map_err(|_| bad())?);
    if n == 0 || i >= n {
        return Err(bad());
    }
    Ok((i, n))
}
