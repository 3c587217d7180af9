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

  // One subscribed topic: its resume position {epoch, seq}, its value and its freshness.
  function Topic(name, onValue, onStatus, windowSize) {
    this.name = name;
    this.onValue = onValue;
    this.onStatus = onStatus;
    this.windowSize = windowSize;
    this.kind = 'latest';
    this.epoch = null;
    this.seq = null;
    this.value = undefined;
    this.status = { stale: false, error: null, ts: null };
    this.receivedAt = null;
  }

  // The position to resume from, or undefined before the first snapshot.
  Topic.prototype.since = function () {
    return this.epoch === null ? undefined : { epoch: this.epoch, seq: this.seq };
  };

  // Applies a snapshot, update or status. Returns false when an update does not follow on
  // from the last one (a gap): the caller then asks for a fresh snapshot.
  Topic.prototype.apply = function (msg, now) {
    if (msg.type === 'status') {
      this.status = { stale: !!msg.stale, error: msg.error || null, ts: msg.ts };
      if (this.onStatus) this.onStatus(this.status, msg);
      return true;
    }
    if (msg.type === 'snapshot') {
      this.value = msg.data;
      if (this.kind === 'window') this.windowSize = Math.max(this.windowSize, (msg.data || []).length);
    } else if (msg.epoch === this.epoch && msg.seq === this.seq + 1) {
      this.value = fold(this.kind, this.value, msg.data, this.windowSize);
    } else {
      return false;
    }
    this.epoch = msg.epoch;
    this.seq = msg.seq;
    this.receivedAt = now;
    this.onValue(this.value, msg);
    return true;
  };

  // Opens a connection that reconnects by itself until close() is called.
  // url: ws:// or wss:// URL of the server's root; by default the page's own server.
  // options: minDelay (500 ms), maxDelay (20 s), watchdog (45 s without any frame: reconnect),
  // window (50: most events kept for a window topic), onState(state, client), onHello(hello),
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
    var client = {
      state: 'connecting', // connecting | open | reconnecting | closed
      retryAt: null, // when the next attempt starts, while reconnecting
      hello: null,
      subscribe: subscribe,
      freshness: freshness,
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
          return;
        }
        handle(msg);
      };
      s.onclose = function (e) {
        if (socket !== s) return;
        socket = null;
        retry(e.code === 1012 ? restartHint(e.reason) : -1);
      };
    }

    function handle(msg) {
      var t = topics[msg.topic];
      if (msg.type === 'hello') {
        client.hello = msg;
        var kinds = {};
        (msg.topics || []).forEach(function (d) {
          kinds[d.name] = d.state;
        });
        setState('open');
        if (o.onHello) o.onHello(msg);
        for (var name in topics) {
          topics[name].kind = kinds[name] || 'latest';
          sendSubscribe(topics[name], topics[name].since());
        }
      } else if (msg.type === 'error') {
        if (o.onError) o.onError(msg);
      } else if (t && !t.apply(msg, now())) {
        sendSubscribe(t); // a gap: start over from a snapshot
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
    // topic's whole current value (a keyed topic's merged object, a window topic's list).
    // Returns a function that unsubscribes.
    function subscribe(name, onValue, onStatus) {
      var t = (topics[name] = new Topic(name, onValue, onStatus, o.window || 50));
      if (client.hello) {
        (client.hello.topics || []).forEach(function (d) {
          if (d.name === name) t.kind = d.state;
        });
        sendSubscribe(t);
      }
      return function () {
        if (topics[name] === t) delete topics[name];
        send({ type: 'unsubscribe', topic: name });
      };
    }

    // {stale, error, ts (server time the data was last known current), receivedAt}
    function freshness(name) {
      var t = topics[name];
      if (!t) return null;
      return { stale: t.status.stale, error: t.status.error, ts: t.status.ts, receivedAt: t.receivedAt };
    }

    function close() {
      setState('closed');
      clearT(retryTimer);
      clearT(watchdogTimer);
      var s = socket;
      socket = null;
      if (s) s.close();
    }

    if (g.addEventListener) {
      g.addEventListener('online', reconnectNow);
      if (g.document) {
        g.document.addEventListener('visibilitychange', function () {
          if (!g.document.hidden) reconnectNow();
        });
      }
    }
    open();
    return client;
  }

  return { connect: connect, backoff: backoff, restartHint: restartHint, fold: fold, Topic: Topic };
});
