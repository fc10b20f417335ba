// HTTP budget: six streams with a viewer each; the supervisor's CPU with nobody on the HTTP side,
// then with the dashboard open in headless Chromium and /metrics scraped every second (as
// Prometheus would), then with nobody again. Prints the rise against the mean of the two quiet
// phases. Budget: under 2 % of one core.
//   npm run bench:http [-- --seconds 30]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { cpuPercent, sampleProcess } from '../src/metrics/process-stats.ts';
import { round } from '../src/metrics/round.ts';
import { ffmpegViewer } from './lib/ffmpeg-viewer.ts';
import { launchChromium } from './lib/chromium.ts';
import { startServer } from './lib/server.ts';
import { saveBenchResults } from './lib/save-results.ts';

const PORT = 18854;
const HTTP = 18880;
const MOUNTS = 6;
const WARMUP_S = 20;
const SCRAPE_MS = 1_000;
const { values } = parseArgs({ options: { seconds: { type: 'string', default: '30' } } });
const phaseS = Number(values.seconds);
if (!(phaseS >= 10)) throw new TypeError(`--seconds must be at least 10, got ${JSON.stringify(values.seconds)}`);

const out = mkdtempSync(join(tmpdir(), 'bench-http-'));
const server = startServer(['--port', String(PORT), '--http', String(HTTP), '--out', out, '--quiet']);
await server.waitForOutput(/RTSP server ready/, 120_000);
const totalS = WARMUP_S + 3 * phaseS + 30;
const viewers = Array.from({ length: MOUNTS }, (_, i) =>
  ffmpegViewer(`rtsp://127.0.0.1:${PORT}/video${i + 1}`, { seconds: totalS }),
);
const pid = server.process.pid!;

async function supervisorCpu(seconds: number): Promise<number> {
  const before = sampleProcess(pid);
  await sleep(seconds * 1000);
  return cpuPercent(before, sampleProcess(pid));
}

await sleep(WARMUP_S * 1000);
const quietBefore = await supervisorCpu(phaseS);

const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
await page.goto(`http://127.0.0.1:${HTTP}/`, { waitUntil: 'load' });
await page.waitForSelector('#connection[data-state="open"]');
let scrapes = 0;
let scrapeBytes = 0;
const scraper = setInterval(() => {
  void fetch(`http://127.0.0.1:${HTTP}/metrics`).then(async (response) => {
    scrapeBytes += (await response.text()).length;
    scrapes += 1;
  });
}, SCRAPE_MS);
const watched = await supervisorCpu(phaseS);
const chartPoints = await page.$$eval('figure[data-chart]', (figures) =>
  figures.map((figure) => Number(figure.getAttribute('data-points'))),
);
clearInterval(scraper);
await browser.close();

const quietAfter = await supervisorCpu(phaseS);
server.process.kill('SIGTERM');
await server.process;
for (const viewer of viewers) viewer.kill('SIGTERM');
await Promise.all(viewers);

const quiet = (quietBefore + quietAfter) / 2;
const results = {
  date: new Date().toISOString(),
  phase_s: phaseS,
  streams: MOUNTS,
  supervisor_cpu_pct_quiet_before: round(quietBefore, 2),
  supervisor_cpu_pct_watched: round(watched, 2),
  supervisor_cpu_pct_quiet_after: round(quietAfter, 2),
  rise_pct_of_one_core: round(watched - quiet, 2),
  scrapes,
  scrape_kib: round(scrapeBytes / Math.max(1, scrapes) / 1024, 1),
  dashboard_chart_points: chartPoints,
};
console.log(results);
console.log(
  `budget: the supervisor's CPU rises by under 2 % of one core: ${results.rise_pct_of_one_core < 2 ? 'met' : 'NOT met'} (${results.rise_pct_of_one_core} %)`,
);
saveBenchResults('http', results);
