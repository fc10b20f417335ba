// The helper's fuzz targets (native/fuzz/: libFuzzer with ASan and UBSan, on what viewers send):
// `make -C native fuzz` builds them, then all run at once for FUZZ_SECONDS, each from a copy of its
// committed seed corpus (native/fuzz/corpus/NAME/, so the repo is not written to). Each prints what
// it covered; a crash, a leak, a hang or a broken check fails it, its input saved in
// test-artifacts/fuzz/NAME/.
// run-tests: early (about 40 s)
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { setPriority, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { execa } from 'execa';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NATIVE = join(REPO_ROOT, 'native');
const ARTIFACTS = join(REPO_ROOT, 'test-artifacts', 'fuzz');
/** All targets run at once on two cores: about 30 s of the suite's wall time. FUZZ_SECONDS=600
 * runs them longer. */
const FUZZ_SECONDS = Number(process.env['FUZZ_SECONDS'] ?? 25);
const NICENESS = 10;
/** One input taking longer is a hang (libFuzzer saves it as timeout-*). */
const INPUT_TIMEOUT_S = 5;

assert.ok(
  Number.isInteger(FUZZ_SECONDS) && FUZZ_SECONDS > 0,
  `FUZZ_SECONDS must be a positive integer, not ${process.env['FUZZ_SECONDS']}`,
);

const TARGETS = readdirSync(join(NATIVE, 'fuzz'))
  .filter((name) => /^fuzz-[\w-]+\.c$/.test(name))
  .map((name) => name.slice(0, -2))
  .sort();

/** What libFuzzer's last status line and final stats say. */
interface FuzzStats {
  cov: number;
  ft: number;
  corpus: number;
  runs: number;
  execsPerSecond: number;
}

function fuzzStats(stderr: string): FuzzStats | undefined {
  const done = [...stderr.matchAll(/^#(\d+)\s+DONE\s+cov: (\d+) ft: (\d+) corp: (\d+)\//gm)].at(-1);
  const execs = /^stat::average_exec_per_sec:\s+(\d+)$/m.exec(stderr);
  if (!done || !execs) return undefined;
  return {
    runs: Number(done[1]),
    cov: Number(done[2]),
    ft: Number(done[3]),
    corpus: Number(done[4]),
    execsPerSecond: Number(execs[1]),
  };
}

function tail(text: string, lines: number): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** The finding's report: from the sanitizer's or the failed check's first line, without ASan's
 * shadow memory dump; libFuzzer's last lines when there is none. */
function findingReport(stderr: string): string {
  const lines = stderr.trimEnd().split('\n');
  const start = lines.findIndex((line) =>
    /ERROR: |runtime error: |check failed: |DEADLYSIGNAL|==\d+== ?ERROR/.test(line),
  );
  if (start < 0) return tail(stderr, 40);
  const report = lines
    .slice(start)
    .filter(
      (line) =>
        !/^(Shadow byte|=>0x| {2}(0x[0-9a-f]+: |[A-Z].*: +[0-9a-f]{2}\b|Addressable|Partially|Heap |Freed|Stack |Global|Poisoned|Container|Array|Intra|ASan|Left|Right))/.test(
          line,
        ),
    );
  return report.slice(0, 60).join('\n');
}

describe('fuzz targets (make -C native fuzz)', { concurrency: true }, () => {
  let workDir = '';

  before(async () => {
    assert.ok(TARGETS.length > 0, 'no native/fuzz/fuzz-*.c');
    const make = await execa('make', ['-s', '-j2', '-C', NATIVE, 'fuzz'], { reject: false, all: true });
    assert.equal(
      make.exitCode,
      0,
      `make -C native fuzz failed (exit ${make.exitCode}); it needs clang and libclang-rt-14-dev (npm test's bootstrap installs them):\n${make.all}`,
    );
    workDir = mkdtempSync(join(tmpdir(), 'native-fuzz-'));
  });

  after(() => {
    if (workDir !== '') rmSync(workDir, { recursive: true, force: true });
    // Nothing found: no empty folder left behind.
    if (existsSync(ARTIFACTS) && readdirSync(ARTIFACTS).length === 0) rmSync(ARTIFACTS, { recursive: true });
  });

  for (const target of TARGETS) {
    it(
      `${target} finds nothing in ${FUZZ_SECONDS} s from its seed corpus`,
      { timeout: (FUZZ_SECONDS + 60) * 1000 },
      async (t) => {
        const corpus = join(workDir, target);
        cpSync(join(NATIVE, 'fuzz', 'corpus', target), corpus, { recursive: true });
        const artifacts = join(ARTIFACTS, target);
        rmSync(artifacts, { recursive: true, force: true });
        mkdirSync(artifacts, { recursive: true });

        const fuzzer = execa(
          join(NATIVE, 'build', 'fuzz', target),
          [
            `-max_total_time=${FUZZ_SECONDS}`,
            `-timeout=${INPUT_TIMEOUT_S}`,
            '-print_final_stats=1',
            `-artifact_prefix=${artifacts}/`,
            corpus,
          ],
          {
            reject: false,
            // GLib 2.74's slice allocator would hide GstBuffers and the like from ASan.
            env: { G_SLICE: 'always-malloc' },
            // A hang outside any one input (libFuzzer's own -timeout covers those).
            timeout: (FUZZ_SECONDS + 45) * 1000,
          },
        );
        // Bounded by the clock, not by work: at a lower priority the fuzzers only take the CPU that
        // the test files running beside them leave.
        try {
          if (fuzzer.pid !== undefined) setPriority(fuzzer.pid, NICENESS);
        } catch {
          // Already gone (a crash on a seed): its result says why.
        }
        const run = await fuzzer;
        const stats = fuzzStats(run.stderr);
        const executed = /^stat::number_of_executed_units:\s+(\d+)$/m.exec(run.stderr)?.[1];
        t.diagnostic(
          stats
            ? `${target}: cov ${stats.cov}, ft ${stats.ft}, corpus ${stats.corpus}, ${stats.runs} runs, ${stats.execsPerSecond} exec/s`
            : `${target}: stopped after ${executed ?? 'an unknown number of'} runs`,
        );
        const found = readdirSync(artifacts);
        if (run.exitCode === 0 && found.length === 0) {
          rmSync(artifacts, { recursive: true, force: true });
        }
        const saved = found.map((name) => relative(REPO_ROOT, join(artifacts, name)));
        assert.ok(
          run.exitCode === 0 && found.length === 0,
          `${target} failed (exit ${run.exitCode}${run.timedOut ? ', killed after its deadline' : ''}); input saved: ${saved.join(', ') || 'none'}\n` +
            `reproduce: native/build/fuzz/${target} ${saved[0] ?? ''}\n${findingReport(run.stderr)}`,
        );
        assert.ok(stats, `${target} printed no final stats:\n${tail(run.stderr, 20)}`);
      },
    );
  }
});
