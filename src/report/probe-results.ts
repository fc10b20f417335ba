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

export interface ProbeResultsRead {
  probes: ProbeResult[];
  /** Why probes.json, present, could not be used (it names the file); its figures are then not shown. */
  problem?: string;
}

/** The run's probe results; none when the file is absent. A file that is not a list of them is
 *  named as the problem, and the rest of the report is written without it. */
export function readProbeResults(runDir: string): ProbeResultsRead {
  const path = join(runDir, PROBE_RESULTS_FILE);
  if (!existsSync(path)) return { probes: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    return { probes: [], problem: `${path}: not JSON (${(error as Error).message})` };
  }
  if (
    !Array.isArray(parsed) ||
    !parsed.every(
      (row) =>
        typeof row === 'object' &&
        row !== null &&
        typeof (row as ProbeResult).name === 'string' &&
        typeof (row as ProbeResult).frames_decoded === 'number',
    )
  ) {
    return { probes: [], problem: `${path}: not a list of probe results` };
  }
  return { probes: parsed as ProbeResult[] };
}
