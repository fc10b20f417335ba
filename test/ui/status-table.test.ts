import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatStatusLines, formatStatusTable, type StreamStatus } from '../../src/ui/status-table.ts';

const base: StreamStatus = {
  name: 'video1',
  mode: 'static',
  state: 'running',
  viewers: 0,
  targetsKbps: [5000],
  sentKbps: undefined,
  fps: undefined,
  latencyMs: undefined,
  rttMs: undefined,
  lossPct: undefined,
  silentViewers: 0,
  signals: [],
  helperExitCount: 0,
  lastExit: undefined,
  source: undefined,
};

describe('status table', () => {
  it('aligns one row per stream and says when viewers have not reported', () => {
    const table = formatStatusTable([
      base,
      {
        ...base,
        name: 'video2',
        mode: 'dynamic',
        viewers: 2,
        sentKbps: 1810.4,
        fps: 30,
        latencyMs: 2.26,
        silentViewers: 2,
        signals: ['tcp-queue', 'twcc'],
      },
      {
        ...base,
        name: 'video3',
        viewers: 3,
        rttMs: 123.45,
        lossPct: 2.5,
        silentViewers: 1,
        state: 'restarting',
        signals: ['rr 5.0 s'],
      },
    ]);
    const lines = table.split('\n');
    assert.equal(lines.length, 4);
    assert.match(
      lines[0]!,
      /^stream\s+mode\s+state\s+viewers\s+bitrate kbit\/s \(target\/sent\)\s+fps\s+latency ms\s+RTT ms\s+loss %\s+signal\s+helper exits$/,
    );
    assert.match(lines[1]!, /^video1\s+static\s+running\s+0\s+5000\/-\s+-\s+-\s+-\s+-\s+-\s+-$/);
    assert.match(lines[2]!, /5000\/1810\s+30\.0\s+2\.3\s+no reports\s+-\s+tcp-queue, twcc\s+-$/);
    assert.match(lines[3]!, /restarting .* 123\.5 \(\+1 silent\)\s+2\.5\s+rr 5\.0 s\s+-$/);
    assert.equal(
      new Set(
        lines.map((line) =>
          line.indexOf('mode') >= 0
            ? line.indexOf('mode')
            : line.indexOf('static') >= 0
              ? line.indexOf('static')
              : line.indexOf('dynamic'),
        ),
      ).size,
      1,
    );
  });

  it('prints plain lines when not on a terminal', () => {
    assert.equal(
      formatStatusLines([{ ...base, viewers: 1, silentViewers: 1 }], 12.3),
      '[12 s] video1 running viewers=1 kbps=5000/- fps=- latency_ms=- rtt_ms=- silent_viewers=1 loss_pct=- signal=- helper_exits=-',
    );
    assert.match(
      formatStatusLines([{ ...base, viewers: 2, rttMs: 1.52, silentViewers: 1, signals: ['rr 448 ms', 'twcc'] }], 1),
      / rtt_ms=1\.5 silent_viewers=1 loss_pct=- signal="rr 448 ms, twcc" /,
    );
  });

  it('shows a helper that keeps ending: how often, how the last end came, and the client of the request its crash named', () => {
    const crashed: StreamStatus = {
      ...base,
      state: 'failing',
      helperExitCount: 20,
      lastExit: {
        tMs: 9000,
        exit: 'SIGABRT',
        lastExit: 'was killed by SIGABRT',
        request: { serving: true, clientId: 4, address: '127.0.0.1', port: 34070, method: 'SETUP' },
      },
    };
    const [header, row] = formatStatusTable([
      crashed,
      {
        ...base,
        name: 'video2',
        helperExitCount: 1,
        lastExit: { tMs: 1, exit: 'code_3', lastExit: 'exited with code 3' },
      },
    ]).split('\n');
    assert.match(header!, /signal\s+helper exits$/);
    assert.match(row!, /^video1\s+static\s+failing\s+.*-\s+20, last SIGABRT from 127\.0\.0\.1:34070$/);
    assert.match(formatStatusLines([crashed], 1), / helper_exits="20, last SIGABRT from 127\.0\.0\.1:34070"$/);
    assert.match(
      formatStatusTable([
        { ...base, helperExitCount: 1, lastExit: { tMs: 1, exit: 'code_3', lastExit: 'exited with code 3' } },
      ]),
      /1, last code_3$/,
    );
  });
});
