// Peer: Socket.IO, the same workload; clients connect to /socket.io/?EIO=4&transport=websocket.
// Usage: node socketio-server.js PORT RATE BYTES
'use strict';
const { Server } = require('socket.io');
const [port, rate, bytes] = process.argv.slice(2).map(Number);
const pad = 'x'.repeat(Math.max(0, bytes - '{"n":1000000,"ts":1000000000000000,"pad":""}'.length));
const io = new Server({ transports: ['websocket'], perMessageDeflate: false, serveClient: false });
const interval = rate > 0 ? BigInt(Math.round(1e9 / rate)) : 0n;
let n = 0;
let next = process.hrtime.bigint();
function tick() {
  while (process.hrtime.bigint() >= next) {
    io.emit('load', { n: ++n, ts: Number(process.hrtime.bigint()), pad });
    next += interval;
  }
  setTimeout(tick, 1);
}
io.listen(port);
console.log('listening on ' + port);
if (rate > 0) tick(); // rate 0: idle connections
