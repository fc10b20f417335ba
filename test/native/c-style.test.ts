// The helper's C in GStreamer's style: `make -C native indent-check` runs GNU indent with
// gst-indent's options over every .c and fails on any difference (fix: make -C native indent).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const NATIVE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'native');

describe("the helper's C style (native/tools/gst-indent)", () => {
  it('leaves every .c file as it is', () => {
    const run = spawnSync('make', ['-s', '-C', NATIVE, 'indent-check'], { encoding: 'utf8' });
    assert.equal(
      run.status,
      0,
      `make -C native indent-check exited ${run.status ?? run.signal}:\n${run.stdout}${run.stderr}`,
    );
  });

  it('fails on a file out of style, showing the difference, and changes nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'c-style-'));
    try {
      const file = join(dir, 'tabs.c');
      const text = 'int\nf(int x){\n\tif(x) return 1;\n\treturn 0;\n}\n';
      writeFileSync(file, text);
      const run = spawnSync(join(NATIVE, 'tools', 'gst-indent'), ['--check', file], { encoding: 'utf8' });
      assert.equal(run.status, 1, run.stderr);
      assert.match(run.stdout, /^\+f \(int x\)$/m);
      assert.match(run.stderr, /1 file\(s\) not in GStreamer's style/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
