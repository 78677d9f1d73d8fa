// async-io sample dashboard: plain JavaScript, no dependencies. Reads the actuator JSON every 2 seconds.
(() => {
  'use strict';

  const REFRESH_MS = 2000;
  const WINDOW_MS = 5 * 60 * 1000;
  const AUTH_KEY = 'asyncio.dashboard.auth';

  // Exposed for the headless-browser test and for curious operators in the console.
  const dashboard = window.dashboard = {
    samples: [],        // {t, read, written} in bytes per second
    last: null,         // {t, read, written} totals of the previous poll
    selected: null,     // handle whose connections are listed
    refreshes: 0,
    auth: sessionStorage.getItem(AUTH_KEY),
  };

  const $ = (id) => document.getElementById(id);

  class AuthError extends Error {}

  async function api(path, options = {}) {
    const headers = { 'Accept': 'application/json', 'X-Requested-With': 'XMLHttpRequest' };
    if (dashboard.auth) headers['Authorization'] = dashboard.auth;
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    // credentials 'omit': only the explicit Authorization header counts, never a cached browser login.
    const response = await fetch(path, { ...options, headers, cache: 'no-store', credentials: 'omit' });
    if (response.status === 401) {
      showLogin('Signed out: the user or password was not accepted.');
      throw new AuthError('401');
    }
    if (response.status === 403) throw new Error('Forbidden: closing and re-opening handles needs the ADMIN role.');
    if (!response.ok) throw new Error(`${options.method || 'GET'} ${path} answered HTTP ${response.status}`);
    const text = await response.text();
    return text ? JSON.parse(text) : null;
  }

  function showError(message) {
    const el = $('error');
    el.textContent = message || '';
    el.hidden = !message;
  }

  function showLogin(message) {
    dashboard.auth = null;
    sessionStorage.removeItem(AUTH_KEY);
    $('login').hidden = false;
    $('overview').hidden = true;
    $('sign-out').hidden = true;
    showError(message);
  }

  function showOverview() {
    $('login').hidden = true;
    $('overview').hidden = false;
    $('sign-out').hidden = false;
  }

  function bytes(n) {
    if (n < 1024) return `${Math.round(n)} B`;
    const units = ['KiB', 'MiB', 'GiB', 'TiB'];
    let v = n / 1024, i = 0;
    while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
    return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
  }

  function cell(row, text, className) {
    const td = document.createElement('td');
    td.textContent = text;
    if (className) td.className = className;
    row.appendChild(td);
    return td;
  }

  function renderHandles(handles) {
    const body = $('handles').querySelector('tbody');
    body.replaceChildren();
    for (const h of [...handles].sort((a, b) => a.name.localeCompare(b.name))) {
      const row = document.createElement('tr');
      row.dataset.handle = h.name;
      if (h.name === dashboard.selected) row.classList.add('selected');
      cell(row, h.name);
      const status = document.createElement('span');
      status.className = `status ${h.status}`;
      status.textContent = h.status;
      cell(row, '').appendChild(status);
      cell(row, `${h.address || '*'}:${h.port}`);
      cell(row, String(h.activeConnections), 'num connections');
      cell(row, String(h.acceptedConnections), 'num');
      cell(row, bytes(h.bytesRead), 'num');
      cell(row, bytes(h.bytesWritten), 'num');
      cell(row, String(h.errors + h.timeouts + h.callbackFailures), 'num');
      const actions = cell(row, '');
      const button = document.createElement('button');
      button.type = 'button';
      if (h.open) {
        button.textContent = 'Close';
        button.className = 'close danger';
        button.title = 'Stop accepting and free the port; live connections are kept';
        button.addEventListener('click', (e) => { e.stopPropagation(); act('DELETE', h.name); });
      } else {
        button.textContent = 'Re-open';
        button.className = 'reopen';
        button.disabled = !h.reopenable;
        button.addEventListener('click', (e) => { e.stopPropagation(); act('POST', h.name); });
      }
      actions.appendChild(button);
      row.addEventListener('click', () => { dashboard.selected = h.name; refresh(); });
      body.appendChild(row);
    }
  }

  function renderCollections(collections) {
    const body = $('collections').querySelector('tbody');
    body.replaceChildren();
    for (const c of collections) {
      const row = document.createElement('tr');
      cell(row, c.name);
      cell(row, c.alive ? 'yes' : 'NO');
      cell(row, String(c.states), 'num');
      cell(row, String(c.handles), 'num');
      cell(row, String(c.tasksPending), 'num');
      cell(row, String(c.timeouts), 'num');
      cell(row, String(c.callbackFailures), 'num');
      body.appendChild(row);
    }
  }

  // Outbound clients (GET /actuator/asyncio lists them as "clients"): state, where, pool counts, failures;
  // Disconnect / Reconnect are DELETE / POST /actuator/asyncio/clients/{name} (ADMIN only, like Close / Re-open).
  function renderClients(clients) {
    const body = $('clients').querySelector('tbody');
    body.replaceChildren();
    for (const c of clients) {
      const s = c.statistics || {};
      const row = document.createElement('tr');
      cell(row, c.name);
      const state = String(c.state || s.state || '?').toLowerCase();
      const badge = document.createElement('span');
      // Reuse the handle badges: green while usable, amber while (re)connecting or stopped, red when it gave up.
      badge.className = 'status ' + (state === 'connected' || state === 'idle' ? 'open'
        : (state === 'failed' ? 'failed' : 'closed'));
      badge.textContent = state;
      cell(row, '').appendChild(badge);
      cell(row, c.address || (c.addresses || []).join(', '));
      cell(row, c.mode || '');
      cell(row, `${s.openConnections ?? 0} open · ${s.activeConnections ?? 0} active · ${s.idleConnections ?? 0} idle`
        + (s.pendingAcquires ? ` · ${s.pendingAcquires} waiting` : ''), 'num');
      cell(row, String(s.connects ?? 0), 'num');
      cell(row, `${s.connectFailures ?? 0}` + (s.consecutiveFailures ? ` (${s.consecutiveFailures} in a row)` : ''),
        'num');
      const next = s.nextAttemptInMillis >= 0 ? ` · next attempt in ${s.nextAttemptInMillis} ms` : '';
      cell(row, (s.lastError || '') + next);
      const actions = document.createElement('td');
      row.appendChild(actions);
      const button = document.createElement('button');
      const down = state === 'disconnected' || state === 'failed';
      button.textContent = down ? 'Reconnect' : 'Disconnect';
      button.type = 'button';
      button.className = down ? 'reopen' : 'close danger';
      button.title = down ? 'Connect again now (the backoff starts over)'
        : 'Close its connections and stop reconnecting until Reconnect';
      button.disabled = state === 'closed';
      button.addEventListener('click', () => act(down ? 'POST' : 'DELETE', `clients/${encodeURIComponent(c.name)}`,
        true));
      actions.appendChild(button);
      body.appendChild(row);
    }
    if (!clients.length) {
      const row = document.createElement('tr');
      cell(row, 'no clients configured', 'muted');
      body.appendChild(row);
    }
  }

  async function refreshProxyLine() {
    const parts = [];
    for (const outcome of ['forwarded', 'refused', 'upstream-error']) {
      try {
        const metric = await api(`/actuator/metrics/sample.kv-proxy.commands?tag=outcome:${outcome}`);
        parts.push(`${outcome} ${metric.measurements[0].value}`);
      } catch (e) {
        if (e instanceof AuthError) throw e;
      }
    }
    $('client-line').textContent = parts.length ? `kv-proxy commands: ${parts.join(', ')}` : '';
  }

  function renderConnections(details) {
    const body = $('connections').querySelector('tbody');
    body.replaceChildren();
    if (!details) { $('connections-of').textContent = '(click a handle)'; return; }
    $('connections-of').textContent =
      `of ${details.handle.name}: ${details.connections.length} shown of ${details.totalConnections}`;
    for (const c of details.connections) {
      const row = document.createElement('tr');
      cell(row, c.peer || '?');
      cell(row, `${(c.ageMillis / 1000).toFixed(1)} s`, 'num');
      cell(row, bytes(c.bytesRead), 'num');
      cell(row, bytes(c.bytesWritten), 'num');
      cell(row, bytes(c.queuedOutput), 'num');
      cell(row, c.readStatus);
      cell(row, c.writeStatus);
      body.appendChild(row);
    }
  }

  function recordThroughput(handles) {
    const now = Date.now();
    const totals = handles.reduce((a, h) => ({ read: a.read + h.bytesRead, written: a.written + h.bytesWritten }),
      { read: 0, written: 0 });
    if (dashboard.last) {
      const seconds = Math.max((now - dashboard.last.t) / 1000, 0.001);
      dashboard.samples.push({
        t: now,
        read: Math.max(0, totals.read - dashboard.last.read) / seconds,
        written: Math.max(0, totals.written - dashboard.last.written) / seconds,
      });
    }
    dashboard.last = { t: now, ...totals };
    dashboard.samples = dashboard.samples.filter((s) => now - s.t <= WINDOW_MS);
    const latest = dashboard.samples[dashboard.samples.length - 1];
    $('throughput-now').textContent = latest
      ? `now: ${bytes(latest.read)}/s read, ${bytes(latest.written)}/s written` : '';
    drawChart(now);
  }

  function drawChart(now) {
    const canvas = $('throughput');
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth || canvas.width;
    const height = canvas.clientHeight || canvas.height;
    canvas.width = width * ratio;
    canvas.height = height * ratio;
    const g = canvas.getContext('2d');
    g.scale(ratio, ratio);
    g.clearRect(0, 0, width, height);
    const left = 70, right = 10, top = 10, bottom = 22;
    const w = width - left - right, h = height - top - bottom;
    const max = Math.max(1024, ...dashboard.samples.map((s) => Math.max(s.read, s.written)));
    g.font = '11px system-ui, sans-serif';
    g.fillStyle = '#6b7385';
    g.strokeStyle = '#e2e6ee';
    g.lineWidth = 1;
    for (let i = 0; i <= 4; i++) {
      const y = top + h - (h * i) / 4;
      g.beginPath(); g.moveTo(left, y); g.lineTo(left + w, y); g.stroke();
      g.fillText(`${bytes((max * i) / 4)}/s`, 4, y + 4);
    }
    for (let m = 0; m <= 5; m++) {
      const x = left + w - (w * m) / 5;
      g.fillText(m === 0 ? 'now' : `-${m} min`, x - 14, height - 6);
    }
    const line = (key, color, dash) => {
      g.strokeStyle = color;
      g.lineWidth = 2;
      // Echo traffic reads and writes the same amount: dash one line so both stay visible.
      g.setLineDash(dash);
      g.beginPath();
      dashboard.samples.forEach((s, i) => {
        const x = left + w - (w * (now - s.t)) / WINDOW_MS;
        const y = top + h - (h * s[key]) / max;
        if (i === 0) g.moveTo(x, y); else g.lineTo(x, y);
      });
      g.stroke();
    };
    const styles = getComputedStyle(document.documentElement);
    line('read', styles.getPropertyValue('--read').trim() || '#2f6fde', []);
    line('written', styles.getPropertyValue('--written').trim() || '#e0792b', [6, 4]);
    g.setLineDash([]);
  }

  async function refreshHealth() {
    try {
      const response = await fetch('/actuator/health', { cache: 'no-store', credentials: 'omit' });
      const health = await response.json();
      const el = $('health');
      el.textContent = `health: ${health.status}`;
      el.className = `badge ${String(health.status).toLowerCase()}`;
    } catch (e) {
      $('health').textContent = 'health: unreachable';
      $('health').className = 'badge down';
    }
  }

  async function refreshMetrics() {
    const parts = [];
    for (const name of ['asyncio.connections.active', 'asyncio.loop.tasks.pending']) {
      try {
        const metric = await api(`/actuator/metrics/${name}`);
        const value = metric.measurements && metric.measurements[0] ? metric.measurements[0].value : 0;
        parts.push(`${name} = ${value}`);
      } catch (e) {
        if (e instanceof AuthError) throw e;
      }
    }
    // The UDP echo is a plain UDP state, not an accepting handle: its counters come from its own meters.
    const udp = [];
    for (const direction of ['received', 'sent', 'dropped']) {
      try {
        const metric = await api(`/actuator/metrics/sample.udp.echo.datagrams?tag=direction:${direction}`);
        udp.push(`${direction} ${metric.measurements[0].value}`);
      } catch (e) {
        if (e instanceof AuthError) throw e;
      }
    }
    if (udp.length) parts.push(`UDP echo datagrams: ${udp.join(', ')}`);
    $('metric-line').textContent = parts.length ? `Micrometer: ${parts.join(' · ')}` : '';
  }

  let refreshing = false;
  async function refresh() {
    if (refreshing) return;
    refreshing = true;
    try {
      await refreshHealth();
      if (!dashboard.auth) { showLogin($('error').hidden ? '' : $('error').textContent); return; }
      const overview = await api('/actuator/asyncio');
      showOverview();
      renderHandles(overview.handles);
      renderCollections(overview.collections);
      renderClients(overview.clients || []);
      recordThroughput(overview.handles);
      if (!dashboard.selected && overview.handles.length) dashboard.selected = overview.handles[0].name;
      renderConnections(dashboard.selected
        ? await api(`/actuator/asyncio/${encodeURIComponent(dashboard.selected)}?limit=50`) : null);
      await refreshMetrics();
      await refreshProxyLine();
      if (!$('error').dataset.sticky) showError('');
      dashboard.refreshes++;
    } catch (e) {
      if (!(e instanceof AuthError)) showError(e.message);
    } finally {
      refreshing = false;
    }
  }

  async function act(method, name, encoded) {
    const el = $('error');
    try {
      await api(`/actuator/asyncio/${encoded ? name : encodeURIComponent(name)}`,
        method === 'POST' ? { method, body: '{}' } : { method });
      delete el.dataset.sticky;
      showError('');
    } catch (e) {
      if (!(e instanceof AuthError)) {
        el.dataset.sticky = 'true';
        showError(e.message);
      }
    }
    await refresh();
  }

  $('login-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    dashboard.auth = 'Basic ' + btoa(unescape(encodeURIComponent(`${$('username').value}:${$('password').value}`)));
    sessionStorage.setItem(AUTH_KEY, dashboard.auth);
    $('password').value = '';
    showError('');
    await refresh();
  });

  $('sign-out').addEventListener('click', () => showLogin(''));

  window.addEventListener('resize', () => drawChart(Date.now()));
  refresh();
  setInterval(refresh, REFRESH_MS);
})();
