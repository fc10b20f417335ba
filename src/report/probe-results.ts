// What probes (`npm run probe`, the bench's viewers) saw of a run's mounts: `probes.json` in the
// run directory, written by whoever ran them, shown in report.html when present.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const PROBE_RESULTS_FILE = 'probes.json';

export interface ProbeResult {
  /** Which viewer: the bench's variant name, or the URL. */
  name: string;
  mount: string;
  client: string;
  transport: string | null;
  frames_decoded: number;
  frames_unique_pct: number | null;
  e2e_delay_p50_ms: number | null;
  e2e_delay_p95_ms: number | null;
  stall_count: number;
  stall_s: number;
  ssim_mean: number | null;
  psnr_mean_db: number | null;
}

export function writeProbeResults(runDir: string, results: readonly ProbeResult[]): void {
  writeFileSync(join(runDir, PROBE_RESULTS_FILE), `${JSON.stringify(results, null, 2)}\n`);
}

/** The run's probe results; none when the file is absent. A file that is not a list of them is an
 *  error that names it. */
export function readProbeResults(runDir: string): ProbeResult[] {
  const path = join(runDir, PROBE_RESULTS_FILE);
  if (!existsSync(path)) return [];
  const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (!Array.isArray(parsed) || !parsed.every((row) => typeof row === 'object' && row !== null && typeof (row as ProbeResult).name === 'string' && typeof (row as ProbeResult).frames_decoded === 'number')) {
    throw new Error(`${path}: not a list of probe results`);
  }
  return parsed as ProbeResult[];
}
