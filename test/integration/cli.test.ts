// The CLI's answers to bad command lines and bad inputs: clear words, the right exit code.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT, runCli } from '../../scripts/lib/server.ts';
import { portsOf } from '../support/ports.ts';

const PORTS = portsOf(import.meta.url);

describe('CLI validation', () => {
  it('rejects an unknown option with exit code 2', async () => {
    const result = await runCli(['--bogus', '1']);
    assert.equal(result.exitCode, 2);
    assert.match(result.all, /Unknown argument: bogus/);
    assert.match(result.all, /--help/);
  });

  it('rejects bad numbers and repeated flags, quoting what was typed', async () => {
    const port = await runCli(['--port', 'abc']);
    assert.equal(port.exitCode, 2);
    assert.match(port.all, /--port must be a whole number from 1 to 65535, got 'abc'/);
    const kilo = await runCli(['--static-bitrate', '5k']);
    assert.match(kilo.all, /--static-bitrate must be a whole number from 50 to 100000, got '5k'/);
    const twice = await runCli(['--port', String(PORTS.at(2)), '--port', String(PORTS.at(3))]);
    assert.equal(twice.exitCode, 2);
    assert.match(twice.all, new RegExp(`--port was given 2 times \\(${PORTS.at(2)} ${PORTS.at(3)}\\); give it once`));
    const noFile = await runCli(['--videos']);
    assert.equal(noFile.exitCode, 2);
    assert.match(noFile.all, /--videos needs at least one file/);
    const bitrates = await runCli(['--min-bitrate', '9000']);
    assert.equal(bitrates.exitCode, 2);
    assert.match(bitrates.all, /--min-bitrate <= --start-bitrate <= --max-bitrate, got 9000 <= 800 <= 8000/);
  });

  it('says its name and version', async () => {
    const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    const result = await runCli(['--version']);
    assert.equal(result.exitCode, 0);
    assert.equal(result.stdout.trim(), `abr-rtsp-server ${version}`);
  });

  it('prints grouped help and exits 0', async () => {
    const result = await runCli(['--help']);
    assert.equal(result.exitCode, 0);
    for (const group of ['Serving:', 'Encoding:', 'Output:']) assert.match(result.all, new RegExp(group));
    assert.match(result.all, /--static-bitrate .*\[default: 5000\]/);
  });

  it('exits 1 naming each file when no input is playable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-test-'));
    const text = join(dir, 'notes.mp4');
    writeFileSync(text, 'this is not a video\n');
    const missing = join(dir, 'missing.mp4');
    const result = await runCli(['--videos', missing, text, '--port', String(PORTS.at(0)), '--out', join(dir, 'out')]);
    assert.equal(result.exitCode, 1);
    assert.match(result.all, new RegExp(`${missing}: .*not`));
    assert.match(result.all, new RegExp(`${text}: `));
    assert.match(result.all, /no playable video/);
  });

  it('exits 1 with a clear error when the public port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(PORTS.at(1), '127.0.0.1', resolve));
    try {
      const dir = mkdtempSync(join(tmpdir(), 'cli-test-'));
      const result = await runCli(['--port', String(PORTS.at(1)), '--out', join(dir, 'out')]);
      assert.equal(result.exitCode, 1);
      assert.match(result.all, new RegExp(`${PORTS.at(1)} \\(EADDRINUSE\\).*--port`));
    } finally {
      blocker.close();
    }
  });
});
