'use strict';
const tiles = {};
const fmt = (v) => (typeof v === 'number' ? v.toLocaleString('en-US') : String(v));
const human = (key) => key.replace(/_/g, ' ').replace(/\bms\b/, '(ms)');
const SPARK_POINTS = 60;

function ago(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return s + ' s';
  if (s < 3600) return Math.round(s / 60) + ' min';
  return Math.round(s / 3600) + ' h';
}

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

// One tile per topic announced in hello.
function tile(topic) {
  const root = el('section', 'tile');
  root.dataset.topic = topic.name;
  const head = el('div', 'tile-head');
  head.append(el('h2', null, topic.name), el('span', 'badge fresh', 'waiting'));
  const body = el('div', 'body');
  const spark = el('div', 'spark');
  root.append(head, body, spark);
  document.getElementById('tiles').append(root);
  const t = { topic, root, body, spark, badge: head.lastChild, points: [], plot: null };
  t.unsubscribe = client.subscribe(topic.name, (value, msg) => render(t, value, msg), () => badge(t));
  return t;
}

// The number a tile's sparkline follows.
function headline(kind, value, msg) {
  const firstNumber = (o) => {
    for (const k in o || {}) if (typeof o[k] === 'number') return o[k];
    return null;
  };
  if (kind === 'keyed') {
    let sum = 0;
    for (const k in value) sum += firstNumber(value[k]) || 0;
    return sum;
  }
  if (kind === 'window') return msg.type === 'update' ? firstNumber(msg.data) : null;
  return firstNumber(value);
}

function render(t, value, msg) {
  if (msg.reset) t.points = [];
  const kind = t.topic.state;
  t.body.replaceChildren(
    kind === 'keyed' ? table(value) : kind === 'window' ? events(value) : numbers(value)
  );
  const y = headline(kind, value, msg);
  if (y !== null) {
    t.points.push([msg.ts / 1000, y]);
    if (t.points.length > SPARK_POINTS) t.points.shift();
    spark(t);
  }
  badge(t);
}

function numbers(value) {
  if (value === null || value === undefined) return el('div', 'empty', 'no data yet');
  if (typeof value !== 'object') value = { value };
  const box = el('div', 'numbers');
  const keys = Object.keys(value);
  if (keys.length > 1) box.classList.add('many');
  for (const k of keys) {
    const n = el('div', 'number');
    n.append(el('div', 'value', fmt(value[k])), el('div', 'label', human(k)));
    box.append(n);
  }
  return box;
}

function table(value) {
  const rows = Object.keys(value || {});
  if (rows.length === 0) return el('div', 'empty', 'no data yet');
  const columns = Object.keys(value[rows[0]]).filter((c) => typeof value[rows[0]][c] === 'number');
  const t = el('table');
  const head = el('tr');
  head.append(el('th', null, ''), ...columns.map((c) => el('th', null, human(c))));
  t.append(head);
  for (const r of rows.sort()) {
    const tr = el('tr');
    tr.append(el('td', null, r));
    for (const c of columns) {
      const td = el('td', null, fmt(value[r][c]));
      if ((c === 'errors' && value[r][c] > 0) || (c === 'lag_ms' && value[r][c] > 1000)) td.classList.add('alert');
      tr.append(td);
    }
    t.append(tr);
  }
  return t;
}

function events(list) {
  if (!list || list.length === 0) return el('div', 'empty', 'no events yet');
  const ul = el('ul', 'events');
  for (const e of list.slice(-12).reverse()) {
    const li = el('li');
    const time = String(e.created_at || '').slice(11, 19);
    li.append(el('span', 'time', time), el('span', 'kind-' + e.kind, e.message || JSON.stringify(e)));
    ul.append(li);
  }
  return ul;
}

function spark(t) {
  const xs = t.points.map((p) => p[0]);
  const ys = t.points.map((p) => p[1]);
  if (!t.plot) {
    if (typeof uPlot === 'undefined') return;
    t.plot = new uPlot(
      {
        width: t.spark.clientWidth, height: t.spark.clientHeight,
        cursor: { show: false }, legend: { show: false }, select: { show: false },
        axes: [{ show: false }, { show: false }],
        scales: { x: { time: false } },
        series: [{}, { stroke: '#5cc8ff', width: 2, fill: 'rgba(92,200,255,0.15)', points: { show: false } }]
      },
      [xs, ys],
      t.spark
    );
    new ResizeObserver(() => t.plot.setSize({ width: t.spark.clientWidth, height: t.spark.clientHeight })).observe(t.spark);
  } else {
    t.plot.setData([xs, ys]);
  }
}

// Freshness: "updated 3 s ago", "data 12 min old", or the source's error.
function badge(t) {
  const f = client.freshness(t.topic.name);
  if (!f) return;
  let text, cls;
  const offline = client.state !== 'open';
  if (offline) {
    text = f.receivedAt ? 'last update ' + ago(Date.now() - f.receivedAt) + ' ago' : 'no data';
    cls = '';
  } else if (f.error) {
    text = f.error; cls = 'bad';
  } else if (f.stale) {
    text = 'data ' + ago(Date.now() - f.ts) + ' old'; cls = 'warn';
  } else if (f.receivedAt) {
    text = 'updated ' + ago(Date.now() - f.receivedAt) + ' ago'; cls = 'ok';
  } else {
    text = 'waiting'; cls = '';
  }
  t.badge.textContent = text;
  t.badge.className = 'badge fresh ' + cls;
  t.root.classList.toggle('offline', offline);
  t.root.classList.toggle('stale', !!f.stale && !f.error);
  t.root.classList.toggle('failing', !!f.error);
}

function connection(state, c) {
  for (const name in tiles) badge(tiles[name]);
  const b = document.getElementById('connection');
  if (state === 'open') {
    b.textContent = 'live'; b.className = 'badge ok';
  } else if (state === 'reconnecting') {
    const s = Math.max(0, Math.ceil((c.retryAt - Date.now()) / 1000));
    b.textContent = 'server unreachable · retrying' + (s > 0 ? ' in ' + s + ' s' : ''); b.className = 'badge bad';
  } else {
    b.textContent = state; b.className = 'badge';
  }
}

const client = wsproducer.connect(null, {
  onState: connection,
  onHello: (hello) => {
    for (const topic of hello.topics) if (!tiles[topic.name]) tiles[topic.name] = tile(topic);
    // Fill the screen: 2 columns up to 4 tiles, then 3.
    const n = Object.keys(tiles).length;
    document.getElementById('tiles').style.setProperty('--columns', n <= 1 ? 1 : n <= 4 ? 2 : 3);
  }
});

function tick() {
  document.getElementById('clock').textContent = new Date().toLocaleTimeString('en-GB');
  connection(client.state, client);
}
tick();
setInterval(tick, 1000);
