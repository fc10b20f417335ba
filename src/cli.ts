// Command line: the option table, one catch at the edge, exit codes (0 ok, 1 failure, 2 usage).
// Numbers are not typed for yargs, which would turn `--port abc` into NaN: the normaliser sees
// what was typed and quotes it. Relative paths start where the user typed the command.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import {
  DEFAULT_DYNAMIC_TRANSPORT,
  DEFAULT_ENCODER_PRESET,
  ENCODER_PRESETS,
  DEFAULT_HTTP_PORT,
  DEFAULT_IDLE_TIMEOUT_S,
  DYNAMIC_TRANSPORTS,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_MAX_VIEWERS,
  DEFAULT_MAX_VIEWERS_PER_ADDRESS,
  DEFAULT_MAX_SIZE,
  DEFAULT_RESTART_MAX_DELAY_S,
  DEFAULT_ENCODERS_PER_VIDEO,
  DEFAULT_WEBRTC_CONNECT_TIMEOUT_S,
  DEFAULT_LINGER_S,
  DEFAULT_SESSION_TIMEOUT_S,
  normalizeServeOptions,
} from './config/options.ts';
import { UsageError } from './config/usage-error.ts';
import { EXIT_OK } from './config/exit-codes.ts';
import { runMain } from './config/run-main.ts';
import { readConfigFile } from './config/config-file.ts';
import { serve } from './serve/serve.ts';

const PROJECT_DIR = fileURLToPath(new URL('..', import.meta.url));
const PACKAGE = JSON.parse(readFileSync(`${PROJECT_DIR}/package.json`, 'utf8')) as { name: string; version: string };
/** Run outputs go here unless --out says otherwise, wherever the command was typed. */
const DEFAULT_OUT_DIR = `${PROJECT_DIR}out`;

const SERVING = 'Serving:';
/** Credentials from the environment keep the password out of `ps`. */
const AUTH_ENV = 'ABR_RTSP_AUTH';
const ENCODING = 'Encoding:';
const OUTPUT = 'Output:';

export function buildParser(argv: string[]) {
  return (
    yargs(argv)
      .scriptName('npm start --')
      .usage(
        '$0 [--videos FILE...] [options]\n\nServes each video twice over RTSP: video(2i-1) at a fixed bitrate, video(2i) adaptive.',
      )
      .options({
        videos: {
          group: SERVING,
          type: 'string',
          array: true,
          describe:
            'video files to serve, relative to the folder you are in; NAME=FILE mounts it at /NAME and /NAME/adaptive (default: three generated samples in videos/)',
        },
        port: { group: SERVING, requiresArg: true, default: 8554, describe: 'public RTSP port (the front door)' },
        host: {
          group: SERVING,
          type: 'string',
          default: '127.0.0.1',
          describe: 'address to bind; 0.0.0.0 for every interface',
        },
        'helper-ports': {
          group: SERVING,
          requiresArg: true,
          describe: 'first port of the contiguous helper range, one per video (default: --port + 1)',
        },
        http: {
          group: SERVING,
          requiresArg: true,
          default: DEFAULT_HTTP_PORT,
          describe: 'port of the dashboard, /metrics and the JSON API on --host; 0 turns them off',
        },
        'idle-timeout': {
          group: SERVING,
          requiresArg: true,
          default: DEFAULT_IDLE_TIMEOUT_S,
          describe: 'close a connection silent this many seconds (at a helper: one without a viewer session)',
        },
        'max-connections': {
          group: SERVING,
          requiresArg: true,
          default: DEFAULT_MAX_CONNECTIONS,
          describe:
            'RTSP connections open at once, at the front door and at each helper; a new one closes the oldest silent one, or itself',
        },
        auth: {
          group: SERVING,
          type: 'string',
          describe: `user:password every viewer must give (RTSP Digest), at the front door and every helper (default: $${AUTH_ENV}; none)`,
        },
        'auth-basic': {
          group: SERVING,
          type: 'boolean',
          default: false,
          describe: 'with --auth: accept Basic too (the password then crosses the network in clear)',
        },
        'session-timeout': {
          group: SERVING,
          requiresArg: true,
          default: DEFAULT_SESSION_TIMEOUT_S,
          describe: 'reap a viewer silent (no RTSP request, no RTCP) this many seconds, 1..3600',
        },
        'max-viewers': {
          group: SERVING,
          requiresArg: true,
          default: DEFAULT_MAX_VIEWERS,
          describe: 'viewers (RTSP sessions) per mount; more get 453 Not Enough Bandwidth',
        },
        'max-viewers-per-address': {
          group: SERVING,
          requiresArg: true,
          default: DEFAULT_MAX_VIEWERS_PER_ADDRESS,
          describe: "viewers from one client address at one video's mounts; more get 453",
        },
        'webrtc-ports': {
          group: SERVING,
          requiresArg: true,
          type: 'string',
          describe: 'WebRTC viewers: the UDP ports ICE may use, MIN-MAX, for a firewall (default: any)',
        },
        'ice-server': {
          group: SERVING,
          requiresArg: true,
          type: 'string',
          array: true,
          describe:
            'WebRTC viewers: a STUN or TURN server, stun://HOST:PORT or turn(s)://USER:PASSWORD@HOST:PORT (repeatable)',
        },
        'webrtc-rtx': {
          group: SERVING,
          type: 'boolean',
          default: true,
          describe:
            'WebRTC viewers: send again what a browser reports lost (RTX on NACK); --no-webrtc-rtx turns it off',
        },
        'webrtc-connect-timeout': {
          group: SERVING,
          requiresArg: true,
          default: DEFAULT_WEBRTC_CONNECT_TIMEOUT_S,
          describe: 'WebRTC viewers: seconds for ICE and DTLS to complete; a session that has not is ended',
        },
        'restart-max-delay': {
          group: SERVING,
          requiresArg: true,
          default: DEFAULT_RESTART_MAX_DELAY_S,
          describe:
            'a helper that dies is restarted after 0.5, 1, 2, ... s up to this many; failing again after that wait, it is retried every this many s (state failing) if it ever got ready, else its mounts are marked failed',
        },
        duration: {
          group: SERVING,
          requiresArg: true,
          describe: 'stop after this many seconds (default: run until Ctrl+C)',
        },
        'static-bitrate': {
          group: ENCODING,
          requiresArg: true,
          default: 5000,
          describe: 'bitrate of the static mounts, kbit/s',
        },
        'start-bitrate': {
          group: ENCODING,
          requiresArg: true,
          default: 800,
          describe:
            'initial bitrate of the dynamic mounts, kbit/s (low: a start above the path costs seconds of loss before the first signal)',
        },
        'min-bitrate': {
          group: ENCODING,
          requiresArg: true,
          default: 300,
          describe: 'lowest bitrate a dynamic mount may use, kbit/s',
        },
        'max-bitrate': {
          group: ENCODING,
          requiresArg: true,
          default: 8000,
          describe: 'highest bitrate a dynamic mount may use, kbit/s',
        },
        'dynamic-transport': {
          group: ENCODING,
          type: 'string',
          default: DEFAULT_DYNAMIC_TRANSPORT,
          choices: [...DYNAMIC_TRANSPORTS],
          describe:
            'dynamic mounts: auto answers a UDP SETUP from clients that report rarely (FFmpeg, VLC) with 461, so they retry over TCP, where the send queue is their signal; udp takes every transport; tcp refuses UDP to all',
        },
        'encoders-per-video': {
          group: ENCODING,
          requiresArg: true,
          default: DEFAULT_ENCODERS_PER_VIDEO,
          describe:
            'dynamic mounts: this many viewers get an encoder, so a bitrate, of their own; later ones share the encoder at the lowest bitrate; 0: one encoder for all',
        },
        'encoder-preset': {
          group: ENCODING,
          type: 'string',
          default: DEFAULT_ENCODER_PRESET,
          choices: [...ENCODER_PRESETS],
          describe:
            'x264 speed preset of every encoder, with its profile (ultrafast: constrained-baseline, else main); superfast: most picture per bit for its CPU (docs/encoder.md)',
        },
        'max-size': {
          group: ENCODING,
          type: 'string',
          default: DEFAULT_MAX_SIZE,
          describe:
            'WIDTHxHEIGHT: a video larger than this is served shrunk to fit, keeping its shape (CPU per adaptive viewer grows with it: docs/options.md); none is enlarged',
        },
        width: {
          group: ENCODING,
          requiresArg: true,
          describe: "with --height: serve every video at this size, letterboxed (default: each video's own size)",
        },
        height: { group: ENCODING, requiresArg: true, describe: 'with --width: output height, pixels' },
        fps: { group: ENCODING, requiresArg: true, default: 0, describe: "output frame rate; 0 keeps each file's" },
        linger: {
          group: ENCODING,
          type: 'number',
          default: DEFAULT_LINGER_S,
          describe: 'seconds a live source (a URI in --videos) stays pulled after its last viewer left',
        },
        'always-on': {
          group: ENCODING,
          type: 'boolean',
          default: false,
          describe: 'pull live sources from the start, watched or not (default: only while watched)',
        },
        audio: {
          group: ENCODING,
          type: 'boolean',
          default: true,
          describe:
            "send each file's audio as a second stream (AAC, Opus, G.711 as they are, others encoded to AAC); --no-audio drops it",
        },
        out: {
          group: OUTPUT,
          type: 'string',
          defaultDescription: 'out/ in the project',
          describe: 'directory for run outputs, relative to the folder you are in',
        },
        'gst-debug': {
          group: OUTPUT,
          type: 'string',
          describe: 'GST_DEBUG spec for the helpers, e.g. "*:4" (default: $GST_DEBUG, else "*:2")',
        },
        quiet: {
          group: OUTPUT,
          type: 'boolean',
          default: false,
          describe:
            'no live status and no info lines: only the start table, warnings (helper crashes, restarts, failing, failed, watchdog kills) and errors',
        },
      })
      .config(
        'config',
        'a YAML or JSON file of options (the keys are the option names; its paths relative to its folder); flags here win',
        readConfigFile,
      )
      .group('config', SERVING)
      .strict()
      .help()
      .alias('help', 'h')
      .version(`${PACKAGE.name} ${PACKAGE.version}`)
      .wrap(Math.min(110, process.stdout.columns || 110))
      .exitProcess(false)
      // Parse failures only (no commands here), the --config reader's among them, which yargs wraps.
      .fail((message, error) => {
        throw error instanceof UsageError ? error : new UsageError(error?.message ?? message);
      })
  );
}

/** yargs reads --config relative to the process's folder, which npm sets to the project's: make it the user's. */
function configFromUserDir(argv: readonly string[], userDir: string): string[] {
  return argv.map((arg, index) => {
    if (arg.startsWith('--config=')) return `--config=${resolve(userDir, arg.slice('--config='.length))}`;
    return argv[index - 1] === '--config' && !arg.startsWith('-') ? resolve(userDir, arg) : arg;
  });
}

async function main(argv: string[]): Promise<number> {
  // npm runs scripts in the project's folder and says where the user was in INIT_CWD.
  const userDir = process.env.INIT_CWD ?? process.cwd();
  const parser = buildParser(configFromUserDir(argv, userDir));
  const raw = await parser.parseAsync();
  if (raw.help || raw.version) return EXIT_OK;
  const options = normalizeServeOptions(
    {
      videos: raw.videos,
      host: raw.host,
      port: raw.port,
      helperPorts: raw['helper-ports'],
      http: raw.http,
      duration: raw.duration,
      staticBitrate: raw['static-bitrate'],
      startBitrate: raw['start-bitrate'],
      minBitrate: raw['min-bitrate'],
      maxBitrate: raw['max-bitrate'],
      dynamicTransport: raw['dynamic-transport'],
      encoderPreset: raw['encoder-preset'],
      encodersPerVideo: raw['encoders-per-video'],
      width: raw.width,
      height: raw.height,
      maxSize: raw['max-size'],
      fps: raw.fps,
      audio: raw.audio,
      linger: raw.linger,
      alwaysOn: raw['always-on'],
      out: raw.out ?? DEFAULT_OUT_DIR,
      quiet: raw.quiet,
      gstDebug: raw['gst-debug'] ?? process.env.GST_DEBUG,
      idleTimeout: raw['idle-timeout'],
      maxConnections: raw['max-connections'],
      sessionTimeout: raw['session-timeout'],
      maxViewers: raw['max-viewers'],
      maxViewersPerAddress: raw['max-viewers-per-address'],
      webrtcPorts: raw['webrtc-ports'],
      iceServer: raw['ice-server'],
      webrtcConnectTimeout: raw['webrtc-connect-timeout'],
      webrtcRtx: raw['webrtc-rtx'],
      restartMaxDelay: raw['restart-max-delay'],
      auth: raw.auth ?? process.env[AUTH_ENV],
      authBasic: raw['auth-basic'],
    },
    userDir,
  );
  return serve(options);
}

runMain(() => main(hideBin(process.argv)));
