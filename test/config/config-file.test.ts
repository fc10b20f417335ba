import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readConfigFile } from '../../src/config/config-file.ts';
import { UsageError } from '../../src/config/usage-error.ts';
import { runCli } from '../../scripts/lib/server.ts';

const dir = mkdtempSync(join(tmpdir(), 'config-file-'));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('--config FILE', () => {
  it('reads YAML and JSON mappings as they are', () => {
    assert.deepEqual(
      readConfigFile(file('a.yaml', 'port: 554\nstatic-bitrate: 3000\nvideos:\n  - a.mp4\n  - b.mp4\n')),
      { port: 554, 'static-bitrate': 3000, videos: [join(dir, 'a.mp4'), join(dir, 'b.mp4')] },
    );
    assert.deepEqual(readConfigFile(file('b.json', '{"http": 0, "maxBitrate": 5000}')), { http: 0, maxBitrate: 5000 });
    assert.deepEqual(readConfigFile(file('empty.yaml', '')), {});
  });

  it("resolves its videos and out against its own folder, whatever the process's", () => {
    const mapping = readConfigFile(
      file(
        'paths.yaml',
        'out: runs\nvideos:\n  - hd.mp4\n  - forest=woods/forest.mp4\n  - { name: gate, file: gate.mp4 }\n  - /abs/c.mp4\n',
      ),
    );
    assert.deepEqual(mapping, {
      out: join(dir, 'runs'),
      videos: [
        join(dir, 'hd.mp4'),
        { name: 'forest', file: join(dir, 'woods/forest.mp4') },
        { name: 'gate', file: join(dir, 'gate.mp4') },
        '/abs/c.mp4',
      ],
    });
  });

  it('names the file and what is wrong: missing, not YAML, not a mapping', () => {
    const cases: Array<[string, RegExp]> = [
      [join(dir, 'missing.yaml'), /--config .*missing\.yaml: cannot be read \(ENOENT/],
      [file('broken.yaml', 'port: [\n'), /--config .*broken\.yaml: not YAML or JSON/],
      [file('list.yaml', '- 1\n- 2\n'), /--config .*list\.yaml: must be a mapping .* got a list/],
      [file('scalar.json', '42'), /--config .*scalar\.json: must be a mapping .* got number/],
    ];
    for (const [path, message] of cases) {
      assert.throws(
        () => readConfigFile(path),
        (error: unknown) => error instanceof UsageError && message.test(error.message),
        path,
      );
    }
  });

  it('through the CLI: an unknown key is a usage error, and a flag wins over the file', async () => {
    const unknown = await runCli(['--config', file('typo.yaml', 'static-bitrat: 3000\n')]);
    assert.equal(unknown.exitCode, 2);
    assert.match(unknown.all ?? '', /Unknown arguments?: static-bitrat/);
    const broken = await runCli(['--config', join(dir, 'missing.yaml')]);
    assert.equal(broken.exitCode, 2);
    assert.match(broken.all ?? '', /--config .*missing\.yaml: cannot be read/);
    // Both the file's and the flag's values are bad in a different way: the message says which won.
    const flagWins = await runCli([
      '--config',
      file('bitrates.yaml', 'min-bitrate: 400\nstart-bitrate: 500\n'),
      '--start-bitrate',
      '350',
    ]);
    assert.equal(flagWins.exitCode, 2);
    assert.match(flagWins.all ?? '', /need --min-bitrate <= --start-bitrate <= --max-bitrate, got 400 <= 350 <= 8000/);
  });
});
