/*! wsproducer screen kit: renders the screens a hub publishes on "wsproducer.screens". */
(function () {
  'use strict';

  var TOPIC = 'wsproducer.screens';
  var ALARMS = 'wsproducer.alarms';
  var doc = document;
  // The hub's root, which the page's <base> names: "/", or the path it is mounted under.
  var base = new URL(doc.baseURI).pathname;
  // A screen opened as /screens/lobby?token=... passes its token on to the server (a hub with a
  // TokenAuthenticator); a cookie needs nothing, as the browser sends it by itself.
  var token = new URLSearchParams(location.search).get('token');
  var url =
    (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + base +
    (token ? '?token=' + encodeURIComponent(token) : '');
  // ?at=TIME shows the screen as it was then; ?from=TIME&speed=N plays it from then at N times
  // its pace, then goes live. TIME: an ISO-8601 instant, or milliseconds since the Unix epoch.
  var query = new URLSearchParams(location.search);
  function when(name) {
    var v = query.get(name);
    if (v === null) return null;
    return /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  }
  var past = { at: when('at'), from: when('from'), speed: Number(query.get('speed')) || 1 };
  past.mode = past.at !== null ? 'at' : past.from !== null ? 'replay' : null;
  past.time = past.mode === 'at' ? past.at : past.from; // the moment shown, NaN if unreadable
  past.started = Date.now();
  var client = wsproducer.connect(url, {
    onState: function () {
      freshen();
      report();
    }
  });

  // ---- formatting ----------------------------------------------------------------------

  var locale;
  var formats = {}; // Intl formatters by locale and options: building one costs far more than using it

  function formatter(Kind, options) {
    var key = Kind.name + locale + JSON.stringify(options);
    return formats[key] || (formats[key] = new Kind(locale, options));
  }

  function number(v, digits) {
    return formatter(Intl.NumberFormat, { maximumFractionDigits: digits }).format(v);
  }

  function duration(ms) {
    var s = Math.abs(ms) / 1000;
    if (s < 1) return number(ms, 0) + ' ms';
    if (s < 60) return number(s, s < 10 ? 1 : 0) + ' s';
    if (s < 3600) return Math.floor(s / 60) + ' min ' + (Math.floor(s % 60) ? Math.floor(s % 60) + ' s' : '');
    if (s < 86400) return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
    return Math.floor(s / 86400) + ' d ' + Math.floor((s % 86400) / 3600) + ' h';
  }

  function relative(v) {
    var t = typeof v === 'number' ? v : Date.parse(v);
    if (isNaN(t)) return String(v);
    var s = Math.round((t - client.serverNow()) / 1000); // a time of the server's
    var rtf = formatter(Intl.RelativeTimeFormat, { numeric: 'auto', style: 'short' });
    if (Math.abs(s) < 60) return rtf.format(s, 'second');
    if (Math.abs(s) < 3600) return rtf.format(Math.round(s / 60), 'minute');
    if (Math.abs(s) < 86400) return rtf.format(Math.round(s / 3600), 'hour');
    return rtf.format(Math.round(s / 86400), 'day');
  }

  function format(v, fmt) {
    if (v === undefined || v === null) return '–';
    if (fmt === 'relative-time') return relative(v);
    if (typeof v !== 'number') return String(v);
    switch (fmt) {
      case 'integer':
        return number(v, 0);
      case 'decimal':
        return number(v, Math.abs(v) < 10 ? 2 : Math.abs(v) < 100 ? 1 : 0);
      case 'percent':
        return formatter(Intl.NumberFormat, { style: 'percent', maximumFractionDigits: 1 }).format(v);
      case 'bytes':
        var units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
        var i = 0;
        while (Math.abs(v) >= 1024 && i < units.length - 1) {
          v /= 1024;
          i++;
        }
        return number(v, i === 0 || Math.abs(v) >= 100 ? 0 : 1) + ' ' + units[i];
      case 'duration':
        return duration(v).trim();
      default:
        return number(v, Number.isInteger(v) ? 0 : Math.abs(v) < 10 ? 2 : 1);
    }
  }

  function period(text) {
    var m = /^(\d+)(ms|s|m|h|d)$/.exec(text || '');
    if (!m) return 0;
    return Number(m[1]) * { ms: 1, s: 1000, m: 60000, h: 3600000, d: 86400000 }[m[2]];
  }

  // A field of a value by a dotted path: "orders.rate", "streams.0.lag".
  function at(value, path) {
    if (!path) return value;
    var parts = path.split('.');
    for (var i = 0; i < parts.length && value !== undefined && value !== null; i++) {
      value = value[parts[i]];
    }
    return value;
  }

  // ok, warn or critical for a number against a tile's thresholds.
  function level(tile, v) {
    if (typeof v !== 'number') return 'ok';
    function reached(limit) {
      return limit !== undefined && (tile.below ? v <= limit : v >= limit);
    }
    return reached(tile.critical) ? 'critical' : reached(tile.warn) ? 'warn' : 'ok';
  }

  // ---- sizing --------------------------------------------------------------------------

  // The smallest text allowed: 2 % of the screen's shorter side (rounded up), as 1rem is 2.2 %.
  function minText() {
    return Math.ceil(0.02 * Math.min(innerWidth, innerHeight));
  }

  function overflows(el) {
    return el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1;
  }

  // Shrinks an element's text from the size its style gives (relative to its tile) until it
  // fits its box, never below the minimum.
  function fit(el) {
    el.style.fontSize = '';
    var size = Math.max(parseFloat(getComputedStyle(el).fontSize), minText());
    el.style.fontSize = size + 'px';
    while (size > minText() && overflows(el)) {
      size = Math.max(minText(), Math.floor(size * 0.92));
      el.style.fontSize = size + 'px';
    }
  }

  // Puts a table of `rows` rows in a list's body: its text as large as the rows allow (up to 1.8
  // times the smallest, so that a short table in a large tile reads from afar; 2.4 times and its
  // rows spread over the body when it `fills` it, as a table of keys does), then smaller until it
  // is no wider than the body; then leaves out whole rows from the end, keeping `keep`, until it
  // fits. Returns how many rows it left out.
  function fitRows(body, table, rows, keep, fills) {
    body.appendChild(table);
    var most = minText() * (fills ? 2.4 : 1.8);
    var size = Math.max(minText(), Math.min(body.clientHeight / (rows + 1) / 1.7, most));
    table.style.fontSize = size + 'px';
    while (size > minText() && table.offsetWidth > body.clientWidth) {
      size = Math.max(minText(), size * 0.92);
      table.style.fontSize = size + 'px';
    }
    var left = 0;
    while (overflows(body) && table.rows.length > keep) {
      table.removeChild(table.rows[table.rows.length - 1]);
      left++;
    }
    if (fills && !left) table.style.height = body.clientHeight + 'px';
    return left;
  }

  function el(tag, cls, text) {
    var e = doc.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // A cell of a value in a format; a relative time is marked to tick (see freshen).
  function cell(tag, cls, v, fmt) {
    var e = el(tag, cls, format(v, fmt));
    var t = typeof v === 'number' ? v : Date.parse(v);
    if (fmt === 'relative-time' && !isNaN(t)) e.dataset.time = t;
    return e;
  }

  // ---- widgets: each takes its tile's body and returns {show(value), layout()} ----------

  var widgets = {
    number: function (tile, body, box) {
      var value = body.appendChild(el('div', 'value', '–'));
      var line = body.appendChild(el('div', 'line', '\u00a0'));
      var history = [];
      var last;
      return {
        show: function (data) {
          last = at(data, tile.path);
          value.textContent = format(last, tile.format);
          if (tile.unit) value.appendChild(el('span', 'unit', tile.unit));
          box.setLevel(level(tile, last));
          if (tile.change && typeof last === 'number') {
            var now = Date.now();
            history.push([now, last]);
            var span = period(tile.change);
            while (history.length > 1 && history[1][0] <= now - span) history.shift();
            var delta = last - history[0][1];
            var covered = now - history[0][0];
            line.className = 'line ' + (delta > 0 ? 'up' : delta < 0 ? 'down' : '');
            line.textContent = covered < 1000 ? '\u00a0' : (delta > 0 ? '▲ +' : delta < 0 ? '▼ ' : '= ') +
              format(delta, tile.format) + ' in ' + duration(Math.min(covered, span)).trim();
          }
          this.layout();
        },
        layout: function () {
          fit(value);
        }
      };
    },

    gauge: function (tile, body, box) {
      var min = tile.min === undefined ? 0 : tile.min;
      var max = tile.max === undefined ? 100 : tile.max;
      var ns = 'http://www.w3.org/2000/svg';
      var svg = doc.createElementNS(ns, 'svg');
      svg.setAttribute('viewBox', '0 0 200 110');
      svg.setAttribute('preserveAspectRatio', 'xMidYMid meet');
      function arc(cls) {
        var p = doc.createElementNS(ns, 'path');
        p.setAttribute('d', 'M 20 100 A 80 80 0 0 1 180 100');
        p.setAttribute('fill', 'none');
        p.setAttribute('stroke-width', '18');
        p.setAttribute('pathLength', '100');
        p.setAttribute('class', cls);
        return svg.appendChild(p);
      }
      arc('track');
      var bar = arc('arc');
      body.appendChild(svg);
      var value = body.appendChild(el('div', 'value', '–'));
      var range = body.appendChild(el('div', 'line', format(min, tile.format) + ' – ' + format(max, tile.format)));
      range.style.textAlign = value.style.textAlign = 'center';
      return {
        show: function (data) {
          var v = at(data, tile.path);
          var share = typeof v === 'number' ? Math.max(0, Math.min(1, (v - min) / (max - min))) : 0;
          bar.setAttribute('stroke-dasharray', share * 100 + ' 100');
          value.textContent = format(v, tile.format);
          if (tile.unit) value.appendChild(el('span', 'unit', tile.unit));
          box.setLevel(level(tile, v));
          this.layout();
        },
        layout: function () {
          fit(value);
        }
      };
    },

    timeseries: function (tile, body, box) {
      var head = body.appendChild(el('div', 'value', '–'));
      var chart = body.appendChild(el('div', 'chart'));
      var span = period(tile.span) || 600000;
      var xs = [];
      var ys = [];
      var previous;
      var plot;
      // One line per tick, in the screen's locale: seconds only while the data spans minutes.
      function times(u, ticks) {
        var seconds = xs.length > 1 && xs[xs.length - 1] - xs[0] < 300;
        var parts = seconds ? { hour: '2-digit', minute: '2-digit', second: '2-digit' } : { hour: '2-digit', minute: '2-digit' };
        return ticks.map(function (t) {
          return t === null ? null : new Date(t * 1000).toLocaleTimeString(locale, parts);
        });
      }
      // Only ticks within the range shown: in a narrow chart uPlot may place one beyond its end.
      function within(u, ticks) {
        return ticks.map(function (t) {
          return t >= u.scales.x.min && t <= u.scales.x.max ? t : null;
        });
      }
      function numbers(u, ticks) {
        return ticks.map(function (v) {
          return format(v, tile.format);
        });
      }
      function size() {
        return { width: Math.max(50, chart.clientWidth), height: Math.max(30, chart.clientHeight) };
      }
      function draw() {
        if (plot) plot.destroy();
        chart.dataset.points = xs.length; // what the canvas shows, for tests and a curious reader
        var font = minText() + 'px system-ui, sans-serif';
        var css = getComputedStyle(doc.documentElement);
        function color(name) {
          return css.getPropertyValue(name).trim();
        }
        var axis = { stroke: color('--muted'), grid: { stroke: color('--line') }, ticks: { stroke: color('--line') }, font: font };
        // Room at the right for half of the last time label, which is centred on its tick.
        var measure = doc.createElement('canvas').getContext('2d');
        measure.font = font;
        var half = Math.ceil(measure.measureText(times(null, [Date.now() / 1000])[0]).width / 2) + 4;
        plot = new uPlot(
          Object.assign(size(), {
            padding: [minText() / 2, half, 0, 0],
            legend: { show: false },
            cursor: { show: false },
            // At least ten seconds across, ending at the newest sample, so that ticks read well.
            scales: {
              x: {
                time: true,
                range: function (u, min, max) {
                  return [Math.min(min, max - 10), max];
                }
              },
              // From zero, as a wall screen should not make a small wiggle look like a cliff.
              y: {
                range: function (u, min, max) {
                  return [Math.min(0, min), max > 0 ? max * 1.1 : 1];
                }
              }
            },
            axes: [
              Object.assign({ size: minText() * 2, space: minText() * 8, values: times, filter: within }, axis),
              Object.assign({ size: minText() * 4.5, space: minText() * 1.6, values: numbers }, axis)
            ],
            series: [{}, { stroke: color('--accent'), width: 3, fill: color('--fill') }]
          }),
          [xs, ys],
          chart
        );
        chart.plot = plot; // its layout, for tests: the labels on its canvas are not elements
      }
      // The chart's box changes without the screen's (a badge appears above it): the plot follows.
      var resized = new ResizeObserver(function () {
        var now = size();
        if (plot && (plot.width !== now.width || plot.height !== now.height)) plot.setSize(now);
      });
      resized.observe(chart);
      // A value at a time (the server's): its point, or nothing for a tile of rates without a
      // sample before it, or after a counter's reset.
      function point(v, now) {
        if (!tile.rate) return v;
        var p = previous;
        previous = [now, v];
        if (!p || v < p[1] || now <= p[0]) return null;
        return ((v - p[1]) * 1000) / (now - p[0]);
      }
      // The topic's history for the span (up to the moment shown, in the past), asked once, in
      // front of what arrived meanwhile.
      function backfill(answer) {
        var live = [xs, ys, previous];
        xs = [];
        ys = [];
        previous = undefined;
        answer.updates.forEach(function (u) {
          var v = at(u.data, tile.path);
          var y = typeof v === 'number' ? point(v, u.ts) : null;
          if (y !== null && (!live[0].length || u.ts / 1000 < live[0][0])) {
            xs.push(u.ts / 1000);
            ys.push(y);
          }
        });
        xs = xs.concat(live[0]);
        ys = ys.concat(live[1]);
        previous = live[2] || previous;
        if (xs.length > 1) draw();
      }
      if (tile.topic) {
        var range = past.mode ? { since: past.time - span, until: past.time } : { since: -span };
        range.points = 1000;
        client.history(tile.topic, range).then(backfill, function () {
          // none: the chart fills as values arrive
        });
      }
      return {
        show: function (data, msg) {
          var v = at(data, tile.path);
          if (typeof v !== 'number') return;
          var now = msg && typeof msg.ts === 'number' ? msg.ts : client.serverNow();
          if (xs.length && now / 1000 <= xs[xs.length - 1]) return; // the history had it
          var y = point(v, now);
          if (y === null) return;
          xs.push(now / 1000);
          ys.push(y);
          while (xs.length > 2 && xs[0] < (now - span) / 1000) {
            xs.shift();
            ys.shift();
          }
          head.textContent = format(y, tile.format);
          if (tile.unit) head.appendChild(el('span', 'unit', tile.unit));
          box.setLevel(level(tile, y));
          fit(head);
          if (plot) {
            plot.setData([xs, ys]);
            chart.dataset.points = xs.length;
          } else this.layout();
        },
        layout: function () {
          fit(head);
          if (xs.length > 1) draw(); // a line needs two points
        },
        stop: function () {
          resized.disconnect();
          if (plot) plot.destroy();
        }
      };
    },

    table: function (tile, body) {
      body.classList.add('list');
      var rows;
      function render() {
        body.textContent = '';
        if (!rows || !rows.length) return body.appendChild(el('div', 'more', 'no rows'));
        var columns = tile.columns || Object.keys(rows[0][1] || {});
        var table = el('table');
        var head = table.appendChild(el('tr'));
        head.appendChild(el('th', '', ''));
        columns.forEach(function (c) {
          var label = (tile.labels && tile.labels[c]) || c;
          head.appendChild(el('th', typeof at(rows[0][1], c) === 'number' ? 'num' : '', label));
        });
        rows.forEach(function (row) {
          var tr = table.appendChild(el('tr'));
          tr.appendChild(el('td', '', row[0]));
          columns.forEach(function (c) {
            var v = at(row[1], c);
            var l = level(tile, v);
            tr.appendChild(cell('td', (typeof v === 'number' ? 'num ' : '') + (l === 'ok' ? '' : l), v, tile.format));
          });
        });
        var left = fitRows(body, table, rows.length + 1, 1, true);
        if (left) {
          var more = body.appendChild(el('div', 'more', ''));
          while (overflows(body) && table.rows.length > 1) {
            table.removeChild(table.rows[table.rows.length - 1]);
            left++;
          }
          more.textContent = '+' + left + ' more';
        }
      }
      return {
        show: function (data) {
          rows = Object.keys(data || {})
            .sort()
            .map(function (k) {
              return [k, data[k]];
            });
          render();
        },
        layout: render
      };
    },

    events: function (tile, body) {
      body.classList.add('list');
      var events = [];
      function render() {
        body.textContent = '';
        if (!events.length) return body.appendChild(el('div', 'more', 'no events yet'));
        var table = el('table');
        for (var i = events.length - 1; i >= 0; i--) {
          var e = events[i];
          var columns = tile.columns || (e && typeof e === 'object' ? Object.keys(e) : [null]);
          var tr = table.appendChild(el('tr'));
          columns.forEach(function (c) {
            var v = c === null ? e : at(e, c);
            var fmt = /time|^ts$|At$|_at$/.test(c || '') ? 'relative-time' : tile.format;
            tr.appendChild(cell('td', typeof v === 'number' && fmt !== 'relative-time' ? 'num' : '', v, fmt));
          });
        }
        fitRows(body, table, events.length, 0);
      }
      return {
        show: function (data) {
          events = Array.isArray(data) ? data : [];
          render();
        },
        layout: render
      };
    },

    status: function (tile, body, box) {
      var word = body.appendChild(el('div', 'value', '–'));
      word.style.textAlign = 'center';
      var names = { ok: 'ok', up: 'ok', green: 'ok', warn: 'warn', warning: 'warn', amber: 'warn',
        critical: 'critical', crit: 'critical', error: 'critical', down: 'critical', red: 'critical',
        err: 'critical', failed: 'critical', stall: 'critical', stop: 'critical' }; // Kafka lag's too
      return {
        show: function (data) {
          var v = at(data, tile.path);
          var l = v === undefined || v === null ? 'ok' // no data: nothing to judge
            : typeof v === 'number' ? level(tile, v)
            : typeof v === 'boolean' ? (v ? 'ok' : 'critical')
            : names[String(v).toLowerCase()] || 'warn';
          word.textContent = v === undefined || v === null ? '–' : typeof v === 'string' ? v : l;
          word.className = 'value ' + l;
          box.setLevel(l);
          this.layout();
        },
        layout: function () {
          fit(word);
        }
      };
    },

    text: function (tile, body) {
      var text = body.appendChild(el('div', 'value', tile.text || ''));
      text.style.whiteSpace = 'normal';
      return {
        show: function (data) {
          text.textContent = format(at(data, tile.path), tile.format);
          this.layout();
        },
        layout: function () {
          fit(text);
        }
      };
    },

    // The hub's current alarms, critical first, then the oldest: what, where and for how long.
    alarms: function (tile, body) {
      body.classList.add('list');
      var list = [];
      function render() {
        body.textContent = '';
        if (!list.length) return body.appendChild(el('div', 'more', 'no alarms'));
        var table = el('table');
        list.forEach(function (a) {
          var tr = table.appendChild(el('tr', a.level));
          tr.appendChild(el('td', 'level ' + a.level, label(a.level)));
          var screen = byName(definitions && definitions.screens, a.screen);
          var what = (screen ? screen.title : a.screen) + ' · ' + (a.title || a.topic) + (a.key ? ' · ' + a.key : '');
          tr.appendChild(el('td', '', what));
          tr.appendChild(el('td', '', 'for ' + ago(client.serverNow() - a.since) + (a.ackedBy ? ' · ✓ ' + a.ackedBy : '')));
        });
        fitRows(body, table, list.length, 0);
      }
      return {
        alarms: function (all) {
          list = all;
          render();
        },
        layout: render
      };
    },

    clock: function (tile, body) {
      var time = body.appendChild(el('div', 'value', ''));
      var date = body.appendChild(el('div', 'line', ''));
      time.style.textAlign = date.style.textAlign = 'center';
      function tick() {
        var now = new Date();
        time.textContent = now.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
        date.textContent = now.toLocaleDateString(locale, { weekday: 'long', day: 'numeric', month: 'long' });
      }
      tick();
      var timer = setInterval(tick, 1000);
      return {
        layout: function () {
          fit(time);
        },
        stop: function () {
          clearInterval(timer);
        }
      };
    }
  };

  // ---- a screen ----------------------------------------------------------------------------

  var shown = []; // the tiles on screen: {widget, unsubscribe}
  var shownScreen; // the screen they are of

  function clear(root) {
    shown.forEach(function (s) {
      if (s.unsubscribe) s.unsubscribe();
      if (s.widget.stop) s.widget.stop();
    });
    shown = [];
    root.textContent = '';
  }

  // Columns from the number of cells and the screen's shape, unless the screen says; then rows
  // enough for every tile as the browser places them (row by row, filling holes: dense).
  function grid(screen, root) {
    var cells = 0;
    screen.tiles.forEach(function (t) {
      cells += (t.width || 1) * (t.height || 1);
    });
    var columns = screen.columns || Math.max(1, Math.round(Math.sqrt((cells * innerWidth) / innerHeight)));
    var taken = [];
    var rows = 1;
    function free(r, c, w, h) {
      for (var y = r; y < r + h; y++) {
        for (var x = c; x < c + w; x++) if (x >= columns || (taken[y] && taken[y][x])) return false;
      }
      return true;
    }
    screen.tiles.forEach(function (t, i) {
      var w = Math.min(t.width || 1, columns);
      var h = t.height || 1;
      for (var r = 0; ; r++) {
        for (var c = 0; c < columns; c++) {
          if (!free(r, c, w, h)) continue;
          for (var y = r; y < r + h; y++) {
            taken[y] = taken[y] || [];
            for (var x = c; x < c + w; x++) taken[y][x] = true;
          }
          rows = Math.max(rows, r + h);
          var box = root.children[i];
          if (box) {
            box.style.gridArea = r + 1 + ' / ' + (c + 1) + ' / span ' + h + ' / span ' + w;
          }
          return;
        }
      }
    });
    root.style.setProperty('--columns', columns);
    root.style.setProperty('--rows', rows);
  }

  function render(screen) {
    var root = doc.getElementById('tiles');
    clear(root);
    shownScreen = screen;
    locale = screen.locale || undefined;
    doc.documentElement.dataset.theme = screen.theme || 'dark';
    doc.title = screen.title;
    doc.getElementById('title').textContent = screen.title;
    screen.tiles.forEach(function (tile) {
      var box = root.appendChild(el('section', 'tile'));
      if (tile.topic) box.dataset.topic = tile.topic;
      var head = box.appendChild(el('div', 'tile-head'));
      head.appendChild(el('h2', '', tile.title || ''));
      var badge = head.appendChild(el('span', 'badge', ''));
      badge.style.display = 'none';
      var flag = head.appendChild(el('span', 'badge flag', ''));
      flag.style.display = 'none';
      var title = head.firstChild;
      var body = box.appendChild(el('div', 'body ' + tile.widget));
      box.setLevel = function (l) {
        box.classList.remove('warn', 'critical');
        if (l !== 'ok') box.classList.add(l);
      };
      var widget = widgets[tile.widget](tile, body, box);
      var entry = { widget: widget, tile: tile, title: title, badge: badge, flag: flag, box: box };
      shown.push(entry);
      if (tile.topic && past.mode) {
        entry.unsubscribe = replay(tile.topic, widget);
      } else if (tile.topic) {
        entry.unsubscribe = client.subscribe(
          tile.topic,
          function (value, msg) {
            widget.show(value, msg);
          },
          freshen
        );
      }
    });
    grid(screen, root);
    layout();
    freshen();
    showAlarms();
  }

  // A topic as it was at the moment shown, then (playing from it) its updates at their pace
  // times the speed; after the last, the screen goes live. Returns what stops it.
  function replay(topic, widget) {
    var timers = [];
    var stopped = false;
    client
      .history(topic, { since: past.time, until: past.mode === 'at' ? past.time : undefined, state: true, points: 5000 })
      .then(function (h) {
        if (stopped) return;
        var kind = 'latest';
        var size = 50;
        ((client.hello && client.hello.topics) || []).forEach(function (d) {
          if (d.name === topic) {
            kind = d.state;
            size = d.size || size;
          }
        });
        var value = h.state ? h.state.data : undefined;
        if (h.state && value !== null) widget.show(value, h.state);
        if (past.mode !== 'replay') return;
        h.updates.forEach(function (u) {
          timers.push(
            setTimeout(function () {
              value = wsproducer.fold(kind, value, u.data, size);
              widget.show(value, u);
            }, (u.ts - past.time) / past.speed)
          );
        });
        timers.push(setTimeout(live, (h.until - past.time) / past.speed + 1000));
      }, function () {
        // none: the tile stays empty
      });
    return function () {
      stopped = true;
      timers.forEach(clearTimeout);
    };
  }

  // Back to the present: the same screen without ?from.
  function live() {
    location.replace(location.pathname + (token ? '?token=' + encodeURIComponent(token) : ''));
  }

  function pastText() {
    var t = past.mode === 'at' ? past.time : past.time + (Date.now() - past.started) * past.speed;
    var text = new Date(t).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'medium' });
    return past.mode === 'at' ? 'as at ' + text + ' · not live' : 'replay ×' + past.speed + ' · ' + text;
  }

  function layout() {
    shown.forEach(function (s) {
      fit(s.title);
      if (s.widget.layout) s.widget.layout();
    });
  }

  // ---- alarms: raised by the hub, shown by more than colour ---------------------------------

  var alarms = []; // the hub's current alarms
  var flashed = {}; // id -> the level this page saw: a brief flash when an alarm begins or worsens
  var chiming = null; // the timer that chimes again while an alarm of this screen is unacknowledged
  var audio;

  function label(level) {
    return level === 'critical' ? '✖ ALARM' : '⚠ WARN';
  }

  function worst(list) {
    return list.filter(function (a) {
      return a.level === 'critical';
    })[0] || list[0];
  }

  // The alarms of a screen's tile, of any tile when `tile` is undefined.
  function alarmsOf(screen, tile) {
    return alarms.filter(function (a) {
      return a.screen === screen && (tile === undefined || a.tile === tile);
    });
  }

  // Each tile in alarm says so in words with an icon and a border (not by colour alone), how long
  // for, and who acknowledged it; it flashes briefly when it enters a level, and the screen chimes
  // when it asks for sound, again every 30 s until the alarm is acknowledged.
  function showAlarms() {
    if (!shownScreen || past.mode) return;
    var fresh = false;
    shown.forEach(function (s, i) {
      if (s.widget.alarms) s.widget.alarms(alarms);
      var mine = alarmsOf(shownScreen.name, i);
      var top = worst(mine);
      s.box.classList.toggle('alarm-warn', !!top && top.level === 'warn');
      s.box.classList.toggle('alarm-critical', !!top && top.level === 'critical');
      if (!top) {
        s.flag.style.display = 'none';
        s.box.classList.remove('flash');
        return;
      }
      var since = Math.min.apply(null, mine.map(function (a) {
        return a.since;
      }));
      var acked = mine.filter(function (a) {
        return a.ackedBy;
      });
      var back = mine.every(function (a) {
        return a.backSince !== undefined;
      });
      s.flag.textContent = label(top.level) + (mine.length > 1 ? ' ×' + mine.length : '') +
        ' · for ' + ago(client.serverNow() - since) + (back ? ' · back' : '') +
        (acked.length === mine.length ? ' · ✓ ' + acked[0].ackedBy : '');
      s.flag.className = 'badge flag ' + top.level;
      s.flag.style.display = '';
      mine.forEach(function (a) {
        if (flashed[a.id] !== a.level) {
          var begun = flashed[a.id] !== undefined || client.serverNow() - a.since < 5000;
          flashed[a.id] = a.level;
          if (a.ackedBy || !begun) return; // not news: raised before this page came
          fresh = true;
          s.box.classList.remove('flash');
          void s.box.offsetWidth; // starts the animation again
          s.box.classList.add('flash');
        }
      });
      if (acked.length === mine.length) s.box.classList.remove('flash');
    });
    var unacked = alarmsOf(shownScreen.name).filter(function (a) {
      return !a.ackedBy;
    }).length;
    if (shownScreen.sound && fresh) chime();
    if (shownScreen.sound && unacked && !chiming) chiming = setInterval(chime, 30000);
    if ((!unacked || !shownScreen.sound) && chiming) {
      clearInterval(chiming);
      chiming = null;
    }
  }

  // Two short tones; the browser plays them only if it lets pages play sound unprompted.
  function chime() {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      if (audio.resume) audio.resume();
      [880, 660].forEach(function (hz, i) {
        var tone = audio.createOscillator();
        var gain = audio.createGain();
        tone.frequency.value = hz;
        gain.gain.value = 0.3;
        tone.connect(gain).connect(audio.destination);
        tone.start(audio.currentTime + i * 0.25);
        tone.stop(audio.currentTime + i * 0.25 + 0.2);
      });
    } catch (e) {
      return; // no audio here
    }
    doc.body.dataset.chimes = Number(doc.body.dataset.chimes || 0) + 1; // for tests
  }

  client.subscribe(ALARMS, function (value) {
    alarms = Object.keys(value || {})
      .map(function (id) {
        return value[id];
      })
      .sort(function (a, b) {
        return (b.level === 'critical') - (a.level === 'critical') || a.since - b.since;
      });
    if (rotation) rotation.show();
    showAlarms();
  });

  // ---- freshness: what the screen says about the age of what it shows ----------------------

  function ago(ms) {
    var s = Math.max(0, Math.round(ms / 1000));
    return s < 60 ? s + ' s' : s < 3600 ? Math.round(s / 60) + ' min' : Math.round(s / 3600) + ' h';
  }

  // The header says whether the screen is live; each tile, only what is not as it should be:
  // the source's error, data gone stale, a last update over a minute ago, or, while the server
  // is unreachable, how old its last update is.
  function freshen() {
    if (!client) return; // connect() reports its first state before it returns
    doc.querySelectorAll('[data-time]').forEach(function (e) {
      e.textContent = relative(Number(e.dataset.time));
    });
    var badge = doc.getElementById('connection');
    var open = client.state === 'open';
    if (past.mode) {
      badge.textContent = isNaN(past.time) ? 'not a time: ' + (query.get('at') || query.get('from')) : pastText();
      badge.className = 'badge warn';
      return;
    }
    if (open) {
      badge.textContent = 'live';
    } else if (client.state === 'reconnecting') {
      var s = Math.max(0, Math.ceil((client.retryAt - Date.now()) / 1000));
      badge.textContent = 'server unreachable · retrying' + (s > 0 ? ' in ' + s + ' s' : '');
    } else {
      badge.textContent = client.state;
    }
    badge.className = 'badge ' + (open ? 'ok' : client.state === 'reconnecting' ? 'critical' : '');
    shown.forEach(function (s) {
      var f = s.tile.topic && client.freshness(s.tile.topic);
      if (!f) return;
      var text = '';
      var level = '';
      if (!open) {
        text = f.receivedAt ? 'last update ' + ago(Date.now() - f.receivedAt) + ' ago' : 'no data';
      } else if (f.error) {
        text = f.error;
        level = 'critical';
      } else if (f.stale) {
        text = 'data ' + ago(client.serverNow() - f.ts) + ' old'; // both the server's time
        level = 'warn';
      } else if (f.receivedAt && Date.now() - f.receivedAt >= 60000) {
        text = 'updated ' + ago(Date.now() - f.receivedAt) + ' ago';
      }
      s.badge.textContent = text;
      s.badge.className = 'badge ' + level;
      s.badge.style.display = text ? '' : 'none';
      s.box.classList.toggle('stale', !open || !!f.stale);
    });
  }
  setInterval(function () {
    freshen();
    showAlarms(); // for how long
  }, 1000);

  function message(text) {
    var root = doc.getElementById('tiles');
    clear(root);
    root.style.setProperty('--columns', 1);
    root.style.setProperty('--rows', 1);
    root.appendChild(el('div', 'message', text));
  }

  // ---- which screen ------------------------------------------------------------------------

  var name = decodeURIComponent(location.pathname.slice(base.length).replace(/^screens\/?/, ''));
  var definitions;
  var current; // the JSON of what is shown, to re-render only on a change
  var rotation = null;
  var store = localStorage;

  function byName(list, n) {
    return (list || []).filter(function (x) {
      return x.name === n;
    })[0];
  }

  function show(screen) {
    var json = JSON.stringify(screen);
    if (json !== current) {
      current = json;
      render(screen);
    }
  }

  function apply() {
    if (rotation) clearInterval(rotation.timer);
    rotation = null;
    if (past.mode && isNaN(past.time)) {
      current = null;
      var given = query.get(past.mode === 'at' ? 'at' : 'from');
      return message('“' + given + '” is not a time. Give an ISO-8601 instant, such as 2026-12-07T03:10:00Z.');
    }
    var screen = byName(definitions.screens, name);
    var playlist = byName(definitions.playlists, name);
    if (screen) return show(screen);
    if (!playlist) {
      current = null;
      var names = (definitions.screens || []).concat(definitions.playlists || []).map(function (x) {
        return x.name;
      });
      return message('No screen named “' + name + '”. Screens: ' + (names.join(', ') || 'none') + '.');
    }
    rotate(playlist);
  }

  // A playlist's screens in turn, from where this screen left off before a reload. One that
  // jumps to alarms shows a screen of its own with a critical alarm (unacknowledged, for
  // until-acked) ahead of its turn, saying why, and resumes where it was once none is left.
  function rotate(playlist) {
    var key = 'wsproducer.rotation.' + playlist.name;
    var n = playlist.screens.length;
    rotation = { index: (Number(store.getItem(key)) || 0) % n };
    rotation.show = function () {
      var jump = playlist.jump && playlist.jump !== 'none' && alarms.filter(function (a) {
        return a.level === 'critical' && playlist.screens.indexOf(a.screen) >= 0 &&
          (playlist.jump !== 'until-acked' || !a.ackedBy);
      })[0];
      rotation.held = !!jump;
      var screen = byName(definitions.screens, jump ? jump.screen : playlist.screens[rotation.index]);
      var reason = doc.getElementById('reason');
      reason.textContent = jump ? 'showing ' + screen.title + ': ' + (jump.title || jump.topic) + ' alarm' : '';
      reason.hidden = !jump;
      show(screen);
    };
    rotation.timer = setInterval(function () {
      if (rotation.held) return;
      rotation.index = (rotation.index + 1) % n;
      store.setItem(key, rotation.index);
      rotation.show();
    }, period(playlist.every) || 30000);
    rotation.show();
  }

  // What is wrong with the screens' file, naming it and the line, until it is fixed: at the top
  // of the listing, in a small corner note on a screen.
  function problem(text) {
    var note = doc.getElementById('problem');
    if (!text) {
      if (note) note.remove();
      return;
    }
    if (!note) {
      note = doc.body.insertBefore(el('div', 'problem'), doc.querySelector('main'));
      note.id = 'problem';
    }
    note.textContent = 'Not applied: ' + text;
  }

  function list() {
    var root = doc.getElementById('list');
    root.textContent = '';
    (definitions.screens || []).concat(definitions.playlists || []).forEach(function (x) {
      var a = root.appendChild(el('a', '', x.title || (x.screens ? 'playlist: ' + x.screens.join(', ') : x.name)));
      a.href = 'screens/' + encodeURIComponent(x.name) + location.search;
      a.appendChild(el('span', 'name', base + 'screens/' + x.name));
    });
  }

  // ---- after a deploy, and the fleet --------------------------------------------------------

  var params = new URLSearchParams(location.search);
  var id = store.getItem('wsproducer.screen-id');
  if (!id) {
    id = Array.prototype.map
      .call(crypto.getRandomValues(new Uint8Array(8)), function (b) {
        return (b + 256).toString(16).slice(1);
      })
      .join('');
    store.setItem('wsproducer.screen-id', id);
  }
  var loads = Number(store.getItem('wsproducer.loads') || 0) + 1;
  store.setItem('wsproducer.loads', loads);
  var handle; // what commands call this screen: the fleet's answer to its report tells it
  var first; // the first value this page received: its kit, layout and commands
  var fleet; // the fleet's commands as last seen, or undefined when the fleet is off
  var reloading;

  // The screens this page shows, as JSON: a layout change is a change of this.
  function mine(value) {
    var playlist = byName(value.playlists, name);
    return JSON.stringify(
      [byName(value.screens, name), playlist].concat(
        ((playlist && playlist.screens) || []).map(function (n) {
          return byName(value.screens, n);
        })
      )
    );
  }

  // Reloads within `spread` ms, at random, so that a wall of screens does not come back at once.
  function reload(spread) {
    if (reloading) return;
    reloading = setTimeout(function () {
      location.reload();
    }, Math.random() * spread);
  }

  function count(commands, kind, key) {
    return (commands && commands[kind] && commands[kind][key]) || 0;
  }

  function command(value) {
    var now = value.fleet;
    var before = fleet && now && fleet.boot === now.boot ? fleet : null; // after a restart: from 0
    fleet = now;
    if (!now || !first) return;
    if (count(now, 'reload', handle) > count(before, 'reload', handle)) reload(0);
    if (count(now, 'reload', '*') > count(before, 'reload', '*')) reload(value.reloadSpread);
    if (count(now, 'identify', handle) > count(before, 'identify', handle)) identify();
  }

  function identify() {
    var badge = doc.body.appendChild(el('div', 'identify', params.get('screen') || name));
    badge.appendChild(el('span', '', id));
    setTimeout(function () {
      doc.body.removeChild(badge);
    }, 8000);
  }

  // Tells the server what this page is and shows: its fleet lists it.
  function report() {
    if (!fleet || !client || doc.getElementById('list')) return; // the listing is no screen
    var seqs = {};
    var stale = [];
    shown.forEach(function (s) {
      var f = s.tile.topic && client.freshness(s.tile.topic);
      if (!f) return;
      if (f.seq !== null) seqs[s.tile.topic] = f.seq;
      if ((f.stale || f.error) && stale.indexOf(s.tile.topic) < 0) stale.push(s.tile.topic);
    });
    var headers = { 'Content-Type': 'application/json' };
    if (token) headers.Authorization = 'Bearer ' + token;
    fetch('fleet/report', {
      method: 'POST',
      headers: headers,
      body: JSON.stringify({
        id: id,
        name: params.get('screen') || name,
        screen: name,
        version: first && first.kit,
        state: client.state,
        seqs: seqs,
        stale: stale,
        viewport: { width: innerWidth, height: innerHeight },
        loads: loads
      })
    })
      .then(function (response) {
        return response.ok ? response.json() : {};
      })
      .then(function (answer) {
        // Commands from before the handle was known count from now on, not again.
        if (answer.handle) handle = answer.handle;
      })
      .catch(function () {}); // the next one will tell
  }

  client.subscribe(TOPIC, function (value) {
    value = value || {};
    if (first && (value.kit !== first.kit || mine(value) !== mine(first))) {
      reload(value.reloadSpread); // a deploy, or a new layout: start afresh
    }
    command(value);
    if (!first) {
      first = value;
      report();
      setTimeout(report, 1000); // again once the tiles have their data
      setInterval(report, (fleet && fleet.report) || 10000);
    }
    definitions = value;
    problem(value.problem);
    if (doc.getElementById('list')) list();
    else apply();
  });

  var resizing;
  addEventListener('resize', function () {
    clearTimeout(resizing);
    resizing = setTimeout(function () {
      if (!current) return;
      grid(JSON.parse(current), doc.getElementById('tiles'));
      layout();
    }, 150);
  });
})();
