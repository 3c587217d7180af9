// Unit tests of the browser client's logic, run with Node's built-in test runner
// (node --test), by ClientScriptTest during the build.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const path = require('node:path');
const wsproducer = require(path.join(__dirname, '../../../../producer-core/src/main/resources/META-INF/resources/wsproducer/wsproducer.js'));

// Timers that run only when the test advances the clock.
function fakeTime() {
  let now = 0;
  let timers = [];
  let nextId = 1;
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const id = nextId++;
      timers.push({ id, at: now + ms, fn });
      return id;
    },
    clearTimeout(id) {
      timers = timers.filter((t) => t.id !== id);
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        timers.sort((a, b) => a.at - b.at);
        const due = timers[0];
        if (!due || due.at > end) break;
        timers.shift();
        now = due.at;
        due.fn();
      }
      now = end;
    },
    pending: () => timers.map((t) => t.at - now)
  };
}

// A WebSocket double: records what the client sends; the test plays the server.
function fakeSockets() {
  const sockets = [];
  function FakeWebSocket(url, protocol) {
    this.url = url;
    this.protocol = protocol;
    this.readyState = 0;
    this.sent = [];
    sockets.push(this);
  }
  FakeWebSocket.prototype.send = function (text) {
    this.sent.push(JSON.parse(text));
  };
  FakeWebSocket.prototype.close = function () {
    this.readyState = 3;
  };
  FakeWebSocket.prototype.serverOpens = function () {
    this.readyState = 1;
    this.onopen();
  };
  FakeWebSocket.prototype.serverSends = function (msg) {
    this.onmessage({ data: JSON.stringify(msg) });
  };
  FakeWebSocket.prototype.serverCloses = function (code, reason) {
    this.readyState = 3;
    this.onclose({ code, reason: reason || '' });
  };
  return { FakeWebSocket, sockets, last: () => sockets[sockets.length - 1] };
}

const HELLO = {
  type: 'hello',
  server: 'wsproducer/test',
  topics: [
    { name: 'random', state: 'latest' },
    { name: 'streams', state: 'keyed' },
    { name: 'events', state: 'window' }
  ]
};

function setup(extra) {
  const time = fakeTime();
  const net = fakeSockets();
  const states = [];
  const client = wsproducer.connect(
    'ws://server/',
    Object.assign(
      {
        WebSocket: net.FakeWebSocket,
        setTimeout: time.setTimeout,
        clearTimeout: time.clearTimeout,
        now: time.now,
        random: () => 0.5,
        onState: (s) => states.push(s)
      },
      extra
    )
  );
  return { time, net, client, states };
}

test('backoff stays within full-jitter bounds and the 20 s cap', () => {
  for (let attempt = 0; attempt < 12; attempt++) {
    const bound = Math.min(20000, 500 * Math.pow(2, attempt));
    assert.strictEqual(wsproducer.backoff(attempt, () => 0, 500, 20000), 0);
    const high = wsproducer.backoff(attempt, () => 0.999999, 500, 20000);
    assert.ok(high < bound && high >= bound * 0.99, `attempt ${attempt}: ${high} vs ${bound}`);
  }
  assert.strictEqual(wsproducer.backoff(30, () => 0.5, 500, 20000), 10000);
});

test('the restart hint is read from a 1012 close reason', () => {
  assert.strictEqual(wsproducer.restartHint('restart, reconnect in 2345 ms'), 2345);
  assert.strictEqual(wsproducer.restartHint('going away'), -1);
  assert.strictEqual(wsproducer.restartHint(undefined), -1);
});

test('keyed and window values fold like the server states', () => {
  assert.deepStrictEqual(wsproducer.fold('keyed', { a: 1, b: 2 }, { b: 3, a: null, c: 4 }), { b: 3, c: 4 });
  assert.deepStrictEqual(wsproducer.fold('window', [1, 2, 3], 4, 3), [2, 3, 4]);
  assert.deepStrictEqual(wsproducer.fold('latest', { v: 1 }, { v: 2 }), { v: 2 });
});

test('a topic tracks its resume position and refuses a gap', () => {
  const values = [];
  const t = new wsproducer.Topic('random', 50);
  t.listeners.push({ onValue: (v) => values.push(v) });
  assert.strictEqual(t.since(), undefined);
  assert.ok(t.apply({ type: 'snapshot', epoch: 7, seq: 4, data: { variable: 10 } }, 1));
  assert.ok(t.apply({ type: 'update', epoch: 7, seq: 5, data: { variable: 12 } }, 2));
  assert.deepStrictEqual(t.since(), { epoch: 7, seq: 5 });
  assert.strictEqual(t.apply({ type: 'update', epoch: 7, seq: 7, data: { variable: 30 } }, 3), false);
  assert.strictEqual(t.apply({ type: 'update', epoch: 8, seq: 6, data: { variable: 30 } }, 3), false);
  assert.deepStrictEqual(t.since(), { epoch: 7, seq: 5 }, 'a refused update does not move the position');
  assert.deepStrictEqual(values, [{ variable: 10 }, { variable: 12 }]);
  assert.strictEqual(t.receivedAt, 2);
});

test('subscribes after hello and resumes from the last position after a reconnect', () => {
  const { time, net, client } = setup();
  const seen = [];
  client.subscribe('random', (v, m) => seen.push([m.type, m.seq, v.variable]));
  const first = net.last();
  assert.strictEqual(first.protocol, 'wsproducer.v1');
  first.serverOpens();
  first.serverSends(HELLO);
  assert.deepStrictEqual(first.sent, [{ type: 'subscribe', topic: 'random' }]);
  first.serverSends({ type: 'snapshot', topic: 'random', epoch: 1, seq: 3, ts: 0, data: { variable: 9 } });
  first.serverSends({ type: 'update', topic: 'random', epoch: 1, seq: 4, ts: 0, data: { variable: 11 } });

  first.serverCloses(1006);
  assert.strictEqual(client.state, 'reconnecting');
  assert.deepStrictEqual(time.pending(), [250], 'first retry: random 0.5 of 500 ms');
  time.advance(250);
  const second = net.last();
  assert.notStrictEqual(second, first);
  second.serverOpens();
  second.serverSends(HELLO);
  assert.deepStrictEqual(second.sent, [{ type: 'subscribe', topic: 'random', since: { epoch: 1, seq: 4 } }]);
  second.serverSends({ type: 'update', topic: 'random', epoch: 1, seq: 5, ts: 0, data: { variable: 15 } });
  assert.deepStrictEqual(seen, [['snapshot', 3, 9], ['update', 4, 11], ['update', 5, 15]]);
  assert.strictEqual(client.state, 'open');
});

test('a gap asks for a fresh snapshot', () => {
  const { net, client } = setup();
  client.subscribe('random', () => {});
  const s = net.last();
  s.serverOpens();
  s.serverSends(HELLO);
  s.serverSends({ type: 'snapshot', topic: 'random', epoch: 1, seq: 1, data: { variable: 1 } });
  s.serverSends({ type: 'update', topic: 'random', epoch: 1, seq: 3, data: { variable: 5 } });
  assert.deepStrictEqual(s.sent[1], { type: 'subscribe', topic: 'random' });
});

test('retries back off exponentially with jitter and reset after a successful connection', () => {
  const { time, net } = setup({ random: () => 0.999 });
  const delays = [];
  for (let i = 0; i < 8; i++) {
    net.last().serverCloses(1006);
    delays.push(time.pending()[0]);
    time.advance(delays[i]);
  }
  assert.deepStrictEqual(delays, [499, 999, 1998, 3996, 7992, 15984, 19980, 19980]);
  net.last().serverOpens();
  net.last().serverSends(HELLO);
  net.last().serverCloses(1006);
  assert.deepStrictEqual(time.pending(), [499]);
});

test('a 1012 close waits exactly the server hint', () => {
  const { time, net } = setup();
  net.last().serverOpens();
  net.last().serverCloses(1012, 'restart, reconnect in 3210 ms');
  assert.deepStrictEqual(time.pending(), [3210]);
});

test('the watchdog reconnects when the server goes silent, and pings keep it fed', () => {
  const { time, net, client } = setup({ watchdog: 1000 });
  const first = net.last();
  first.serverOpens();
  first.serverSends(HELLO);
  time.advance(900);
  first.serverSends({ type: 'ping', ts: 0 });
  time.advance(900);
  assert.strictEqual(net.sockets.length, 1, 'a ping 900 ms in keeps the connection');
  time.advance(100);
  assert.strictEqual(client.state, 'reconnecting');
  assert.strictEqual(first.readyState, 3, 'the silent socket is closed');
  time.advance(250);
  assert.strictEqual(net.sockets.length, 2);
});

test('freshness follows status messages', () => {
  const { time, net, client } = setup();
  const statuses = [];
  client.subscribe('streams', () => {}, (s) => statuses.push(s));
  const s = net.last();
  s.serverOpens();
  s.serverSends(HELLO);
  time.advance(10);
  s.serverSends({ type: 'snapshot', topic: 'streams', epoch: 1, seq: 1, data: { orders: { n: 1 } } });
  s.serverSends({ type: 'status', topic: 'streams', stale: false, error: 'database unreachable', ts: 5 });
  assert.deepStrictEqual(client.freshness('streams'), { stale: false, error: 'database unreachable', ts: 5, receivedAt: 10, seq: 1 });
  s.serverSends({ type: 'status', topic: 'streams', stale: false, ts: 6 });
  assert.strictEqual(client.freshness('streams').error, null);
  assert.strictEqual(statuses.length, 2);
});

test('the server\'s clock is learnt from pings and updates, and forgotten on a new connection', () => {
  const { time, net, client } = setup();
  client.subscribe('random', () => {});
  const s = net.last();
  s.serverOpens();
  s.serverSends(HELLO);
  time.advance(1000);
  assert.strictEqual(client.serverNow(), 1000, 'nothing learnt yet: our own clock');
  s.serverSends({ type: 'ping', ts: 61000 }); // the server's clock is a minute ahead
  assert.strictEqual(client.serverNow(), 61000);
  s.serverSends({ type: 'snapshot', topic: 'random', epoch: 1, seq: 1, data: 1 });
  s.serverSends({ type: 'update', topic: 'random', epoch: 1, seq: 2, ts: 30000, data: 2 });
  assert.strictEqual(client.serverNow(), 61000, 'an old update does not pull the clock back');
  s.serverSends({ type: 'update', topic: 'random', epoch: 1, seq: 3, ts: 62000, data: 3 });
  assert.strictEqual(client.serverNow(), 62000);
  time.advance(500);
  assert.strictEqual(client.serverNow(), 62500);
  s.serverSends(HELLO);
  assert.strictEqual(client.serverNow(), 1500, 'perhaps another server');
});

test('history asks once the connection is open, again after a reconnect, and resolves by id', async () => {
  const { time, net, client } = setup();
  const chart = client.history('random', { since: 1000, points: 300 });
  const s = net.last();
  s.serverOpens();
  assert.deepStrictEqual(s.sent, [], 'nothing before hello');
  s.serverSends(HELLO);
  assert.deepStrictEqual(s.sent, [{ type: 'history', topic: 'random', since: 1000, points: 300, id: 'h1' }]);
  s.serverCloses(1006);
  time.advance(60000);
  const again = net.last();
  again.serverOpens();
  again.serverSends(HELLO);
  assert.strictEqual(again.sent[0].id, 'h1', 'asked again on the new connection');
  const answer = { type: 'history', topic: 'random', id: 'h1', since: 1000, until: 9000, downsampled: false, updates: [{ epoch: 1, seq: 1, ts: 2000, data: 5 }] };
  again.serverSends(answer);
  assert.deepStrictEqual(await chart, answer);
});

test('history rejects with the server\'s error for its topic, or when no answer comes', async () => {
  const { time, net, client } = setup();
  const s = net.last();
  s.serverOpens();
  s.serverSends(HELLO);
  const secret = client.history('secret', { since: 0 });
  const silent = client.history('random', { since: 0 });
  s.serverSends({ type: 'error', code: 'forbidden', topic: 'secret', message: 'not allowed' });
  await assert.rejects(secret, (e) => e.code === 'forbidden');
  time.advance(45000);
  await assert.rejects(silent, (e) => e.code === 'timeout');
});

test('close stops reconnecting', () => {
  const { time, net, client } = setup();
  net.last().serverOpens();
  client.close();
  assert.strictEqual(client.state, 'closed');
  assert.deepStrictEqual(time.pending(), []);
  time.advance(60000);
  assert.strictEqual(net.sockets.length, 1);
});

// The server's side of a keyed or window topic: each update carries the state's checksum.
function serverTopic(kind, size) {
  let value = kind === 'keyed' ? {} : [];
  let seq = 0;
  return {
    snapshot: (topic) => ({ type: 'snapshot', topic, epoch: 1, seq, data: JSON.parse(JSON.stringify(value)) }),
    update(topic, data) {
      value = wsproducer.fold(kind, value, data, size);
      seq++;
      return { type: 'update', topic, epoch: 1, seq, data, sum: wsproducer.checksum(kind, value) };
    }
  };
}

test('a second subscribe adds a handler with the current value, and each removes only itself', () => {
  const { net, client } = setup();
  const first = [];
  const second = [];
  const unsubscribeFirst = client.subscribe('random', (v) => first.push(v.variable));
  const s = net.last();
  s.serverOpens();
  s.serverSends(HELLO);
  s.serverSends({ type: 'snapshot', topic: 'random', epoch: 1, seq: 1, data: { variable: 1 } });
  const unsubscribeSecond = client.subscribe('random', (v) => second.push(v.variable));
  assert.deepStrictEqual(second, [1], 'a later handler gets the current value at once');
  s.serverSends({ type: 'update', topic: 'random', epoch: 1, seq: 2, data: { variable: 2 } });
  unsubscribeFirst();
  unsubscribeFirst();
  s.serverSends({ type: 'update', topic: 'random', epoch: 1, seq: 3, data: { variable: 3 } });
  assert.deepStrictEqual(first, [1, 2]);
  assert.deepStrictEqual(second, [1, 2, 3]);
  assert.deepStrictEqual(s.sent, [{ type: 'subscribe', topic: 'random' }], 'one subscribe, no unsubscribe yet');
  unsubscribeSecond();
  assert.deepStrictEqual(s.sent[1], { type: 'unsubscribe', topic: 'random' });
});

test('a gap asks for one snapshot, not one per update that follows it', () => {
  const { net, client } = setup();
  client.subscribe('random', () => {});
  const s = net.last();
  s.serverOpens();
  s.serverSends(HELLO);
  s.serverSends({ type: 'snapshot', topic: 'random', epoch: 1, seq: 1, data: { variable: 1 } });
  for (let seq = 3; seq < 10; seq++) {
    s.serverSends({ type: 'update', topic: 'random', epoch: 1, seq, data: { variable: seq } });
  }
  assert.strictEqual(s.sent.filter((m) => m.type === 'subscribe').length, 2);
  s.serverSends({ type: 'snapshot', topic: 'random', epoch: 1, seq: 9, data: { variable: 9 } });
  s.serverSends({ type: 'update', topic: 'random', epoch: 1, seq: 11, data: { variable: 11 } });
  assert.strictEqual(s.sent.filter((m) => m.type === 'subscribe').length, 3, 'a new gap after the snapshot');
});

test('a window topic keeps as many events as hello says, whatever the option', () => {
  const { net, client } = setup({ window: 50 });
  let events;
  client.subscribe('events', (v) => (events = v));
  const s = net.last();
  s.serverOpens();
  s.serverSends({ type: 'hello', server: 'x', topics: [{ name: 'events', state: 'window', size: 3 }] });
  s.serverSends({ type: 'snapshot', topic: 'events', epoch: 1, seq: 0, data: [] });
  for (let seq = 1; seq <= 5; seq++) {
    s.serverSends({ type: 'update', topic: 'events', epoch: 1, seq, data: seq });
  }
  assert.deepStrictEqual(events, [3, 4, 5]);
});

test('close removes the listeners it added to the page', () => {
  const added = new Map();
  const page = {
    addEventListener: (type, fn) => added.set(type, fn),
    removeEventListener: (type, fn) => added.get(type) === fn && added.delete(type),
    document: {
      hidden: false,
      addEventListener: (type, fn) => added.set(type, fn),
      removeEventListener: (type, fn) => added.get(type) === fn && added.delete(type)
    }
  };
  global.window = page;
  try {
    const { client } = setup();
    assert.deepStrictEqual([...added.keys()].sort(), ['online', 'visibilitychange']);
    client.close();
    assert.strictEqual(added.size, 0);
  } finally {
    delete global.window;
  }
});

test('a frame that is not JSON is reported, and the next one is handled', () => {
  const errors = [];
  const { net, client } = setup({ onError: (e) => errors.push(e) });
  const s = net.last();
  s.serverOpens();
  s.onmessage({ data: '{"type":"hel' });
  assert.strictEqual(errors.length, 1);
  assert.strictEqual(errors[0].code, 'malformed-frame');
  assert.match(errors[0].message, /not JSON: \{"type":"hel/);
  s.serverSends(HELLO);
  assert.strictEqual(client.state, 'open');
});

test('a state changed behind the client heals at the next update, with one snapshot', () => {
  const { net, client } = setup();
  const server = serverTopic('keyed');
  let shown;
  client.subscribe('streams', (v) => (shown = v));
  const s = net.last();
  s.serverOpens();
  s.serverSends(HELLO);
  server.update('streams', { orders: 1, users: 2 });
  s.serverSends(server.snapshot('streams'));
  s.serverSends(server.update('streams', { orders: 3 }));
  assert.deepStrictEqual(shown, { orders: 3, users: 2 });
  shown.users = 99; // a page script writes into the value it was given
  s.serverSends(server.update('streams', { orders: 4 }));
  assert.deepStrictEqual(s.sent.slice(-1), [{ type: 'subscribe', topic: 'streams' }], 'asks for a snapshot');
  assert.deepStrictEqual(shown, { orders: 3, users: 99 }, 'the wrong state is not shown again');
  s.serverSends(server.update('streams', { orders: 5 }));
  s.serverSends(server.snapshot('streams'));
  assert.deepStrictEqual(shown, { orders: 5, users: 2 });
  s.serverSends(server.update('streams', { users: 3 }));
  assert.deepStrictEqual(shown, { orders: 5, users: 3 });
  assert.strictEqual(s.sent.filter((m) => m.type === 'subscribe').length, 2);
});

test('sums that keep differing are reported once and no longer checked', () => {
  const errors = [];
  const { net, client } = setup({ onError: (e) => errors.push(e) });
  const values = [];
  client.subscribe('events', (v) => values.push(v.length));
  const s = net.last();
  s.serverOpens();
  s.serverSends(HELLO);
  s.serverSends({ type: 'snapshot', topic: 'events', epoch: 1, seq: 0, data: [] });
  s.serverSends({ type: 'update', topic: 'events', epoch: 1, seq: 1, data: 'a', sum: 1 });
  s.serverSends({ type: 'snapshot', topic: 'events', epoch: 1, seq: 1, data: ['a'] });
  s.serverSends({ type: 'update', topic: 'events', epoch: 1, seq: 2, data: 'b', sum: 2 });
  s.serverSends({ type: 'update', topic: 'events', epoch: 1, seq: 3, data: 'c', sum: 3 });
  assert.deepStrictEqual(values, [0, 1, 2, 3]);
  assert.strictEqual(s.sent.filter((m) => m.type === 'subscribe').length, 2);
  assert.deepStrictEqual(errors.map((e) => [e.code, e.topic]), [['checksum', 'events']]);
});
