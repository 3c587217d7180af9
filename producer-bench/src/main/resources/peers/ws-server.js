// Peer: Node's `ws`, the same workload as the bench server. Usage: node ws-server.js PORT RATE BYTES
// A new client gets the latest update at once, as wsproducer sends its snapshot. Answers "heap" on
// standard input with its used heap after a full GC, in KB (run with --expose-gc).
'use strict';
const { WebSocketServer } = require('ws');
const [port, rate, bytes] = process.argv.slice(2).map(Number);
const pad = 'x'.repeat(Math.max(0, bytes - '{"n":1000000,"ts":1000000000000000,"pad":""}'.length));
const wss = new WebSocketServer({ host: '127.0.0.1', port, path: '/load', perMessageDeflate: false });
const interval = rate > 0 ? BigInt(Math.round(1e9 / rate)) : 0n;
let n = 0;
let latest = null;
let next = process.hrtime.bigint();
// One update per turn of the event loop: a loop that caught up on missed updates without yielding
// would never let the sockets drain.
function tick() {
  if (process.hrtime.bigint() >= next) {
    latest = `{"n":${++n},"ts":${process.hrtime.bigint()},"pad":"${pad}"}`;
    for (const c of wss.clients) if (c.readyState === 1) c.send(latest);
    next += interval;
  }
  if (process.hrtime.bigint() >= next) setImmediate(tick);
  else setTimeout(tick, 1);
}
wss.on('connection', (ws) => {
  ws.on('error', () => {}); // a client that vanishes is simply gone
  if (latest) ws.send(latest);
});
wss.on('listening', () => {
  console.log('listening on ' + port);
  if (rate > 0) tick(); // rate 0: idle connections
});
require('readline').createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'heap') {
    global.gc();
    console.log('heap ' + process.memoryUsage().heapUsed / 1024);
  }
});
