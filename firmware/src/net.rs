//! The network loop: `kickwire_link::Link` (the WebSocket layer, driving the proto
//! `Connection`) decides when to open a socket, what to write and when to give up and back
//! off; this task carries out its [`Action`]s with embassy-net (DHCP, DNS, TCP, and TLS for
//! `wss://` through [`crate::transport`]) and turns Kick events into board alerts through the
//! board's alert machine ([`Machine`]: Kick's copies of one happening merged, a gift's chunks
//! joined into one burst).
//!
//! Every failure -- no Wi-Fi, no DHCP lease, a DNS failure, a refused or reset TCP connection,
//! a server restart -- ends the current attempt and is reported to the link
//! (`handle_connect_failed` / `handle_closed`); the connection's back-off (with jitter)
//! schedules the next [`Action::Connect`]. The loop itself never ends.

use embassy_net::dns::DnsQueryType;
use embassy_net::tcp::TcpSocket;
use embassy_net::{IpAddress, Runner, Stack};
use embassy_time::{Duration, Instant as Clock, Timer, with_timeout};
use esp_hal::rng::Rng;
use esp_radio::wifi::Interface;
use kickwire_board::Machine;
use kickwire_board::link::{Action, Buffers, Config as LinkConfig};
// The connection's capacities (Pusher only, six channels) live there too.
use kickwire_board::memory::{Connection, Link};
use kickwire_proto::JsonEvent;
use kickwire_proto::Transport;
use kickwire_proto::conn::{Config, Event, Instant, State};
use kickwire_proto::kick::channels::{ChannelKind, Ids};
use static_cell::{ConstStaticCell, StaticCell};

use crate::transport::{self, Stream, TlsMemory};
use crate::{bus, config};

/// Time allowed for the DHCP lease (when the link is up), DNS and the TCP connect together;
/// the link's own upgrade timer covers the HTTP upgrade after that.
const OPEN_TIMEOUT: Duration = Duration::from_secs(20);
// The TCP and link buffer sizes live in kickwire-board, where the simulator runs with them
// and tests/qemu-rv measures them (the MEMORY line).
use kickwire_board::memory::{LINK_MESSAGE, LINK_RX, LINK_TX, TCP_RX, TCP_TX};
/// A silent TCP connection is declared dead after this (Pusher pings every 120 s at most).
const TCP_TIMEOUT: Duration = Duration::from_secs(180);
/// The longest host name DNS allows (build.rs checks the configured one against it).
const MAX_HOST: usize = 253;

/// All zeros, so it lands in `.bss` (a non-zero initial value would put a copy in flash too).
struct Memory {
    tcp_rx: [u8; TCP_RX],
    tcp_tx: [u8; TCP_TX],
    rx: [u8; LINK_RX],
    message: [u8; LINK_MESSAGE],
    tx: [u8; LINK_TX],
}

static MEMORY: ConstStaticCell<Memory> = ConstStaticCell::new(Memory {
    tcp_rx: [0; TCP_RX],
    tcp_tx: [0; TCP_TX],
    rx: [0; LINK_RX],
    message: [0; LINK_MESSAGE],
    tx: [0; LINK_TX],
});

/// The TLS session's record buffers (empty without the `tls` feature).
static TLS_MEMORY: ConstStaticCell<TlsMemory> = ConstStaticCell::new(TlsMemory::new());

/// The link and its connection (about 10 KB with the event slot), set up at run time.
static LINK: StaticCell<Link<'static, Rng>> = StaticCell::new();

/// The alert machine (its size is in `tests/qemu-rv`'s `MEMORY` line), kept across
/// connections: a gift's chunks may straddle a reconnect.
static MACHINE: StaticCell<Machine> = StaticCell::new();

/// embassy-net's runner: moves packets between the Wi-Fi driver and the IP stack.
#[embassy_executor::task]
pub async fn stack_task(mut runner: Runner<'static, Interface>) -> ! {
    runner.run().await
}

fn now() -> Instant {
    Instant::from_millis(Clock::now().as_millis())
}

/// What to tell the link after carrying out an action (the action borrows the link, so the
/// answer waits until it is done).
enum Outcome {
    Nothing,
    ConnectFailed(&'static str),
    Lost(&'static str),
}

/// Runs the connection forever.
#[embassy_executor::task]
pub async fn net_task(stack: Stack<'static>, rng: Rng) -> ! {
    if !config::server_reachable() {
        defmt::error!(
            "net: {=str} needs TLS and this build has none; not connecting (see README)",
            config::SERVER_URL
        );
        park().await;
    }
    if config::TLS && config::TLS_BUILT {
        if config::TLS_INSECURE {
            defmt::warn!(
                "net: TLS WITHOUT SERVER AUTHENTICATION (feature tls-insecure, no \
                 KICKWIRE_TLS_PIN): {=str} is encrypted, but anyone on the way can pose as it; \
                 see README \"TLS\"",
                config::SERVER_URL
            );
        } else if config::TLS_PINS.is_empty() {
            defmt::error!(
                "net: no KICKWIRE_TLS_PIN built in: {=str} will be refused (see README \"TLS\")",
                config::SERVER_URL
            );
        } else {
            defmt::info!(
                "net: {=str} must show a pinned key ({} pins)",
                config::SERVER_URL,
                config::TLS_PINS.len()
            );
        }
    }
    let seed = (u64::from(rng.random()) << 32) | u64::from(rng.random());
    let conn = match Connection::with_capacities(
        Transport::Pusher,
        config::SERVER_URL,
        Config {
            rng_seed: seed,
            ..Config::default()
        },
    ) {
        Ok(conn) => conn,
        Err(e) => {
            defmt::error!("net: bad server URL: {}", e);
            park().await
        }
    };
    let Memory {
        tcp_rx,
        tcp_tx,
        rx,
        message,
        tx,
    } = MEMORY.take();
    let buffers = Buffers { rx, message, tx };
    let link = match Link::new(conn, rng, buffers, LinkConfig::default()) {
        Ok(link) => LINK.init(link),
        Err(e) => {
            defmt::error!("net: {}", e);
            park().await
        }
    };
    let machine = MACHINE.init(Machine::new());
    subscribe(link.connection_mut());
    link.connection_mut().connect(now());

    // One socket, reused: after a close it is aborted and connects again. The stream (the
    // socket itself, or a TLS session over it) lives for one connection.
    let mut socket = TcpSocket::new(stack, tcp_rx, tcp_tx);
    socket.set_timeout(Some(TCP_TIMEOUT));
    socket.set_keep_alive(Some(Duration::from_secs(60)));
    let tls_memory = TLS_MEMORY.take();
    let mut next = drive(link, machine, None).await;
    loop {
        socket.abort();
        next = match next {
            Next::Closed => drive(link, machine, None).await,
            Next::Connect(target) => {
                match with_timeout(
                    OPEN_TIMEOUT,
                    open(stack, &mut socket, &mut *tls_memory, &target),
                )
                .await
                {
                    Ok(Ok(mut stream)) => {
                        link.handle_connected(now());
                        drive(link, machine, Some(&mut stream)).await
                    }
                    Ok(Err(why)) => failed(link, machine, why).await,
                    Err(_) => failed(link, machine, "timed out connecting").await,
                }
            }
        };
    }
}

/// Where the link asked to connect, copied out of its action (which borrows the link).
struct Target {
    tls: bool,
    host: heapless::String<MAX_HOST>,
    port: u16,
}

/// Why [`drive`] handed back.
#[allow(clippy::large_enum_variant)] // returned by value, once per connection: no allocator
enum Next {
    /// The link asked for a new connection.
    Connect(Target),
    /// The connection is over (closed by either side or lost); the socket must be aborted.
    Closed,
}

/// Carries out the link's actions -- on `stream` when a connection is open -- and feeds it
/// bytes and timer ticks, and the alert machine its Kick events and timer, until the link asks
/// for a new connection or the open one ends.
async fn drive(
    link: &mut Link<'static, Rng>,
    machine: &mut Machine,
    mut stream: Option<&mut Stream<'_>>,
) -> Next {
    loop {
        // A gift whose wait for a missing chunk ended is shown with what came.
        machine.handle_timeout(now(), bus::send_alert);
        // The driving rule: poll until `None`, doing each action in order.
        loop {
            // JSON events: the machine reads what it needs of each, no typed event is kept.
            let on_kick = |event: &JsonEvent<'_>| {
                machine.handle_json(now(), event, bus::send_alert);
            };
            let Some(action) = link.poll(now(), on_kick) else {
                break;
            };
            let outcome = match action {
                Action::Connect(url) => match heapless::String::try_from(url.host) {
                    Ok(host) => {
                        return Next::Connect(Target {
                            tls: url.tls,
                            host,
                            port: url.port,
                        });
                    }
                    Err(_) => Outcome::ConnectFailed("host name too long"),
                },
                Action::Write(bytes) => match stream.as_mut() {
                    Some(stream) => match stream.write_all(bytes).await {
                        Ok(()) => Outcome::Nothing,
                        Err(()) => Outcome::Lost("write failed"),
                    },
                    None => Outcome::Lost("write without a connection"),
                },
                Action::Close => {
                    // Let the close frame out; the caller then drops the connection.
                    if let Some(stream) = stream.as_mut() {
                        stream.flush().await;
                    }
                    return Next::Closed;
                }
                Action::Event(event) => {
                    log_event(&event);
                    Outcome::Nothing
                }
            };
            match outcome {
                Outcome::Nothing => {}
                Outcome::ConnectFailed(why) => {
                    defmt::warn!("net: {=str}", why);
                    link.handle_connect_failed(now(), why);
                }
                Outcome::Lost(why) => return lost(link, why),
            }
        }

        // Sleep until bytes arrive (when a connection is open) or the next timer: the link's,
        // or the end of a gift's wait for its chunks (handled at the top of the loop).
        let wake = [link.poll_timeout(), machine.poll_timeout()]
            .into_iter()
            .flatten()
            .min()
            .map_or(Clock::MAX, |t| Clock::from_millis(t.as_millis()));
        match stream.as_mut() {
            Some(stream) => match stream.read(link.read_buf(), wake).await {
                Ok(Some(0)) => return lost(link, "closed by the server"),
                Ok(Some(n)) => link.handle_read(n),
                Ok(None) => link.handle_timeout(now()),
                Err(()) => return lost(link, "connection lost"),
            },
            None => {
                Timer::at(wake.min(Clock::now() + Duration::from_secs(60))).await;
                link.handle_timeout(now());
            }
        }
    }
}

/// The connection failed or ended: tell the link; the caller aborts the socket.
fn lost(link: &mut Link<'static, Rng>, why: &'static str) -> Next {
    defmt::warn!("net: socket closed: {=str}", why);
    bus::ONLINE.signal(false);
    link.handle_closed(now(), why);
    Next::Closed
}

/// Opening the connection failed: tell the link (it backs off) and carry on without one.
async fn failed(link: &mut Link<'static, Rng>, machine: &mut Machine, why: &'static str) -> Next {
    defmt::warn!("net: {=str}", why);
    link.handle_connect_failed(now(), why);
    drive(link, machine, None).await
}

/// DHCP, DNS, TCP and (for `wss://`) the TLS handshake.
async fn open<'s>(
    stack: Stack<'static>,
    socket: &'s mut TcpSocket<'static>,
    tls_memory: &'s mut TlsMemory,
    target: &Target,
) -> Result<Stream<'s>, &'static str> {
    connect(stack, socket, &target.host, target.port).await?;
    transport::open(socket, tls_memory, target.tls, &target.host).await
}

/// Subscribes the Kick channels of the configured chat: all six with both ids, the three
/// chatroom channels with the chatroom id only.
fn subscribe(conn: &mut Connection) {
    let Some(chatroom) = config::CHATROOM_ID else {
        defmt::warn!("net: no KICKWIRE_CHATROOM_ID: connecting without subscriptions");
        return;
    };
    let ids = Ids::new(chatroom, config::CHANNEL_ID.unwrap_or(0));
    for kind in ChannelKind::ALL {
        if !kind.uses_chatroom_id() && config::CHANNEL_ID.is_none() {
            continue;
        }
        let name = ids.channel(kind);
        if let Err(e) = conn.subscribe(name.as_str()) {
            defmt::error!("net: cannot subscribe {=str}: {}", name.as_str(), e);
        }
    }
}

fn log_event(event: &Event) {
    match event {
        Event::StateChanged { current, .. } => {
            defmt::info!("net: {}", current);
            bus::ONLINE.signal(*current == State::Connected);
        }
        Event::Subscribed { channel } => defmt::info!("net: subscribed {=str}", channel.as_str()),
        other => defmt::info!("net: {}", other),
    }
}

/// DHCP lease, DNS and the TCP connect.
async fn connect(
    stack: Stack<'static>,
    socket: &mut TcpSocket<'_>,
    host: &str,
    port: u16,
) -> Result<(), &'static str> {
    if !config::wifi_configured() {
        return Err("Wi-Fi not configured");
    }
    stack.wait_config_up().await;
    let address = match host.parse::<core::net::Ipv4Addr>() {
        Ok(ip) => IpAddress::Ipv4(ip),
        Err(_) => match stack.dns_query(host, DnsQueryType::A).await {
            Ok(addresses) => match addresses.first() {
                Some(a) => *a,
                None => return Err("DNS: no address"),
            },
            Err(e) => {
                defmt::warn!("net: DNS lookup of {=str} failed: {}", host, e);
                return Err("DNS lookup failed");
            }
        },
    };
    socket.connect((address, port)).await.map_err(|e| {
        defmt::warn!("net: TCP connect to {}:{} failed: {}", address, port, e);
        "TCP connect failed"
    })
}

/// Waits forever (a configuration that cannot work; the log says why).
async fn park() -> ! {
    loop {
        Timer::after(Duration::from_secs(3600)).await;
    }
}
