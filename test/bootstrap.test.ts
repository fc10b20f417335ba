// The decisions of scripts/bootstrap/ (pure), on fake dpkg databases and lockfiles; and the
// command runner's error facts.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { missingPackages, parseDpkgStatus, parseProvides, readInstalledPackages } from '../scripts/bootstrap/dpkg.mjs';
import { buildEnv, decideNpm, lockfilesMatch, sha256 } from '../scripts/bootstrap/npm-deps.mjs';
import { requiredPackages } from '../scripts/bootstrap/packages.mjs';
import { BootstrapError, formatCommand, run } from '../scripts/bootstrap/run.mjs';
import { aptListsEmpty, planSystemPackages } from '../scripts/bootstrap/system-packages.mjs';

const ROOT = new URL('..', import.meta.url).pathname;

const STATUS = `Package: ffmpeg
Status: install ok installed
Priority: optional
Version: 7:5.1.9-0+deb12u1
Description: Tools for transcoding
 Status: install ok installed
 Package: fake-from-description

Package: libjpeg62-turbo-dev
Status: install ok installed
Architecture: amd64
Provides: libjpeg-dev (= 1:2.1.5-2), libjpeg8-dev
Version: 1:2.1.5-2

Package: gstreamer1.0-libav
Status: deinstall ok config-files
Version: 1.22.0-2

Package: chromium
Status: install ok half-configured
Version: 156.0

Package: pkg-config
Status: hold ok installed
Version: 1.8.1-1

Package: iproute2
Status: install reinstreq installed
Version: 6.1.0-3

Package: libc6
Status: install ok installed
Architecture: amd64

Package: libc6
Status: install ok installed
Architecture: i386
`;

describe('dpkg status', () => {
  it('counts `<want> ok installed` packages and what they provide', () => {
    assert.deepEqual([...parseDpkgStatus(STATUS)].sort(), [
      'ffmpeg',
      'libc6',
      'libjpeg-dev',
      'libjpeg62-turbo-dev',
      'libjpeg8-dev',
      'pkg-config',
    ]);
  });

  it('computes the missing packages in the order required', () => {
    const installed = parseDpkgStatus(STATUS);
    assert.deepEqual(
      missingPackages(['chromium', 'ffmpeg', 'gstreamer1.0-libav', 'libjpeg-dev', 'iproute2', 'pkg-config'], installed),
      ['chromium', 'gstreamer1.0-libav', 'iproute2'],
    );
  });

  it('parses Provides with versions and arch qualifiers', () => {
    assert.deepEqual(parseProvides(' a (= 1.0), b, c:any , d(>=2)'), ['a', 'b', 'c', 'd']);
    assert.deepEqual(parseProvides(''), []);
  });

  it('reads a status file, and says undefined when there is none (not Debian)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dpkg-test-'));
    try {
      writeFileSync(join(dir, 'status'), STATUS);
      assert.ok(readInstalledPackages(join(dir, 'status'))?.has('ffmpeg'));
      assert.equal(readInstalledPackages(join(dir, 'missing')), undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("parses this machine's database", { skip: readInstalledPackages() === undefined && 'no dpkg' }, () => {
    assert.ok(readInstalledPackages()?.has('dpkg'));
  });
});

describe('required packages', () => {
  it('only `--for test` brings chromium', () => {
    assert.ok(requiredPackages('test').includes('chromium'));
    assert.ok(!requiredPackages('start').includes('chromium'));
    for (const name of [
      'gstreamer1.0-rtsp',
      'libgstrtspserver-1.0-dev',
      'gstreamer1.0-plugins-base-apps',
      'libcairo2-dev',
    ]) {
      assert.ok(requiredPackages('start').includes(name), name);
    }
  });

  it("only `--for test` brings clang and its libFuzzer runtime (the helper's fuzz targets) and GNU indent (its style check)", () => {
    for (const name of ['clang', 'libclang-rt-14-dev', 'indent']) {
      assert.ok(requiredPackages('test').includes(name), name);
      assert.ok(!requiredPackages('start').includes(name), name);
    }
  });
});

describe('planSystemPackages', () => {
  it('does nothing when nothing is missing', () => {
    assert.deepEqual(planSystemPackages({ missing: [], isRoot: false, listsEmpty: true }), { action: 'none' });
  });

  it('as root installs without recommends, updating first only when apt has no lists', () => {
    const plan = planSystemPackages({ missing: ['ffmpeg', 'chromium'], isRoot: true, listsEmpty: false });
    assert.deepEqual(plan, {
      action: 'install',
      missing: ['ffmpeg', 'chromium'],
      updateFirst: false,
      install: ['apt-get', 'install', '-y', '--no-install-recommends', 'ffmpeg', 'chromium'],
      update: ['apt-get', 'update'],
    });
    const fresh = planSystemPackages({ missing: ['ffmpeg'], isRoot: true, listsEmpty: true });
    assert.equal(fresh.action === 'install' && fresh.updateFirst, true);
  });

  it('as another user gives the exact command to run', () => {
    assert.deepEqual(planSystemPackages({ missing: ['ffmpeg', 'pkg-config'], isRoot: false, listsEmpty: false }), {
      action: 'ask-root',
      missing: ['ffmpeg', 'pkg-config'],
      command: 'sudo apt-get update && sudo apt-get install -y --no-install-recommends ffmpeg pkg-config',
    });
  });

  it('sees empty apt lists', () => {
    const dir = mkdtempSync(join(tmpdir(), 'apt-lists-'));
    try {
      assert.equal(aptListsEmpty(dir), true);
      writeFileSync(join(dir, 'deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4'), '');
      assert.equal(aptListsEmpty(dir), false);
      assert.equal(aptListsEmpty(join(dir, 'missing')), true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('npm staleness', () => {
  const lock = {
    lockfileVersion: 3,
    packages: {
      '': { name: 'x' },
      'node_modules/execa': { version: '9.6.1', integrity: 'sha512-A' },
      'node_modules/@esbuild/linux-x64': { version: '0.28.2', optional: true },
      'node_modules/@esbuild/darwin-arm64': { version: '0.28.2', optional: true },
    },
  };
  const hidden = {
    packages: {
      'node_modules/execa': { version: '9.6.1', integrity: 'sha512-A' },
      'node_modules/@esbuild/linux-x64': { version: '0.28.2', optional: true },
    },
  };
  const lockText = JSON.stringify(lock);
  const stamp = { lockSha256: sha256(lockText), nodeAbi: '115' };
  const facts = { hasNodeModules: true, lockText, nodeAbi: '115', stamp, hiddenLock: hidden };

  it('matches a hidden lockfile that skipped only optional packages', () => {
    assert.equal(lockfilesMatch(lock, hidden), true);
  });

  it('does not match when a version, a package or integrity differs', () => {
    const changed = structuredClone(hidden);
    changed.packages['node_modules/execa'].version = '9.6.0';
    assert.equal(lockfilesMatch(lock, changed), false);
    assert.equal(
      lockfilesMatch(lock, { packages: { 'node_modules/@esbuild/linux-x64': { version: '0.28.2' } } }),
      false,
    );
    assert.equal(
      lockfilesMatch(lock, { packages: { ...hidden.packages, 'node_modules/left-pad': { version: '1.0.0' } } }),
      false,
    );
    const forged = structuredClone(hidden);
    forged.packages['node_modules/execa'].integrity = 'sha512-B';
    assert.equal(lockfilesMatch(lock, forged), false);
    assert.equal(lockfilesMatch(lock, undefined), false);
  });

  it("matches this project's own installed tree", () => {
    const read = (path: string): unknown => JSON.parse(readFileSync(join(ROOT, path), 'utf8'));
    assert.equal(lockfilesMatch(read('package-lock.json'), read('node_modules/.package-lock.json')), true);
  });

  it('is fresh when the stamp matches', () => {
    assert.deepEqual(decideNpm(facts), { fresh: true, writeStamp: false });
  });

  it('needs npm ci without node_modules', () => {
    assert.deepEqual(decideNpm({ ...facts, hasNodeModules: false }), {
      fresh: false,
      reason: 'node_modules is missing',
    });
  });

  it('needs npm ci when the Node ABI changed', () => {
    const state = decideNpm({ ...facts, nodeAbi: '127' });
    assert.equal(state.fresh, false);
    assert.match(state.fresh ? '' : state.reason, /Node ABI changed \(115 -> 127\)/);
  });

  it('needs npm ci when the lockfile changed and node_modules no longer matches it', () => {
    const newLock = structuredClone(lock);
    newLock.packages['node_modules/execa'].version = '9.7.0';
    assert.deepEqual(decideNpm({ ...facts, lockText: JSON.stringify(newLock) }), {
      fresh: false,
      reason: 'package-lock.json changed since the last npm ci',
    });
  });

  it('re-stamps instead of reinstalling when the lockfile changed but node_modules matches it', () => {
    assert.deepEqual(decideNpm({ ...facts, lockText: `${lockText}\n` }), { fresh: true, writeStamp: true });
  });

  it('adopts a tree installed without the bootstrap, or says it does not match', () => {
    assert.deepEqual(decideNpm({ ...facts, stamp: undefined }), { fresh: true, writeStamp: true });
    assert.deepEqual(decideNpm({ ...facts, stamp: undefined, hiddenLock: undefined }), {
      fresh: false,
      reason: 'node_modules does not match package-lock.json',
    });
  });
});

describe('run', () => {
  it('names the step, the command and its exit code', () => {
    assert.throws(
      () => run('native build', ['sh', '-c', 'exit 3']),
      (error: unknown) => {
        assert.ok(error instanceof BootstrapError);
        assert.equal(error.exitCode, 3);
        assert.equal(
          error.message,
          'bootstrap: step "native build" failed\n  command: sh -c \'exit 3\' (exited with code 3)',
        );
        return true;
      },
    );
  });

  it('says when a command cannot start', () => {
    assert.throws(() => run('npm dependencies', ['/nonexistent/npm', 'ci']), /could not start it: .*ENOENT/);
  });

  it('quotes arguments for display', () => {
    assert.equal(formatCommand(['apt-get', 'install', 'a b', "it's"]), `apt-get install 'a b' 'it'\\''s'`);
  });
});

describe('bootstrap.mjs command line', () => {
  it('rejects an unknown --for with a clear message and exit code 1', () => {
    const result = spawnSync(process.execPath, [join(ROOT, 'scripts/bootstrap.mjs'), '--for', 'prod'], {
      encoding: 'utf8',
    });
    assert.equal(result.status, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /--for must be one of start, test, got "prod"/);
  });
});

describe('npm ci environment', () => {
  it('points node-gyp at the headers beside a packaged Node, unless npm is configured already', () => {
    const dir = mkdtempSync(join(tmpdir(), 'node-prefix-'));
    mkdirSync(join(dir, 'include', 'node'), { recursive: true });
    writeFileSync(join(dir, 'include', 'node', 'common.gypi'), '{}');
    const nodePath = join(dir, 'bin', 'node');
    assert.equal(buildEnv({ PATH: '/bin' }, nodePath).npm_config_nodedir, dir);
    assert.equal(buildEnv({ NPM_CONFIG_NODEDIR: '/opt/node' }, nodePath).npm_config_nodedir, undefined);
    assert.equal(buildEnv({}, join(tmpdir(), 'nowhere', 'bin', 'node')).npm_config_nodedir, undefined);
  });
});
