/*! wsproducer.js: browser client of the wsproducer protocol v1 (wsproducer.v1). No dependencies. */
(function (root, factory) {
  if (typeof module === 'object' && module.exports) module.exports = factory();
  else root.wsproducer = factory();
})(typeof self !== 'undefined' ? self : this, function () {
  'use strict';

  var PROTOCOL = 'wsproducer.v1';

  // Full jitter: a random delay in [0, min(cap, base * 2^attempt)).
  function backoff(attempt, random, base, cap) {
    return Math.floor(random() * Math.min(cap, base * Math.pow(2, attempt)));
  }

  // The server's reconnect hint in a 1012 close reason: "restart, reconnect in 2345 ms".
  function restartHint(reason) {
    var m = /reconnect in (\d+) ms/.exec(reason || '');
    return m ? Number(m[1]) : -1;
  }

  // Folds an update into a topic's value the way the server's state kind does.
  function fold(kind, value, data, windowSize) {
    if (kind === 'keyed') {
      var next = {};
      var k;
      for (k in value) next[k] = value[k];
      for (k in data) {
        if (data[k] === null) delete next[k];
        else next[k] = data[k];
      }
      return next;
    }
    if (kind === 'window') {
      var list = (value || []).concat([data]);
      return list.length > windowSize ? list.slice(list.length - windowSize) : list;
    }
    return data;
  }

  // The checksum that updates of keyed and window topics carry (docs/protocol.md, "Checksums"):
  // 32-bit FNV-1a over 16-bit units of a canonical form; objects and states sum their entries.
  var f64 = new DataView(new ArrayBuffer(8));
  function unit(h, u) {
    return Math.imul(h ^ u, 0x01000193) >>> 0;
  }
  function two(h, n) {
    return unit(unit(h, n >>> 16), n & 0xffff);
  }
  function hash(h, v) {
    var i;
    if (v === true || v === false) return unit(h, v ? 116 : 102);
    if (typeof v === 'number') {
      f64.setFloat64(0, v);
      h = unit(h, 100);
      for (i = 0; i < 8; i += 2) h = unit(h, f64.getUint16(i));
      return h;
    }
    if (typeof v === 'string') {
      h = two(unit(h, 115), v.length);
      for (i = 0; i < v.length; i++) h = unit(h, v.charCodeAt(i));
      return h;
    }
    if (Array.isArray(v)) {
      h = two(unit(h, 97), v.length);
      for (i = 0; i < v.length; i++) h = hash(h, v[i]);
      return h;
    }
    if (v && typeof v === 'object') return two(unit(h, 111), entries(v));
    return unit(h, 110); // null
  }
  function entries(object) {
    var sum = 0;
    for (var k in object) sum = (sum + hash(hash(0x811c9dc5, k), object[k])) >>> 0;
    return sum;
  }
  function checksum(kind, value) {
    if (kind === 'keyed') return entries(value || {});
    var sum = 0;
    (value || []).forEach(function (v) {
      sum = (sum + hash(0x811c9dc5, v)) >>> 0;
    });
    return sum;
  }

  // One subscribed topic: its resume position {epoch, seq}, its value, its freshness and the
  // handlers subscribed to it.
  function Topic(name, windowSize) {
    this.name = name;
    this.listeners = [];
    this.windowSize = windowSize;
    this.kind = 'latest';
    this.epoch = null;
    this.seq = null;
    this.value = undefined;
    this.status = { stale: false, error: null, ts: null };
    this.receivedAt = null;
    this.resyncing = false; // a snapshot was asked for: one request per gap
    this.mismatches = 0; // checksum mismatches since the last update that matched
  }

  // The position to resume from, or undefined before the first snapshot.
  Topic.prototype.since = function () {
    return this.epoch === null ? undefined : { epoch: this.epoch, seq: this.seq };
  };

  // Applies a snapshot, update or status. Returns false when an update does not follow on
  // from the last one (a gap), or the state it makes differs from the server's (its checksum):
  // the caller then asks for a fresh snapshot.
  Topic.prototype.apply = function (msg, now) {
    var status = this.status;
    if (msg.type === 'status') {
      status = this.status = { stale: !!msg.stale, error: msg.error || null, ts: msg.ts };
      this.listeners.forEach(function (l) {
        if (l.onStatus) l.onStatus(status, msg);
      });
      return true;
    }
    var value;
    if (msg.type === 'snapshot') {
      value = msg.data;
      this.resyncing = false;
      if (this.kind === 'window') this.windowSize = Math.max(this.windowSize, (value || []).length);
    } else if (msg.epoch === this.epoch && msg.seq === this.seq + 1) {
      value = fold(this.kind, this.value, msg.data, this.windowSize);
      if (msg.sum !== undefined && this.mismatches < 2) {
        // A state that differs from the server's starts over from a snapshot. Differing again
        // right after one, the sums cannot be trusted here: they are not checked any more.
        if (checksum(this.kind, value) === msg.sum) this.mismatches = 0;
        else if (++this.mismatches === 1) return false;
      }
    } else {
      return false;
    }
    this.value = value;
    this.epoch = msg.epoch;
    this.seq = msg.seq;
    this.receivedAt = now;
    this.listeners.forEach(function (l) {
      l.onValue(value, msg);
    });
    return true;
  };

  // Opens a connection that reconnects by itself until close() is called.
  // url: ws:// or wss:// URL of the server's root; by default the page's own server.
  // options: minDelay (500 ms), maxDelay (20 s), watchdog (45 s without any frame: reconnect),
  // window (50: events kept for a window topic when hello has no size), onState(state, client),
  // onHello(hello),
  // onError(error message); and for tests WebSocket, setTimeout, clearTimeout, now, random.
  function connect(url, options) {
    var o = options || {};
    var g = typeof window !== 'undefined' ? window : {};
    var WS = o.WebSocket || g.WebSocket;
    var setT = o.setTimeout || setTimeout;
    var clearT = o.clearTimeout || clearTimeout;
    var now = o.now || Date.now;
    var random = o.random || Math.random;
    var minDelay = o.minDelay || 500;
    var maxDelay = o.maxDelay || 20000;
    var watchdogMs = o.watchdog || 45000;
    if (!url) url = (g.location.protocol === 'https:' ? 'wss://' : 'ws://') + g.location.host + '/';

    var topics = {};
    var socket = null;
    var attempt = 0;
    var retryTimer = null;
    var watchdogTimer = null;
    var offset = null; // the server's clock minus ours, from the last ping and the updates
    var asked = {}; // history requests waiting for their answer, by id
    var asks = 0;
    var client = {
      state: 'connecting', // connecting | open | reconnecting | closed
      retryAt: null, // when the next attempt starts, while reconnecting
      hello: null,
      subscribe: subscribe,
      history: history,
      freshness: freshness,
      serverNow: serverNow,
      close: close
    };

    function setState(state) {
      client.state = state;
      if (o.onState) o.onState(state, client);
    }

    function send(msg) {
      if (socket && socket.readyState === 1) socket.send(JSON.stringify(msg));
    }

    function sendSubscribe(t, since) {
      send({ type: 'subscribe', topic: t.name, since: since });
    }

    function open() {
      retryTimer = null;
      client.retryAt = null;
      setState('connecting');
      var s = (socket = new WS(url, PROTOCOL));
      s.onopen = function () {
        attempt = 0;
        feedWatchdog();
      };
      s.onmessage = function (e) {
        feedWatchdog();
        var msg;
        try {
          msg = JSON.parse(e.data);
        } catch (x) {
          var text = String(e.data);
          return report('malformed-frame', null, 'a frame that is not JSON: ' + text.slice(0, 80));
        }
        handle(msg);
      };
      s.onclose = function (e) {
        if (socket !== s) return;
        socket = null;
        retry(e.code === 1012 ? restartHint(e.reason) : -1);
      };
    }

    // A problem on the client's side, reported as the server's error messages are.
    function report(code, topic, message) {
      if (o.onError) o.onError({ type: 'error', code: code, topic: topic, message: message });
    }

    // A topic's kind and window size, from hello.
    function describe(t) {
      t.kind = 'latest';
      (client.hello.topics || []).forEach(function (d) {
        if (d.name !== t.name) return;
        t.kind = d.state;
        if (d.size > 0) t.windowSize = d.size;
      });
    }

    function resync(t) {
      t.resyncing = true;
      sendSubscribe(t);
    }

    function handle(msg) {
      var t = topics[msg.topic];
      learnClock(msg);
      if (msg.type === 'hello') {
        client.hello = msg;
        setState('open');
        if (o.onHello) o.onHello(msg);
        for (var name in topics) {
          describe(topics[name]);
          topics[name].resyncing = false;
          sendSubscribe(topics[name], topics[name].since());
        }
        for (var id in asked) ask(id); // asked before, or on a connection now gone
      } else if (msg.type === 'history') {
        answer(msg.id, msg, null);
      } else if (msg.type === 'error') {
        for (var waiting in asked) {
          if (asked[waiting].msg.topic === msg.topic) answer(waiting, null, msg);
        }
        if (o.onError) o.onError(msg);
      } else if (t && !t.apply(msg, now())) {
        if (!t.resyncing) resync(t); // a gap or a wrong state: start over from a snapshot
      } else if (t && t.mismatches === 2) {
        t.mismatches = 3;
        report('checksum', t.name, 'the state differs from the server\'s again; not checked any more');
      }
    }

    function feedWatchdog() {
      clearT(watchdogTimer);
      watchdogTimer = setT(drop, watchdogMs);
    }

    // The server went silent: give up on this socket and connect anew.
    function drop() {
      var s = socket;
      if (!s) return;
      socket = null;
      s.onclose = s.onmessage = null;
      try {
        s.close();
      } catch (x) {
        // already closing
      }
      retry(-1);
    }

    function retry(hint) {
      clearT(watchdogTimer);
      for (var id in asked) clearT(asked[id].timer); // asked again on the next connection
      if (client.state === 'closed') return;
      var delay = hint >= 0 ? hint : backoff(attempt++, random, minDelay, maxDelay);
      client.retryAt = now() + delay;
      setState('reconnecting');
      retryTimer = setT(open, delay);
    }

    function reconnectNow() {
      if (client.state === 'reconnecting') {
        clearT(retryTimer);
        open();
      }
    }

    // subscribe(topic, onValue(value, message), onStatus(status, message)): value is the
    // topic's whole current value (a keyed topic's merged object, a window topic's list). A
    // topic may have several handlers; one that comes later gets the current value at once.
    // Returns a function that removes this handler.
    function subscribe(name, onValue, onStatus) {
      var t = topics[name];
      var listener = { onValue: onValue, onStatus: onStatus };
      if (!t) {
        t = topics[name] = new Topic(name, o.window || 50);
        if (client.hello) {
          describe(t);
          sendSubscribe(t);
        }
      } else if (t.epoch !== null) {
        onValue(t.value, { type: 'snapshot', topic: name, epoch: t.epoch, seq: t.seq, data: t.value });
        if (onStatus && (t.status.stale || t.status.error)) onStatus(t.status, null);
      }
      t.listeners.push(listener);
      return function () {
        var i = t.listeners.indexOf(listener);
        if (i < 0) return;
        t.listeners.splice(i, 1);
        if (t.listeners.length || topics[name] !== t) return;
        delete topics[name];
        send({ type: 'unsubscribe', topic: name });
      };
    }

    // history(topic, {since, until, points, state}): the topic's updates sent from since to until
    // (milliseconds by the server's clock; until: now; a negative since: that long before now,
    // right even when this screen's clock is wrong), oldest first, thinned evenly to points
    // (1000) when there are more; with state, the topic's value as of since too, and the updates
    // after it. Resolves with the server's answer {since, until, downsampled, state,
    // updates: [{epoch, seq, ts, data}]}; rejects with its error (forbidden, unknown-topic, ...) or
    // when no answer comes within the watchdog's time of asking. Asked once the connection is
    // open, and again on a new one.
    function history(name, range) {
      var r = range || {};
      var id = 'h' + ++asks;
      var msg = { type: 'history', topic: name, since: r.since || 0, id: id };
      if (r.until !== undefined) msg.until = r.until;
      if (r.points !== undefined) msg.points = r.points;
      if (r.state) msg.state = true;
      return new Promise(function (resolve, reject) {
        asked[id] = { msg: msg, resolve: resolve, reject: reject, timer: null };
        if (client.hello) ask(id);
      });
    }

    function ask(id) {
      var a = asked[id];
      clearT(a.timer);
      a.timer = setT(function () {
        answer(id, null, { type: 'error', code: 'timeout', topic: a.msg.topic, message: 'no answer to a history request' });
      }, watchdogMs);
      send(a.msg);
    }

    function answer(id, msg, error) {
      var a = asked[id];
      if (!a) return;
      delete asked[id];
      clearT(a.timer);
      if (error) a.reject(error);
      else a.resolve(msg);
    }

    // A ping's ts is the server's now; an update's, its publish a moment ago, or long ago when
    // resent on a resume: it can only show the estimate too low. A new connection may be another
    // server's.
    function learnClock(msg) {
      if (msg.type === 'hello') offset = null;
      if (typeof msg.ts !== 'number') return;
      var d = msg.ts - now();
      if (msg.type === 'ping' || (msg.type === 'update' && (offset === null || d > offset))) offset = d;
    }

    // The server's time now, as its last ping and updates tell: ages of server times (a status's
    // ts) are right on a screen whose own clock is wrong.
    function serverNow() {
      return now() + (offset || 0);
    }

    // {stale, error, ts (server time the data was last known current), receivedAt, seq}
    function freshness(name) {
      var t = topics[name];
      if (!t) return null;
      return { stale: t.status.stale, error: t.status.error, ts: t.status.ts, receivedAt: t.receivedAt, seq: t.seq };
    }

    function onVisible() {
      if (!g.document.hidden) reconnectNow();
    }

    function close() {
      setState('closed');
      for (var id in asked) answer(id, null, { type: 'error', code: 'closed', message: 'the client is closed' });
      clearT(retryTimer);
      clearT(watchdogTimer);
      if (g.removeEventListener) g.removeEventListener('online', reconnectNow);
      if (g.document) g.document.removeEventListener('visibilitychange', onVisible);
      var s = socket;
      socket = null;
      if (s) s.close();
    }

    if (g.addEventListener) g.addEventListener('online', reconnectNow);
    if (g.document) g.document.addEventListener('visibilitychange', onVisible);
    open();
    return client;
  }

  return {
    connect: connect,
    backoff: backoff,
    restartHint: restartHint,
    fold: fold,
    checksum: checksum,
    Topic: Topic
  };
});
