// The NDJSON writer keeps whole lines only, whatever the disk does.
import assert from 'node:assert/strict';
import { ftruncateSync, mkdtempSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { execa } from 'execa';
import { openNdjsonWriter, type NdjsonFs } from '../src/metrics/ndjson-writer.ts';

function enospc(): NodeJS.ErrnoException {
  return Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
}

/** Writes normally until `budget` bytes, then half of what is asked once, then ENOSPC. */
function fullAfter(budget: number): NdjsonFs {
  let left = budget;
  return {
    write(fd, buffer, offset) {
      const wanted = buffer.length - offset;
      if (left <= 0) throw enospc();
      const n = Math.min(wanted, left, Math.ceil(wanted / 2));
      left -= n;
      return writeSync(fd, buffer, offset, n);
    },
    truncate: (fd, length) => ftruncateSync(fd, length),
    links: () => 1,
  };
}

const parseLines = (text: string) =>
  text
    .split('\n')
    .slice(0, -1)
    .map((line) => JSON.parse(line) as { i: number });

describe('NDJSON writer on a full disk', () => {
  it('undoes a partial write: the file ends with a whole line, one error names the file', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ndjson-')), 'metrics.ndjson');
    const errors: string[] = [];
    const writer = openNdjsonWriter(path, { fs: fullAfter(300), onError: (error) => errors.push(error.message) });
    for (let i = 0; i < 10; i += 1) writer.append({ i });
    writer.flush(); // about 80 bytes: fits
    for (let i = 10; i < 100; i += 1) writer.append({ i, padding: 'x'.repeat(20) });
    writer.flush(); // cut short, then ENOSPC
    writer.append({ i: 1000 });
    writer.flush();
    writer.close();
    const text = readFileSync(path, 'utf8');
    assert.ok(text.endsWith('\n'), 'no half line at the end');
    assert.deepEqual(
      parseLines(text).map((record) => record.i),
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    );
    assert.equal(errors.length, 1, errors.join('\n'));
    assert.match(
      errors[0]!,
      new RegExp(
        `could not append to ${path}: ENOSPC.*recording stopped, the ${text.length} bytes written so far are kept`,
      ),
    );
  });

  it('reports once when its folder is removed mid-run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ndjson-'));
    const errors: string[] = [];
    const writer = openNdjsonWriter(join(dir, 'metrics.ndjson'), { onError: (error) => errors.push(error.message) });
    writer.append({ i: 0 });
    writer.flush();
    rmSync(dir, { recursive: true });
    for (let i = 1; i < 5; i += 1) {
      writer.append({ i });
      writer.flush();
    }
    writer.close();
    assert.equal(errors.length, 1, errors.join('\n'));
    assert.match(
      errors[0]!,
      /could not append to .*metrics\.ndjson: the file or its folder was removed; recording stopped/,
    );
  });

  it(
    'on a real 64 KiB tmpfs: fills it, keeps whole lines, reports once',
    { skip: process.getuid?.() !== 0 && 'mounting a tmpfs needs root' },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ndjson-tmpfs-'));
      await execa('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir]);
      try {
        const path = join(dir, 'metrics.ndjson');
        const errors: string[] = [];
        const writer = openNdjsonWriter(path, { onError: (error) => errors.push(error.message) });
        for (let batch = 0; batch < 50; batch += 1) {
          for (let i = 0; i < 100; i += 1) writer.append({ i: batch * 100 + i, padding: 'y'.repeat(37) });
          writer.flush();
        }
        writer.close();
        const text = readFileSync(path, 'utf8');
        const records = parseLines(text);
        assert.ok(records.length > 500, `${records.length} records kept`);
        assert.deepEqual(
          records.map((record) => record.i),
          records.map((_, i) => i),
          'records in order, none missing before the failure',
        );
        assert.ok(text.endsWith('\n'));
        assert.equal(errors.length, 1);
        assert.match(errors[0]!, /ENOSPC/);
      } finally {
        await execa('umount', [dir]);
      }
    },
  );
});
