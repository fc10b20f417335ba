// The port registry (test/support/ports.ts): each test file's block is its own, below the kernel's
// ephemeral range, and no test file that can open a socket writes a port number of its own.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import {
  NETNS_PREFIXES,
  PORT_BLOCKS,
  SLOTS,
  SLOT_SPAN,
  netnsPrefixOf,
  portsOf,
  testFileKey,
  testSlot,
} from './support/ports.ts';

const TEST_DIR = dirname(fileURLToPath(import.meta.url));
/** The helper's RTP/RTCP ports and every client's own come from here up (net.ipv4.ip_local_port_range). */
const EPHEMERAL_FIRST = 32768;
const REGISTRY = 'support/ports.ts';
const SELF = relative(TEST_DIR, fileURLToPath(import.meta.url));

/** Every TypeScript file below test/, as its path below test/. */
const sources = readdirSync(TEST_DIR, { recursive: true, encoding: 'utf8' })
  .filter((name) => name.endsWith('.ts'))
  .map((name) => name.split('\\').join('/'))
  .sort();

/**
 * What makes a file able to listen or connect: sockets, child processes (servers, helpers,
 * clients), fetch, and the support modules and product modules that open them. A file with none
 * of these only parses the port numbers it writes (`rtsp://127.0.0.1:8554/video1` in a parser's
 * test): those may stay.
 */
const OPENS_SOCKETS = [
  /from 'node:(net|dgram|http|https|child_process)'/,
  /from 'execa'/,
  /\bfetch\(/,
  /from '[./]*\/(support\/(helper-launcher|rtsp-clients|raw-rtsp|flood|scripted-viewer|request-fuzzer|browser|live-page)|front-door\/(fake-helper|raw-client)|scripts\/lib\/server|scripts\/bench\/[\w-]+)\.ts'/,
  /from '[./]*\/src\/(front-door\/server|http\/server|serve\/[\w-]+)\.ts'/,
];

/** Where a number is a port: after a host, in a Transport, in a port-named binding, an option or a call that binds. */
const PORT_CONTEXTS = [
  /(?:127\.0\.0\.1|localhost|0\.0\.0\.0|\]):(\d+)\b/g,
  /(?:client_port|server_port|port)=(\d+)/g,
  /\b\w*(?:port|PORT|Port|HTTP)\w*\s*[:=]\s*(\d+)\b/g,
  /'--(?:port|http|helper-ports)',\s*'(\d+)'/g,
  /\b(?:listen|connect|bind|start|open|HelperLauncher|rtpCounter|playUdp)\(\s*(\d+)\b/g,
];

/** A bare five-digit number in the range of the registry's blocks: write other numbers that size with a separator (20_000). */
const BARE_FIVE_DIGITS = /(?<![\w.$])(\d{5})(?![\w.])/g;

function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:\\])\/\/.*$/gm, '$1');
}

/** `file:line: literal` for each port number the file writes itself. */
function literalPorts(file: string, text: string): string[] {
  const found: string[] = [];
  const code = withoutComments(text);
  code.split('\n').forEach((line, i) => {
    const numbers = new Set<number>();
    for (const pattern of PORT_CONTEXTS)
      for (const match of line.matchAll(pattern)) {
        const value = Number(match[1]);
        if (value >= 1024 && value <= 65535) numbers.add(value);
      }
    for (const match of line.matchAll(BARE_FIVE_DIGITS)) {
      const value = Number(match[1]);
      if (value >= 10000 && value < EPHEMERAL_FIRST) numbers.add(value);
    }
    for (const value of numbers) found.push(`${file}:${i + 1}: ${value} (${line.trim()})`);
  });
  return found;
}

describe('test port registry', () => {
  it('gives each test file a block of its own, from 1024 up and below the ephemeral range, in every slot', () => {
    for (let slot = 0; slot < SLOTS; slot++) {
      const blocks = Object.keys(PORT_BLOCKS)
        .map((file) => ({ file, ...portsOf(`test/${file}`, slot) }))
        .sort((a, b) => a.base - b.base);
      for (const block of blocks) {
        assert.ok(block.size >= 1, `${block.file}: an empty block`);
        assert.ok(block.base >= 1024, `slot ${slot}: ${block.file} starts at ${block.base}`);
        assert.ok(
          block.base + block.size - 1 < EPHEMERAL_FIRST,
          `slot ${slot}: ${block.file} ends at ${block.base + block.size - 1}, in the kernel's ephemeral range`,
        );
      }
      for (const [i, block] of blocks.entries()) {
        const next = blocks[i + 1];
        if (next)
          assert.ok(
            block.base + block.size <= next.base,
            `slot ${slot}: ${block.file} (${block.base}+${block.size}) overlaps ${next.file} (${next.base})`,
          );
      }
    }
    // Slots never share a port either: slot 1 starts past slot 0's last block.
    const last = Math.max(...Object.values(PORT_BLOCKS).map((spec) => spec.base + spec.size));
    const first = Math.min(...Object.values(PORT_BLOCKS).map((spec) => spec.base));
    assert.ok(last - first <= SLOT_SPAN, `slot 0 spans ${last - first} ports, more than SLOT_SPAN ${SLOT_SPAN}`);
  });

  it('hands a file its block by its own path, and nothing past its end', () => {
    const block = portsOf('file:///work/x/test/integration/helper.test.ts', 0);
    assert.equal(block.base, PORT_BLOCKS['integration/helper.test.ts']!.base);
    assert.equal(block.at(block.size - 1), block.base + block.size - 1);
    assert.throws(() => block.at(block.size), RangeError);
    assert.throws(() => block.at(-1), RangeError);
    assert.equal(portsOf('test/integration/helper.test.ts', 2).base, block.base + 2 * SLOT_SPAN);
    assert.throws(() => portsOf('test/integration/no-such.test.ts'), /has no port block/);
    assert.equal(testFileKey('/a/b/test/integration/x.test.ts'), 'integration/x.test.ts');
    assert.equal(testSlot(''), 0);
    assert.equal(testSlot('3'), 3);
    for (const wrong of ['4', '-1', '1.5', 'one']) assert.throws(() => testSlot(wrong), RangeError);
  });

  it('names only files that exist, and every file that asks has an entry', () => {
    for (const file of [...Object.keys(PORT_BLOCKS), ...Object.keys(NETNS_PREFIXES)])
      assert.ok(existsSync(join(TEST_DIR, file)), `${file} is in the registry but does not exist`);
    for (const file of sources.filter((name) => name !== SELF && name !== REGISTRY)) {
      const text = readFileSync(join(TEST_DIR, file), 'utf8');
      if (text.includes('portsOf(import.meta.url)')) assert.ok(file in PORT_BLOCKS, `${file} has no port block`);
      if (text.includes('netnsPrefixOf(import.meta.url)'))
        assert.ok(file in NETNS_PREFIXES, `${file} has no namespace prefix`);
    }
  });

  it('gives each file that makes network namespaces a prefix of its own: none starts another, each fits a device name', () => {
    const prefixes = Object.values(NETNS_PREFIXES);
    for (const prefix of prefixes) {
      // + a slot digit + the bench's u/t stays within the bench's 8 (device names: 15 with "-s12").
      assert.match(prefix, /^[a-z][a-z0-9]{0,5}$/, prefix);
      for (const other of prefixes)
        if (other !== prefix) assert.ok(!other.startsWith(prefix), `${other} starts with ${prefix}`);
    }
    for (let slot = 0; slot < SLOTS; slot++)
      assert.equal(
        new Set(Object.keys(NETNS_PREFIXES).map((file) => netnsPrefixOf(`test/${file}`, slot))).size,
        prefixes.length,
      );
    for (const file of sources) {
      const text = readFileSync(join(TEST_DIR, file), 'utf8');
      if (/\b(createLink|createTopology|runBench|runViewersBench)\(/.test(text))
        assert.ok(
          text.includes('netnsPrefixOf(import.meta.url)'),
          `${file} makes namespaces: their names must come from netnsPrefixOf`,
        );
    }
  });

  it('finds no port number written in a test file that can open a socket, outside the registry', () => {
    const found = sources
      .filter((file) => file !== REGISTRY && file !== SELF)
      .flatMap((file) => {
        const text = readFileSync(join(TEST_DIR, file), 'utf8');
        return OPENS_SOCKETS.some((pattern) => pattern.test(text)) ? literalPorts(file, text) : [];
      });
    assert.deepEqual(found, [], 'take these from portsOf(import.meta.url) (test/support/ports.ts)');
  });

  it('recognises the port numbers it must refuse', () => {
    const flagged = (line: string) => literalPorts('x.ts', line).length;
    for (const line of [
      'const PORT = 19500;',
      'const helpers = new HelperLauncher(19600);',
      "'Transport: RTP/AVP;unicast;client_port=41100-41101',",
      "url: 'rtsp://127.0.0.1:8554/video1'",
      "'--port', '8554',",
      "blocker.listen(18891, '127.0.0.1', resolve)",
      'basePort: 19100,',
      'const HTTP = 19350;',
      'await playUdp(viewer, helper.url, 19646);',
      'const x = 21290;',
    ])
      assert.equal(flagged(line), 1, line);
    for (const line of [
      "'--bitrate', String(20_000)",
      'timeoutMs: 10_000',
      '// port 19500',
      'const n = 5000;',
      'const big = 40000;',
    ])
      assert.equal(flagged(line), 0, line);
  });
});
