//! `kickwire relay` started for a test: its arguments, the wait until it is ready, and the
//! addresses it prints.

use std::net::SocketAddr;
use std::time::Duration;

use super::Cli;

/// `relay --url URL --status 0` and a `--chatroom`/`--channel` pair per chat, listening on a
/// free loopback port; the caller adds the rest.
pub fn args<'a>(url: &'a str, chats: &[(&'a str, &'a str)]) -> Vec<&'a str> {
    let mut args = vec!["relay", "--url", url, "--status", "0"];
    for (room, chan) in chats {
        args.extend(["--chatroom", room, "--channel", chan]);
    }
    args
}

/// A running relay and the stderr lines read while it got ready.
pub struct Relay {
    pub cli: Cli,
    pub lines: Vec<String>,
}

impl Relay {
    /// Starts `kickwire ARGS` and returns once `upstreams` upstream connections have each
    /// subscribed to a chat's six channels (what is published earlier is lost upstream, as for
    /// any Pusher client) and every server the arguments ask for has printed its address: the
    /// endpoint unless `--no-listen` (with `--listen 127.0.0.1:0` unless another is given),
    /// the webhook server with `--webhooks`.
    pub fn start(args: &[&str], upstreams: usize) -> Self {
        let mut args = args.to_vec();
        let listens = !args.contains(&"--no-listen");
        if listens && !args.contains(&"--listen") {
            args.extend(["--listen", "127.0.0.1:0"]);
        }
        let hooks = args.contains(&"--webhooks");
        let cli = Cli::start(&args);
        let (mut subscribed, mut endpoint, mut webhooks) = (0, !listens, !hooks);
        let (ok, lines) = cli.err_until(Duration::from_secs(30), |l| {
            subscribed += usize::from(l.contains("] subscribed to "));
            endpoint |= l.contains(ENDPOINT);
            webhooks |= l.contains(WEBHOOKS);
            subscribed >= 6 * upstreams && endpoint && webhooks
        });
        assert!(ok, "{lines:?}");
        Self { cli, lines }
    }

    /// The endpoint's address.
    pub fn endpoint(&self) -> SocketAddr {
        self.addr(ENDPOINT)
    }

    /// The webhook server's address.
    pub fn webhooks(&self) -> SocketAddr {
        self.addr(WEBHOOKS)
    }

    fn addr(&self, marker: &str) -> SocketAddr {
        self.lines
            .iter()
            .find_map(|l| l.split(marker).nth(1))
            .and_then(|rest| rest.split('/').next())
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| panic!("no {marker:?} in {:?}", self.lines))
    }
}

const ENDPOINT: &str = "endpoint at ws://";
const WEBHOOKS: &str = "webhooks at http://";
