// Peer: Socket.IO, the same workload; clients connect to /socket.io/?EIO=4&transport=websocket.
// Usage: node socketio-server.js PORT RATE BYTES. A new client gets the latest update at once, as
// wsproducer sends its snapshot. Answers "heap" on standard input with its used heap after a full
// GC, in KB (run with --expose-gc).
'use strict';
const { Server } = require('socket.io');
const [port, rate, bytes] = process.argv.slice(2).map(Number);
const pad = 'x'.repeat(Math.max(0, bytes - '{"n":1000000,"ts":1000000000000000,"pad":""}'.length));
const io = new Server({ transports: ['websocket'], perMessageDeflate: false, serveClient: false });
const interval = rate > 0 ? BigInt(Math.round(1e9 / rate)) : 0n;
let n = 0;
let latest = null;
let next = process.hrtime.bigint();
// One update per turn of the event loop: a loop that caught up on missed updates without yielding
// would never let the sockets drain.
function tick() {
  if (process.hrtime.bigint() >= next) {
    latest = { n: ++n, ts: Number(process.hrtime.bigint()), pad };
    io.emit('load', latest);
    next += interval;
  }
  if (process.hrtime.bigint() >= next) setImmediate(tick);
  else setTimeout(tick, 1);
}
io.on('connection', (socket) => latest && socket.emit('load', latest));
io.listen(port);
console.log('listening on ' + port);
if (rate > 0) tick(); // rate 0: idle connections
require('readline').createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'heap') {
    global.gc();
    console.log('heap ' + process.memoryUsage().heapUsed / 1024);
  }
});
