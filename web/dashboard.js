// The live dashboard, fed by /api/v1/events (docs/http.md): a `history` event on connecting (the
// chart rows of the last five minutes, kept by the server), then every second `streams` (the JSON
// of /api/v1/streams), which fills the two tables, and `points` (that second's chart rows), which
// the four charts append (Vega specs compiled by the server, /dashboard-specs.json; drawn as SVG).
// A stream's name in the table opens the player: the stream over WHEP from this server
// (web/whep-player.js), with what this browser receives of it.
// Plain browser JavaScript, no build. Every cell shows a field of the API as it is: null (unknown)
// is "unknown" or "-", never a figure from before.
/* global vega, whepPlay, whepFigures */
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

  /** `replace`: the rows are the whole history (a new connection), not one more second. */
  async add(points, nowS, replace) {
    await this.ready;
    const cutoff = nowS - WINDOW_S;
    this.view.change(
      'rows',
      vega
        .changeset()
        .remove((row) => replace || row.t < cutoff)
        .insert(points),
    );
    // Wider axis labels and new legend entries need room: vega sizes the view again only when asked.
    this.ready = this.view.resize().runAsync();
    await this.ready;
    const rows = this.view.data('rows');
    this.figure.dataset.points = String(rows.length);
    this.figure.dataset.firstT =
      rows.length === 0 ? '' : String(rows.reduce((first, row) => Math.min(first, row.t), Infinity));
  }
}

const text = (value, digits = 0) =>
  value === null || value === undefined ? '-' : typeof value === 'number' ? value.toFixed(digits) : String(value);

/** A list of encoders' bitrates: one, or the lowest..highest (as the terminal's status table). */
function kbpsRange(list) {
  if (list.length === 0) return '-';
  const [lowest, highest] = [Math.min(...list), Math.max(...list)];
  return lowest === highest ? String(lowest) : `${lowest}..${highest}`;
}

/** A viewer's figure from its reports: "no reports" before the first, "unknown" once they went stale. */
const reportFigure = (viewer, value, digits) =>
  viewer.reports === 0 ? 'no reports' : value === null ? 'unknown' : value.toFixed(digits);

/** A mount's figure from its viewers' reports: "-" without viewers, "unknown" when none reports now. */
const mountFigure = (stream, value, digits) =>
  stream.viewers === 0 ? '-' : value === null ? 'unknown' : value.toFixed(digits);

function cell(row, value, className) {
  const td = row.insertCell();
  td.textContent = value;
  if (className) td.className = className;
}

/** A live source's state beside its helper's: `running, source lost (Could not open resource...)`. */
function sourceText(source) {
  if (source === null) return '';
  return `, source ${source.state}${source.error === null ? '' : ` (${source.error})`}`;
}

/** `failing (20 helper exits, last SIGABRT from 127.0.0.1)`: a helper that keeps ending says so beside its state. */
function stateText(stream) {
  const last = stream.last_exit;
  const source = sourceText(stream.source ?? null);
  if (last === null) return `${stream.state}${source}`;
  const exits = Object.values(stream.helper_exits).reduce((sum, count) => sum + count, 0);
  const from = last.request !== null && last.request.address !== undefined ? ` from ${last.request.address}` : '';
  return `${stream.state}${source} (${exits} helper exit${exits === 1 ? '' : 's'}, last ${last.exit}${from})`;
}

/** The name cell: a button that opens the player. */
function watchCell(row, name) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'watch';
  button.dataset.watch = name;
  button.title = `watch ${name} in this page (WebRTC)`;
  button.textContent = name;
  const td = row.insertCell();
  td.className = 'text';
  td.append(button);
}

/** Marks the name button of the stream in the player, and only that one. */
function markWatching(name) {
  for (const button of document.querySelectorAll('#streams button[data-watch]')) {
    if (button.dataset.watch === name) button.setAttribute('aria-current', 'true');
    else button.removeAttribute('aria-current');
  }
}

function fillStreams(streams) {
  const body = document.querySelector('#streams tbody');
  // The rows are made anew every second: the keyboard's place on a name button goes to its successor.
  const focused = body.contains(document.activeElement) ? document.activeElement.dataset.watch : undefined;
  body.replaceChildren();
  for (const stream of streams) {
    const row = body.insertRow();
    row.dataset.stream = stream.name;
    row.title = stream.url;
    watchCell(row, stream.name);
    cell(row, stream.mode, 'text');
    cell(row, stateText(stream), `text state-${stream.state}`);
    cell(row, text(stream.viewers));
    cell(row, kbpsRange(stream.targets_kbps));
    cell(row, kbpsRange(stream.applied_kbps));
    cell(row, text(stream.sent_kbps));
    cell(row, text(stream.fps, 1));
    cell(row, text(stream.latency_ms, 1));
    cell(row, mountFigure(stream, stream.rtt_ms, 1));
    cell(row, mountFigure(stream, stream.loss_pct, 1));
    cell(row, stream.signals.length === 0 ? '-' : stream.signals.join(', '), 'text');
  }
  if (focused !== undefined) body.querySelector(`button[data-watch="${CSS.escape(focused)}"]`)?.focus();
}

function fillViewers(streams) {
  const body = document.querySelector('#viewers tbody');
  body.replaceChildren();
  let count = 0;
  for (const stream of streams) {
    for (const viewer of stream.viewer_list) {
      const row = body.insertRow();
      row.dataset.viewer = `${stream.name} ${viewer.id}`;
      // The client by the first word of its User-Agent; the whole of it on hover.
      row.title = viewer.client ?? 'no User-Agent';
      cell(row, stream.name, 'text');
      cell(row, viewer.client === null ? viewer.id : `${viewer.id} ${viewer.client.split(/[/ ]/)[0]}`, 'text');
      cell(row, text(viewer.address), 'text');
      cell(row, text(viewer.transport), 'text');
      cell(row, viewer.signal, 'text');
      cell(row, text(viewer.encoder));
      cell(row, text(viewer.target_kbps));
      cell(row, text(viewer.sent_kbps));
      cell(row, reportFigure(viewer, viewer.rtt_ms, 1));
      cell(row, reportFigure(viewer, viewer.jitter_ms, 1));
      cell(row, reportFigure(viewer, viewer.loss_pct, 1));
      cell(row, text(viewer.unsent_bytes));
      count += 1;
    }
  }
  document.getElementById('no-viewers').hidden = count > 0;
}

/**
 * The page's own viewer of one stream at a time (#player): the picture, and every second what this
 * browser receives of it (whepFigures): the bitrate of the bytes since the last reading, RTT,
 * frames decoded, packets lost, size.
 */
class Player {
  constructor(panel) {
    this.panel = panel;
    this.session = null;
    this.timer = undefined;
    // Counts opens and closes: a session answered after the player moved on is ended at once.
    this.generation = 0;
  }

  /** The stream in the player, or null. */
  get stream() {
    return this.panel.dataset.stream ?? null;
  }

  async open(name) {
    this.close();
    const generation = this.generation;
    this.panel.hidden = false;
    this.panel.dataset.stream = name;
    this.panel.querySelector('[data-player="name"]').textContent = name;
    this.show('connecting', 'connecting…');
    this.showFigures(null, null);
    // An element per session: one still connecting never draws into, or blanks, the next one's.
    const video = document.createElement('video');
    video.muted = true;
    video.autoplay = true;
    video.playsInline = true;
    this.panel.querySelector('.picture').replaceChildren(video);
    let session;
    try {
      session = await whepPlay(video, `/whep/${encodeURIComponent(name)}`);
    } catch (error) {
      // The server's own words: 503 when the mount has no room for another viewer, 406 for an
      // offer it cannot answer.
      if (generation !== this.generation) return;
      this.show('refused', `cannot play: ${error.message}`);
      video.remove();
      return;
    }
    if (generation !== this.generation) return void session.stop();
    this.session = session;
    const { pc } = session;
    const showState = () => {
      if (generation !== this.generation) return;
      const state = pc.connectionState;
      this.show(state, state === 'connected' ? 'playing over WebRTC from this server' : `WebRTC ${state}`);
    };
    pc.addEventListener('connectionstatechange', showState);
    showState();
    let last = null;
    this.timer = setInterval(async () => {
      let figures;
      try {
        figures = await whepFigures(pc);
      } catch (error) {
        if (generation !== this.generation) return; // closed while it was read
        throw error;
      }
      if (generation !== this.generation) return;
      const now = performance.now();
      const kbps = last === null ? null : (8 * (figures.bytesReceived - last.bytes)) / (now - last.ms);
      last = { bytes: figures.bytesReceived, ms: now };
      this.showFigures(figures, kbps);
    }, 1000);
  }

  close() {
    this.generation += 1;
    clearInterval(this.timer);
    if (this.session !== null) void this.session.stop();
    this.session = null;
    this.panel.hidden = true;
    delete this.panel.dataset.stream;
    this.panel.querySelector('.picture').replaceChildren();
  }

  show(state, words) {
    this.panel.dataset.state = state;
    this.panel.querySelector('[data-player="status"]').textContent = words;
  }

  /** `figures`: whepFigures' reading, null before the first; `kbps`: null before the second. */
  showFigures(figures, kbps) {
    const shown = {
      kbps: text(kbps),
      rtt: text(figures?.rttMs, 1),
      frames: text(figures?.framesDecoded),
      lost: text(figures?.packetsLost),
      size: figures?.width > 0 ? `${figures.width}x${figures.height}` : '-',
    };
    for (const [name, value] of Object.entries(shown))
      this.panel.querySelector(`[data-figure="${name}"]`).textContent = value;
  }
}

function startPlayer() {
  const player = new Player(document.getElementById('player'));
  document.querySelector('#streams tbody').addEventListener('click', (event) => {
    const button = event.target.closest('button[data-watch]');
    if (button === null) return;
    void player.open(button.dataset.watch);
    markWatching(player.stream);
  });
  document.querySelector('#player [data-action="close"]').addEventListener('click', () => {
    player.close();
    markWatching(null);
  });
  window.addEventListener('pagehide', () => player.close());
  return player;
}

async function start() {
  const player = startPlayer();
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
  let nowS = 0;
  // One update at a time, in order: a slow render never interleaves two.
  const draw = (points, replace) => {
    updating = updating.then(() =>
      Promise.all(Object.entries(charts).map(([name, chart]) => chart.add(points[name] ?? [], nowS, replace))),
    );
  };
  events.addEventListener('history', (event) => draw(JSON.parse(event.data), true));
  events.addEventListener('points', (event) => draw(JSON.parse(event.data), false));
  events.addEventListener('streams', (event) => {
    const snapshot = JSON.parse(event.data);
    nowS = snapshot.t_s;
    document.getElementById('clock').textContent = `${snapshot.t_s.toFixed(0)} s since start`;
    fillStreams(snapshot.streams);
    markWatching(player.stream);
    fillViewers(snapshot.streams);
  });
}

start().catch((error) => {
  const connection = document.getElementById('connection');
  connection.dataset.state = 'lost';
  connection.textContent = `cannot start: ${error.message}`;
  throw error;
});
