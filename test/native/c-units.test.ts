// The helper's C unit tests (native/tests/: the pure modules, GLib's g_test, built with
// AddressSanitizer and UBSan): `make -C native check` builds and runs every test program. Each
// program is a subtest here, failing with its own output (a failed assertion, a sanitizer report).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { it } from 'node:test';
import { execa } from 'execa';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NATIVE = join(REPO_ROOT, 'native');

/** One test program's part of `make check`'s output (tests/run-tests.sh heads each with its path). */
interface ProgramRun {
  name: string;
  output: string;
  passed: number;
  failed: number;
}

/** Splits run-tests.sh's output at its `# build/check/test-NAME` heads. */
function programRuns(output: string): ProgramRun[] {
  const runs: ProgramRun[] = [];
  let current: ProgramRun | undefined;
  for (const line of output.split('\n')) {
    const head = /^# (?:.*\/)?(test-[\w-]+)$/.exec(line);
    if (head) {
      current = { name: head[1]!, output: '', passed: 0, failed: 0 };
      runs.push(current);
      continue;
    }
    if (current === undefined || /^check: /.test(line)) continue;
    current.output += `${line}\n`;
    if (/^ok /.test(line)) current.passed++;
    if (/^not ok /.test(line)) current.failed++;
  }
  return runs;
}

it('make -C native check: every C unit test passes under ASan and UBSan', { timeout: 300_000 }, async (t) => {
  const make = await execa('make', ['-s', '-j2', '-C', NATIVE, 'check'], { reject: false, all: true });
  const output = make.all ?? '';
  const runs = programRuns(output);
  const summary = /^check: (\d+) passed, (\d+) failed$/m.exec(output);
  t.diagnostic(summary ? `${runs.length} programs: ${summary[1]} passed, ${summary[2]} failed` : 'no summary line');
  assert.ok(runs.length > 0, `make -C native check ran no test program (exit ${make.exitCode}):\n${output}`);
  for (const run of runs) {
    await t.test(`${run.name} (${run.passed + run.failed} tests)`, () => {
      // A crash or a failed g_assert ends a program before its "not ok"; the exit status tells.
      const broken = new RegExp(`\\b${run.name}\\(exit \\d+\\)`).test(output);
      assert.ok(run.failed === 0 && !broken && run.passed > 0, `${run.name} failed:\n${run.output}`);
    });
  }
  assert.equal(make.exitCode, 0, `make -C native check failed (exit ${make.exitCode}):\n${output}`);
});
