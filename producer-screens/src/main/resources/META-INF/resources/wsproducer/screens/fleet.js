/*! wsproducer fleet: lists the screens that report themselves, and reloads or identifies them. */
(function () {
  'use strict';

  var KEY = 'wsproducer.operator-token';
  var token = sessionStorage.getItem(KEY);

  function $(id) {
    return document.getElementById(id);
  }

  function showLogin(problem) {
    $('login').hidden = false;
    $('fleet').hidden = true;
    $('reload-all').hidden = true;
    $('problem').textContent = problem || '';
  }

  // A call of the fleet's API with the operator's token; a refused token asks for another.
  function call(method, path) {
    return fetch(path, {
      method: method,
      headers: { Authorization: 'Bearer ' + token, Accept: 'application/json' }
    }).then(function (r) {
      if (r.status === 401) {
        sessionStorage.removeItem(KEY);
        token = null;
        showLogin('That is not an operator token of this server.');
        throw new Error('refused');
      }
      return r.json().then(function (body) {
        if (!r.ok) throw new Error(body.error || String(r.status));
        return body;
      });
    });
  }

  function ago(time) {
    var s = Math.max(0, Math.round((Date.now() - (typeof time === 'number' ? time : Date.parse(time))) / 1000));
    return s < 60 ? s + ' s ago' : s < 3600 ? Math.round(s / 60) + ' min ago' : Math.round(s / 3600) + ' h ago';
  }

  function cell(row, text, className) {
    var td = row.insertCell();
    td.textContent = text === undefined || text === null || text === '' ? '–' : text;
    if (className) td.className = className;
    return td;
  }

  function button(td, label, path) {
    var b = td.appendChild(document.createElement('button'));
    b.type = 'button';
    b.textContent = label;
    b.addEventListener('click', function () {
      call('POST', path).then(refresh, report);
    });
  }

  function report(e) {
    if (e.message !== 'refused') $('summary').textContent = 'could not reach the server: ' + e.message;
  }

  // The current alarms, critical first, each with a button to acknowledge it.
  function alarms(list) {
    $('alarms').hidden = false;
    $('no-alarms').hidden = list.length > 0;
    $('alarms').querySelector('table').hidden = !list.length;
    var body = $('alarms').querySelector('tbody');
    body.textContent = '';
    list.sort(function (a, b) {
      return (b.level === 'critical') - (a.level === 'critical') || a.since - b.since;
    });
    list.forEach(function (a) {
      var row = body.insertRow();
      row.dataset.id = a.id;
      cell(row, a.level === 'critical' ? 'ALARM' : 'WARN', a.level === 'critical' ? 'critical' : 'warn');
      cell(row, a.screen);
      cell(row, a.title);
      cell(row, a.key);
      cell(row, typeof a.value === 'object' ? JSON.stringify(a.value) : a.value);
      cell(row, ago(a.since));
      cell(row, a.ackedBy ? a.ackedBy + ', ' + ago(a.ackedAt) : '');
      var actions = row.insertCell();
      if (!a.ackedBy) button(actions, 'Acknowledge', 'alarms/' + encodeURIComponent(a.id) + '/ack');
    });
  }

  function refresh() {
    if (!token) return showLogin();
    call('GET', 'alarms').then(alarms, report);
    call('GET', 'fleet/problems').then(function (answer) {
      $('file-problem').hidden = !answer.problems.length;
      $('file-problem').textContent = answer.problems.length ? 'The screens file is not applied: ' + answer.problems.join('; ') : '';
    }, report);
    call('GET', 'fleet').then(function (screens) {
      $('login').hidden = true;
      $('screens-heading').hidden = false;
      $('fleet').hidden = false;
      $('reload-all').hidden = false;
      var body = $('fleet').tBodies[0];
      body.textContent = '';
      var online = 0;
      screens.forEach(function (s) {
        if (s.online) online++;
        var row = body.insertRow();
        row.dataset.id = s.id;
        row.className = s.online ? 'online' : 'offline';
        cell(row, s.name);
        cell(row, s.screen);
        cell(row, !s.online ? 'offline' : s.state === 'open' ? 'online' : 'online, socket ' + s.state);
        cell(row, ago(s.lastSeen));
        cell(row, (s.stale || []).join(', '), s.stale && s.stale.length ? 'warn' : '');
        cell(row, s.current ? 'current' : 'older', s.current ? '' : 'warn');
        cell(row, s.viewport && s.viewport.width ? s.viewport.width + '×' + s.viewport.height : '');
        cell(row, s.loads);
        cell(row, s.address);
        var actions = row.insertCell();
        button(actions, 'Reload', 'fleet/' + encodeURIComponent(s.id) + '/reload');
        button(actions, 'Identify', 'fleet/' + encodeURIComponent(s.id) + '/identify');
      });
      $('summary').textContent = online + ' of ' + screens.length + ' online';
    }, report);
  }

  $('login').addEventListener('submit', function (e) {
    e.preventDefault();
    token = $('token').value;
    sessionStorage.setItem(KEY, token);
    refresh();
  });
  $('reload-all').addEventListener('click', function () {
    call('POST', 'fleet/reload').then(refresh, report);
  });
  refresh();
  setInterval(refresh, 2000);
})();
