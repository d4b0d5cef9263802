// pusher-js, the reference Pusher client, pointed at a kickwire endpoint.
// Usage: node client.js PORT CHANNEL
// Prints one JSON line per happening: {"type":"state"|"subscribed"|"event"|"error", ...}.
// Exits when its stdin closes (the Rust test holds it open while it runs).
'use strict';
const Pusher = require('pusher-js');

const [port, channel] = process.argv.slice(2);
const out = (record) => process.stdout.write(JSON.stringify(record) + '\n');

const pusher = new Pusher('any-key', {
  cluster: 'unused', // wsHost wins; pusher-js still wants one
  wsHost: '127.0.0.1',
  wsPort: Number(port),
  forceTLS: false,
  enabledTransports: ['ws'],
  disableStats: true,
});
pusher.connection.bind('state_change', (s) => out({ type: 'state', current: s.current }));
pusher.connection.bind('connected', () => out({ type: 'connected', socket_id: pusher.connection.socket_id }));
pusher.connection.bind('error', (e) => out({ type: 'error', error: String(e && e.error ? JSON.stringify(e.error) : e) }));
const subscription = pusher.subscribe(channel);
subscription.bind('pusher:subscription_succeeded', () => out({ type: 'subscribed', channel }));
subscription.bind_global((event, data) => {
  if (!event.startsWith('pusher:')) out({ type: 'event', event, data });
});
process.stdin.on('end', () => {
  pusher.disconnect();
  process.exit(0);
});
process.stdin.resume();
