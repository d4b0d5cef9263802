//! `kickwire`: the command line. `watch` prints a live channel's events, `record` saves them
//! as a capture, `replay` decodes a capture (one WebSocket message per line, Pusher or
//! Centrifugo).

// Every line goes through `print` (and so `kickwire_cli::terminal`), never straight out.
#![deny(clippy::print_stdout, clippy::print_stderr)]

mod capture;
mod history;
mod info;
mod lifecycle;
mod official;
mod print;
mod relay_command;
mod replay;
mod target;
mod watch;

use std::process::ExitCode;

const USAGE: &str = "\
kickwire: receive Kick.com live events

USAGE:
    kickwire watch [OPTIONS] SLUG          print a live channel's events until Ctrl-C
    kickwire watch [OPTIONS] --chatroom N --channel N
    kickwire info [--json] SLUG            the channel's room now: title, live or not, viewers,
                                           category, followers, chat settings
    kickwire record [OPTIONS] SLUG FILE    save every received message to FILE (replayable)
    kickwire replay [--json] [--alerts] [--max-line BYTES] FILE
                                           decode a capture (one WebSocket message per line)
    kickwire relay [OPTIONS] SLUG...        serve the chats' events to any number of Pusher
    kickwire relay [OPTIONS] --chatroom N --channel N [--chatroom N --channel N ...]
                                           clients (overlays, boards, pusher-js), each once
    kickwire login --client-id ID --client-secret SECRET [--scopes A,B] [--port P]
                                           log in to Kick's official API (OAuth, PKCE)
    kickwire logout                        revoke the stored tokens and delete them
    kickwire send (--channel SLUG | --broadcaster ID) [--reply-to ID] [--bot] TEXT
                                           send a chat message; prints its id
    kickwire subscribe --broadcaster ID --events A,B,... | --list | --delete ID
                                           webhook event subscriptions (an app token)
    kickwire --help | --version

OPTIONS (watch, record):
    --chatroom N --channel N   the channel's two ids, instead of looking up a slug
    --transport T              auto (default: ask Kick), pusher or centrifugo
    --url URL                  any Pusher or Centrifugo server (ws:// or wss://); a bare
                               ws://host:port is taken as Pusher (/app/KEY is added)
    --key KEY                  a Pusher app key (default Kick's); --cluster C (default us2)
    --token TOKEN              a Centrifugo connection token (default: a Kick guest token)
    --subscribe NAME           also subscribe to this channel name (repeatable)
    --json                     one JSON object per event (Kick and lifecycle) on stdout
    --max-events N             stop cleanly after N Kick events
    --history                  (watch) first print the chatroom's recent chat, each line marked
                               [history] (with --json: \"history\": true); then the live events
    --alerts                   (watch) one line per happening instead of one per event: Kick's
                               copies of a sub, host or chat line merged, a gift's chunks
                               joined into one alert with its total (a gift missing a chunk is
                               printed 2 s after its last one, with what came). With --json,
                               one object per alert: {\"alert\":\"Kind\",...}; lifecycle
                               objects as without. With --history, the history is fed first
                               (its alerts marked) and its live copies are not shown again
    --print                    (record) also print the events
    --keep-secrets             (record) save messages verbatim; by default Kick's secrets (the
                               signed playback_url, presigned picture URLs) are redacted

OPTIONS (relay): the upstream options of watch (--transport, --url, --key, --cluster,
--token; --url may be repeated: one upstream per URL for each chat, an event that arrives
on several forwarded once), and:
    --listen ADDR              the Pusher v7 endpoint (default 127.0.0.1:6001; another
                               machine reaches it only with --listen 0.0.0.0:PORT):
                               ws://ADDR/app/<any key>, Kick's own channel names
                               (chatrooms.{room}.v2, ...), alerts on kickwire-alerts.{room} as
                               kickwire:alert; GET /healthz and /metrics (Prometheus) there too
    --no-listen                no endpoint (with --publish)
    --publish URL --app-id ID --app-key KEY --app-secret SECRET
                               also publish every event into a Pusher HTTP API (sockudo,
                               soketi, Pusher): batched, retried with back-off, bounded queue
    --shard i/n                relay only the chats whose channel id is i modulo n
    --webhooks ADDR            serve POST /kick/webhook: Kick's signed deliveries, verified
                               (RSA SHA-256 with Kick's key), published on
                               kickwire-official.{broadcaster_user_id}; also /healthz, /metrics
    --broadcaster ID           (after a chat) its owner's user id, which Kick's webhooks name it
                               by (a slug's lookup finds it): its deliveries then go through the
                               chat's alerts too, so a sub seen both ways is one alert and a
                               follow (webhooks only) an alert of its own
    --webhook-public-key FILE  verify with this PEM key instead of Kick's
    --webhook-window SECS      how far a delivery's timestamp may be from now (default 600)
    --no-alerts                do not publish alerts
    --status SECS              a status line on stderr this often (default 60; 0: never)

OPTIONS (info):
    --json                     one JSON object (camelCase keys) instead of readable lines
    --channel N                the channel id; without a slug, says why nothing can be shown
                               (Kick's channel reply is looked up by slug)

OPTIONS (login, logout, send, subscribe: Kick's official API):
    --client-id ID --client-secret SECRET
                               your Kick app's credentials (the secret may come from
                               KICKWIRE_CLIENT_SECRET instead, out of the process list).
                               login stores them with the tokens
                               (the secret is needed to refresh) in tokens.json in
                               $KICKWIRE_CONFIG_DIR, else $XDG_CONFIG_HOME/kickwire, else
                               ~/.config/kickwire, created with mode 0600
    --scopes A,B               (login) default user:read,chat:write,events:subscribe
    --port P                   (login) the redirect http://127.0.0.1:P/callback (default 8910):
                               register exactly this redirect URI with your app. login prints
                               the address to open on stdout and waits for the browser up to
                               --timeout SECS (default 300)
    TEXT                       (send) at most 500 characters, checked before anything is sent.
                               As the user by default (needs --channel or --broadcaster); --bot
                               as the app's bot. A token within 60 s of expiry is refreshed
                               first; a 401 refreshes it and retries once
    --events A,B,...           (subscribe) chat.message.sent, channel.followed,
                               channel.subscription.new, channel.subscription.renewal,
                               channel.subscription.gifts, kicks.gifted, livestream.status.updated,
                               livestream.metadata.updated, moderation.banned,
                               channel.reward.redemption.updated (each at version 1). subscribe
                               takes --client-id/--client-secret, else the stored login's
    logout revokes the access and refresh tokens and deletes the file; offline, it deletes the
    file with a warning that the tokens stay valid until they expire

OPTIONS (replay):
    --json                     one JSON object per event on stdout
    --alerts                   one line (with --json, one object) per alert, as watch --alerts.
                               A capture has no times: copies are merged however far apart,
                               and a gift missing a chunk is printed at the end of the file
    --max-line BYTES           the longest line decoded (default 1048576); longer ones are
                               reported with their line number and skipped

watch prints one line per event (lifecycle on stderr), or with --json one JSON object per event.
Reconnects and failed token fetches are shown and never fatal; Ctrl-C closes cleanly. A
WebSocket message over 1 MiB closes the connection with code 1009 (then it reconnects). Control
characters in Kick's text are printed escaped (\\u{1b}), never raw. replay prints the same, from a
file, streamed: bad lines are reported on stderr with their line number and skipped; a summary
ends stderr. Use - as FILE to read standard input. Offline demo:
    kickwire replay examples/captures/demo.jsonl

ENVIRONMENT:
    KICKWIRE_HTTP_BASE         send Kick's HTTP requests (lookup, info, history, negotiation,
                               token) to this http:// or https:// base instead of kick.com and
                               web.kick.com (a local test server, a relay of your own); the
                               official API's id.kick.com and api.kick.com too
    KICKWIRE_CONFIG_DIR        where login keeps tokens.json
    KICKWIRE_CLIENT_SECRET     the app's client secret, when --client-secret is not given";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("replay") => match replay::Options::parse(args.get(1..).unwrap_or_default()) {
            Ok(opts) => replay::run(&opts),
            Err(msg) => usage_error(&msg),
        },
        Some("info") => match info::Options::parse(args.get(1..).unwrap_or_default()) {
            Ok(opts) => info::run(&opts),
            Err(msg) => usage_error(&msg),
        },
        Some(cmd @ ("watch" | "record")) => {
            let record = cmd == "record";
            let opts = match target::Options::parse(args.get(1..).unwrap_or_default(), record) {
                Ok(o) => o,
                Err(msg) => return usage_error(&msg),
            };
            let target = match target::resolve(&opts) {
                Ok(t) => t,
                Err(msg) => {
                    print::err(&format!("kickwire: {msg}"));
                    return ExitCode::FAILURE;
                }
            };
            let file = match &opts.file {
                Some(path) => match std::fs::File::create(path) {
                    Ok(f) => Some(f),
                    Err(e) => {
                        print::err(&format!("kickwire: cannot create {path}: {e}"));
                        return ExitCode::FAILURE;
                    }
                },
                None => None,
            };
            let mut alerts = opts
                .alerts
                .then(|| kickwire_cli::alerts::Feed::new(opts.json));
            // Before the socket opens: the history is what was said before the live events
            // (and with --alerts, what the machine must know so as not to show it again).
            if opts.history && history::show(target.ids, opts.json, alerts.as_mut()).is_err() {
                return ExitCode::FAILURE;
            }
            let out = watch::Output {
                json: opts.json,
                record: file,
                keep_secrets: opts.keep_secrets,
                max_events: opts.max_events,
                quiet: record && !opts.print,
                alerts,
            };
            watch::run(target, out)
        }
        Some("relay") => match relay_command::Options::parse(args.get(1..).unwrap_or_default()) {
            Ok(opts) => relay_command::run(&opts),
            Err(msg) => usage_error(&msg),
        },
        Some("login") => match official::login::Options::parse(args.get(1..).unwrap_or_default()) {
            Ok(opts) => official::login::run(&opts),
            Err(msg) => usage_error(&msg),
        },
        Some("logout") => official::logout::run(args.get(1..).unwrap_or_default()),
        Some("send") => match official::send::Options::parse(args.get(1..).unwrap_or_default()) {
            Ok(opts) => official::send::run(&opts),
            Err(msg) => usage_error(&msg),
        },
        Some("subscribe") => {
            match official::subscribe::Options::parse(args.get(1..).unwrap_or_default()) {
                Ok(opts) => official::subscribe::run(&opts),
                Err(msg) => usage_error(&msg),
            }
        }
        Some("-h" | "--help" | "help") => {
            print::text(false, USAGE);
            ExitCode::SUCCESS
        }
        Some("-V" | "--version") => {
            let _ = print::out(&format!("kickwire {}", env!("CARGO_PKG_VERSION")));
            ExitCode::SUCCESS
        }
        Some(other) => usage_error(&format!("unknown command '{other}'")),
        None => usage_error("no command given"),
    }
}

fn usage_error(msg: &str) -> ExitCode {
    print::err(&format!("kickwire: {msg}"));
    print::err("");
    print::text(true, USAGE);
    ExitCode::from(2)
}
