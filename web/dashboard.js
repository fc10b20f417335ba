// The live dashboard: one `streams` event a second from /api/v1/events (the JSON of
// /api/v1/streams, docs/http.md) fills the two tables and appends a point per series to four
// charts (Vega specs compiled by the server, /dashboard-specs.json; drawn by vega as SVG). Plain
// browser JavaScript, no build.
/* global vega */
'use strict';

const WINDOW_S = 300;

class Chart {
  constructor(figure, spec) {
    this.figure = figure;
    this.view = new vega.View(vega.parse(spec), {
      renderer: 'svg',
      container: figure.querySelector('.chart'),
      hover: false,
    });
    this.ready = this.view.runAsync();
  }

  async add(points, nowS) {
    await this.ready;
    const cutoff = nowS - WINDOW_S;
    this.view.change(
      'rows',
      vega
        .changeset()
        .insert(points)
        .remove((row) => row.t < cutoff),
    );
    // Wider axis labels and new legend entries need room: vega sizes the view again only when asked.
    this.ready = this.view.resize().runAsync();
    await this.ready;
    this.figure.dataset.points = String(this.view.data('rows').length);
  }
}

const text = (value, digits = 0) =>
  value === null || value === undefined ? '-' : typeof value === 'number' ? value.toFixed(digits) : String(value);

function cell(row, value, className) {
  const td = row.insertCell();
  td.textContent = value;
  if (className) td.className = className;
}

/** `failing (20 helper exits, last SIGABRT from 127.0.0.1)`: a helper that keeps ending says so beside its state. */
function stateText(stream) {
  const last = stream.last_exit;
  if (last === null) return stream.state;
  const exits = Object.values(stream.helper_exits).reduce((sum, count) => sum + count, 0);
  const from = last.request !== null && last.request.address !== undefined ? ` from ${last.request.address}` : '';
  return `${stream.state} (${exits} helper exit${exits === 1 ? '' : 's'}, last ${last.exit}${from})`;
}

function fillStreams(streams) {
  const body = document.querySelector('#streams tbody');
  body.replaceChildren();
  for (const stream of streams) {
    const row = body.insertRow();
    row.dataset.stream = stream.name;
    cell(row, stream.name, 'text');
    cell(row, stream.mode, 'text');
    cell(row, stateText(stream), `text state-${stream.state}`);
    cell(row, text(stream.viewers));
    cell(row, text(stream.target_kbps));
    cell(row, text(stream.applied_kbps));
    cell(row, text(stream.sent_kbps));
    cell(row, text(stream.fps, 1));
    cell(row, text(stream.latency_ms, 1));
    cell(row, stream.viewers === 0 ? '-' : text(stream.rtt_ms, 1));
    cell(row, text(stream.loss_pct, 1));
    cell(row, stream.signals.length === 0 ? '-' : stream.signals.join(', '), 'text');
    cell(row, stream.url, 'text');
  }
}

function fillViewers(streams) {
  const body = document.querySelector('#viewers tbody');
  body.replaceChildren();
  let count = 0;
  for (const stream of streams) {
    for (const viewer of stream.viewer_list) {
      const row = body.insertRow();
      row.dataset.viewer = `${stream.name} ${viewer.id}`;
      cell(row, stream.name, 'text');
      cell(row, viewer.id, 'text');
      cell(row, text(viewer.address), 'text');
      cell(row, text(viewer.transport), 'text');
      cell(row, viewer.signal, 'text');
      cell(row, viewer.reports === 0 ? 'no reports' : text(viewer.rtt_ms, 1));
      cell(row, text(viewer.jitter_ms, 1));
      cell(row, text(viewer.loss_pct, 1));
      cell(row, text(viewer.unsent_bytes));
      count += 1;
    }
  }
  document.getElementById('no-viewers').hidden = count > 0;
}

function pointsOf(snapshot) {
  const t = snapshot.t_s;
  const points = { bitrate: [], rtt: [], loss: [], frames: [] };
  for (const stream of snapshot.streams) {
    if (stream.fps !== null) points.frames.push({ t, stream: stream.name, fps: stream.fps });
    if (stream.mode === 'dynamic') {
      for (const [series, kbps] of [
        ['target', stream.target_kbps],
        ['encoder', stream.applied_kbps],
        ['sent', stream.sent_kbps],
      ]) {
        if (kbps !== null) points.bitrate.push({ t, stream: stream.name, series, kbps });
      }
    }
    for (const viewer of stream.viewer_list) {
      const name = `${stream.name} ${viewer.id}`;
      if (viewer.rtt_ms !== null) points.rtt.push({ t, viewer: name, ms: viewer.rtt_ms });
      if (viewer.loss_pct !== null) points.loss.push({ t, viewer: name, pct: viewer.loss_pct });
    }
  }
  return points;
}

async function start() {
  const specs = await (await fetch('/dashboard-specs.json')).json();
  const charts = Object.fromEntries(
    Object.entries(specs).map(([name, spec]) => [
      name,
      new Chart(document.querySelector(`figure[data-chart="${name}"]`), spec),
    ]),
  );
  const connection = document.getElementById('connection');
  const events = new EventSource('/api/v1/events');
  events.addEventListener('open', () => {
    connection.dataset.state = 'open';
    connection.textContent = 'live';
  });
  events.addEventListener('error', () => {
    connection.dataset.state = 'lost';
    connection.textContent = 'connection lost, retrying…';
  });
  let updating = Promise.resolve();
  events.addEventListener('streams', (event) => {
    const snapshot = JSON.parse(event.data);
    document.getElementById('clock').textContent = `${snapshot.t_s.toFixed(0)} s since start`;
    fillStreams(snapshot.streams);
    fillViewers(snapshot.streams);
    const points = pointsOf(snapshot);
    // One update at a time, in order: a slow render never interleaves two.
    updating = updating.then(() =>
      Promise.all(Object.entries(points).map(([name, rows]) => charts[name].add(rows, snapshot.t_s))),
    );
  });
}

start().catch((error) => {
  const connection = document.getElementById('connection');
  connection.dataset.state = 'lost';
  connection.textContent = `cannot start: ${error.message}`;
  throw error;
});
