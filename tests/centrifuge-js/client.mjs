// A thin driver of the official Centrifugo JavaScript client (npm `centrifuge`, pinned in
// package.json) for tests/tests/centrifugo_server.rs: it connects to our test server, subscribes
// to one channel and prints one JSON line per event on stdout, so the Rust test can check what a
// real client makes of the server. All protocol work (connect, subscribe, pong, refresh,
// reconnect) is the library's own; this file only wires its events to stdout.
//
//   node client.mjs --url ws://127.0.0.1:PORT/connection/websocket --token T --channel C
//                   [--count N] [--timeout-ms MS] [--refresh-token T2 ...] [--origin O] [--debug]
//
// Exits 0 after N publications (N=0: never) or once the client is disconnected for good,
// 3 on timeout, 2 on bad arguments.

import { parseArgs } from 'node:util';
import { Centrifuge } from 'centrifuge';
import WebSocket from 'ws';

let opts;
try {
  opts = parseArgs({
    options: {
      url: { type: 'string' },
      token: { type: 'string', default: '' },
      channel: { type: 'string' },
      count: { type: 'string', default: '0' },
      'timeout-ms': { type: 'string', default: '20000' },
      'refresh-token': { type: 'string', multiple: true, default: [] },
      origin: { type: 'string' },
      debug: { type: 'boolean', default: false },
    },
    strict: true,
  }).values;
} catch (e) {
  console.error(String(e));
  process.exit(2);
}
if (!opts.url || !opts.channel) {
  console.error('--url and --channel are required');
  process.exit(2);
}

const started = Date.now();
// stdout carries only our JSON lines: the library's debug output (console.debug) goes to stderr.
console.debug = (...args) => console.error(...args);
function out(event, fields = {}) {
  process.stdout.write(JSON.stringify({ t: Date.now() - started, event, ...fields }) + '\n');
}

// Node 20 has no global WebSocket; `ws` is the implementation the library documents for node.
// A subclass adds an Origin header when asked (the library passes no options of its own).
let WebSocketImpl = WebSocket;
if (opts.origin) {
  const origin = opts.origin;
  WebSocketImpl = class extends WebSocket {
    constructor(url, protocols) {
      super(url, protocols, { headers: { Origin: origin } });
    }
  };
}

// Tokens handed out by getToken, in order: the library calls it for a refresh when the connect
// reply's ttl runs out, and before reconnecting after error 109 "token expired".
const refreshTokens = [...opts['refresh-token']];
const client = new Centrifuge(opts.url, {
  websocket: WebSocketImpl,
  token: opts.token,
  debug: opts.debug,
  getToken: async () => {
    const token = refreshTokens.length > 0 ? refreshTokens.shift() : '';
    out('getToken', { token });
    return token;
  },
});

const wanted = Number(opts.count);
let publications = 0;
let finishing = false;

function finish(code) {
  if (finishing) return;
  finishing = true;
  out('exit', { code });
  client.disconnect();
  // Let the Close frame and stdout drain before exiting.
  setTimeout(() => process.exit(code), 100);
}

client.on('state', (ctx) => out('state', { old: ctx.oldState, new: ctx.newState }));
client.on('connecting', (ctx) => out('connecting', { code: ctx.code, reason: ctx.reason }));
client.on('connected', (ctx) => out('connected', { client: ctx.client, transport: ctx.transport }));
client.on('disconnected', (ctx) => {
  out('disconnected', { code: ctx.code, reason: ctx.reason });
  // code 0 is our own disconnect() in finish(); anything else is final for this client.
  if (!finishing) finish(0);
});
client.on('error', (ctx) => out('error', { type: ctx.type, error: ctx.error }));

const sub = client.newSubscription(opts.channel);
sub.on('subscribing', (ctx) => out('subscribing', { channel: ctx.channel, code: ctx.code, reason: ctx.reason }));
sub.on('subscribed', (ctx) => out('subscribed', { channel: ctx.channel }));
sub.on('unsubscribed', (ctx) => out('unsubscribed', { channel: ctx.channel, code: ctx.code, reason: ctx.reason }));
sub.on('error', (ctx) => out('sub_error', { channel: ctx.channel, type: ctx.type, error: ctx.error }));
sub.on('publication', (ctx) => {
  publications += 1;
  out('publication', { channel: ctx.channel, data: ctx.data });
  if (wanted > 0 && publications >= wanted) finish(0);
});

setTimeout(() => {
  out('timeout', { publications });
  finish(3);
}, Number(opts['timeout-ms']));

sub.subscribe();
client.connect();
