// npm run bench:encoder: the figures behind the helper's encoder and scaler settings
// (docs/encoder.md). A 1280x720 source with motion (the stamped test video: testsrc2) is decoded
// once to raw I420, then:
// - scalers: each videoscale method from 1280x720 to 640x480 as the helper scales (letterboxed:
//   the picture is 640x360, 60 rows down), CPU per frame, SSIM/PSNR against FFmpeg's lanczos
//   scale, and what each picture scores once encoded at 600 kbit/s;
// - encoders: x264enc set up as native/encoder/media-launch.c does, per preset, profile and bitrate, fed
//   the lanczos frames: SSIM/PSNR of the decoded stream against them, the bitrate it produced, CPU.
// CPU is the gst-launch child's own (user + system, from bash's `times`) less the same pipeline
// without the element measured, median of RUNS runs, so reading, parsing and scoring are not in
// it. Scores cover the picture only: the borders cost nothing and would score perfect.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { percentile } from '../src/metrics/percentile.ts';
import { round } from '../src/metrics/round.ts';
import { generateTestVideo } from '../src/stamp/test-video.ts';
import { saveBenchResults } from './lib/save-results.ts';

const SOURCE = { seconds: 20, width: 1280, height: 720, fps: 30 } as const;
const FRAMES = SOURCE.seconds * SOURCE.fps;
const OUTPUT = { width: 640, height: 480 } as const;
/** Where videoscale (add-borders) puts a 16:9 picture in a 4:3 frame with square pixels. */
const PICTURE = { width: 640, height: 360, y: 60 } as const;
const PRESETS = ['ultrafast', 'superfast', 'veryfast'] as const;
const PROFILES = ['constrained-baseline', 'main'] as const;
const BITRATES_KBPS = [600, 2000] as const;
const SCALERS = ['nearest-neighbour', 'bilinear', '4-tap', 'lanczos'] as const;
/** The encoder each scaler's picture goes through: the helper's default (docs/encoder.md). */
const SCALER_ENCODER = { preset: 'superfast', profile: 'main', bitrateKbps: 600 } as const;
const RUNS = 3;

interface Size {
  width: number;
  height: number;
}

interface Score {
  ssim: number;
  ssim_db: number;
  psnr_db: number;
  psnr_y_db: number;
}

function rawFile(path: string, { width, height }: Size): string[] {
  return [
    'filesrc',
    `location=${path}`,
    '!',
    'rawvideoparse',
    'format=i420',
    `width=${width}`,
    `height=${height}`,
    `framerate=${SOURCE.fps}/1`,
  ];
}

/**
 * videoscale as native/source/decode-pipeline.c links it: to I420 at the output size, square pixels, the
 * source's colorimetry kept (BT.709, GStreamer's reading of an untagged stream of 720 rows).
 * `convert`: without a colorimetry, as the helper scaled before: the output then defaults to BT.601
 * (under 720 rows), and videoscale converts the colours too.
 */
function scaler(method: string, convert = false): string[] {
  const colorimetry = convert ? '' : ',colorimetry=bt709';
  return [
    'videoscale',
    `method=${method}`,
    '!',
    `video/x-raw,format=I420,width=${OUTPUT.width},height=${OUTPUT.height},pixel-aspect-ratio=1/1${colorimetry}`,
  ];
}

/** x264enc as native/encoder/media-launch.c sets it up; byte-stream so that FFmpeg reads the file. */
function encoder(preset: string, profile: string, bitrateKbps: number): string[] {
  return [
    'x264enc',
    'tune=zerolatency',
    `speed-preset=${preset}`,
    `key-int-max=${SOURCE.fps}`,
    `bitrate=${bitrateKbps}`,
    'vbv-buf-capacity=200',
    '!',
    `video/x-h264,profile=${profile},stream-format=byte-stream`,
  ];
}

/** CPU seconds (user + system) of one gst-launch-1.0 run, from bash's `times` for its children. */
async function gstCpuSeconds(pipeline: string[]): Promise<number> {
  const { stdout } = await execa('bash', ['-c', '"$@" && times', 'bash', 'gst-launch-1.0', '-q', ...pipeline]);
  const children = stdout.trim().split('\n').at(-1) ?? '';
  const [user, system] = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map(
    ([, minutes, seconds]) => Number(minutes) * 60 + Number(seconds),
  );
  if (user === undefined || system === undefined)
    throw new Error(`bash times: expected the children's "user system" line, got ${JSON.stringify(stdout)}`);
  return user + system;
}

/** Median CPU seconds of RUNS runs of `pipeline`. */
async function medianCpuSeconds(pipeline: string[]): Promise<number> {
  const runs: number[] = [];
  for (let run = 0; run < RUNS; run += 1) runs.push(await gstCpuSeconds(pipeline));
  return percentile(runs, 50)!;
}

const msPerFrame = (cpuS: number, baselineS: number): number => round((1000 * (cpuS - baselineS)) / FRAMES, 2);

/** FFmpeg's input options for a raw 640x480 I420 file. */
function rawInput(path: string): string[] {
  return [
    '-f',
    'rawvideo',
    '-pix_fmt',
    'yuv420p',
    '-s',
    `${OUTPUT.width}x${OUTPUT.height}`,
    '-framerate',
    String(SOURCE.fps),
    '-i',
    path,
  ];
}

const decibels = (text: string): number => (text === 'inf' ? Infinity : Number(text));

/** The filters' command: the frames of `test` (raw, a file or `-`) against those of `reference`, over the picture. */
function scoreArgs(test: string, reference: string): string[] {
  const picture = `crop=${PICTURE.width}:${PICTURE.height}:0:${PICTURE.y}`;
  const graph = `[0:v]${picture},split[t1][t2];[1:v]${picture},split[r1][r2];[t1][r1]ssim=shortest=1;[t2][r2]psnr=shortest=1`;
  return ['-hide_banner', ...rawInput(test), ...rawInput(reference), '-lavfi', graph, '-f', 'null', '-'];
}

/**
 * SSIM and PSNR (FFmpeg's filters) of `test` against the raw 640x480 frames of `reference`, frame
 * by frame, every frame of both there. An H.264 file is decoded to raw frames first: read directly,
 * the raw H.264 demuxer's guessed timestamps paired some frames with their neighbours (15 dB
 * frames in a 52-dB stream).
 */
async function score(test: { raw: string } | { h264: string }, reference: string): Promise<Score> {
  const { stderr } =
    'raw' in test
      ? await execa('ffmpeg', ['-nostdin', ...scoreArgs(test.raw, reference)])
      : await execa(
          'ffmpeg',
          [
            '-nostdin',
            '-v',
            'error',
            '-i',
            test.h264,
            '-fps_mode',
            'passthrough',
            '-f',
            'rawvideo',
            '-pix_fmt',
            'yuv420p',
            '-',
          ],
          { buffer: { stdout: false } },
        ).pipe('ffmpeg', scoreArgs('-', reference));
  const tested = 'raw' in test ? test.raw : test.h264;
  const frames = Number([...stderr.matchAll(/frame=\s*(\d+)/g)].at(-1)?.[1]);
  const ssim = /SSIM Y:.* All:([\d.]+) \(([\d.]+|inf)\)/.exec(stderr);
  const psnr = /PSNR y:(\S+) .* average:(\S+)/.exec(stderr);
  if (frames !== FRAMES || !ssim || !psnr) {
    throw new Error(
      `ffmpeg scored ${frames} frames of ${FRAMES} (${tested} against ${reference}); last lines: ${stderr.trim().split('\n').slice(-4).join(' | ')}`,
    );
  }
  return {
    ssim: round(Number(ssim[1]), 4),
    ssim_db: round(decibels(ssim[2]!), 2),
    psnr_db: round(decibels(psnr[2]!), 2),
    psnr_y_db: round(decibels(psnr[1]!), 2),
  };
}

const kbps = (path: string): number => round((statSync(path).size * 8) / SOURCE.seconds / 1000, 0);

async function measureScalers(work: string, raw720: string, reference: string) {
  const baselineS = await medianCpuSeconds([...rawFile(raw720, SOURCE), '!', 'fakesink']);
  const rows = [];
  for (const method of SCALERS) {
    const scaled = join(work, `scaled-${method}.yuv`);
    const encoded = join(work, `scaled-${method}.h264`);
    await execa('gst-launch-1.0', [
      '-q',
      ...rawFile(raw720, SOURCE),
      '!',
      ...scaler(method),
      '!',
      'filesink',
      `location=${scaled}`,
    ]);
    const cpuS = await medianCpuSeconds([...rawFile(raw720, SOURCE), '!', ...scaler(method), '!', 'fakesink']);
    const convertingS = await medianCpuSeconds([
      ...rawFile(raw720, SOURCE),
      '!',
      ...scaler(method, true),
      '!',
      'fakesink',
    ]);
    const { preset, profile, bitrateKbps } = SCALER_ENCODER;
    await execa('gst-launch-1.0', [
      '-q',
      ...rawFile(scaled, OUTPUT),
      '!',
      ...encoder(preset, profile, bitrateKbps),
      '!',
      'filesink',
      `location=${encoded}`,
    ]);
    const row = {
      method,
      cpu_ms_per_frame: msPerFrame(cpuS, baselineS),
      cpu_ms_per_frame_to_bt601: msPerFrame(convertingS, baselineS),
      scaled: await score({ raw: scaled }, reference),
      encoded: await score({ h264: encoded }, reference),
    };
    console.log(JSON.stringify(row));
    rows.push(row);
  }
  return { baseline_cpu_s: baselineS, rows };
}

async function measureEncoders(work: string, reference: string) {
  const baselineS = await medianCpuSeconds([...rawFile(reference, OUTPUT), '!', 'fakesink']);
  const rows = [];
  for (const bitrateKbps of BITRATES_KBPS) {
    for (const preset of PRESETS) {
      for (const profile of PROFILES) {
        const encoded = join(work, `${preset}-${profile}-${bitrateKbps}.h264`);
        const cpuS = await medianCpuSeconds([
          ...rawFile(reference, OUTPUT),
          '!',
          ...encoder(preset, profile, bitrateKbps),
          '!',
          'filesink',
          `location=${encoded}`,
        ]);
        const row = {
          preset,
          profile,
          bitrate_kbps: bitrateKbps,
          actual_kbps: kbps(encoded),
          cpu_ms_per_frame: msPerFrame(cpuS, baselineS),
          ...(await score({ h264: encoded }, reference)),
        };
        console.log(JSON.stringify(row));
        rows.push(row);
      }
    }
  }
  return { baseline_cpu_s: baselineS, rows };
}

const work = mkdtempSync(join(tmpdir(), 'bench-encoder-'));
try {
  const started = performance.now();
  const source = join(work, 'source.mp4');
  console.log(
    `source: ${SOURCE.seconds} s of the stamped test video at ${SOURCE.width}x${SOURCE.height}, ${SOURCE.fps} fps (${source})`,
  );
  await generateTestVideo({ out: source, ...SOURCE });
  const raw720 = join(work, 'source.yuv');
  await execa('gst-launch-1.0', [
    '-q',
    'filesrc',
    `location=${source}`,
    '!',
    'decodebin',
    '!',
    'videoconvert',
    '!',
    'video/x-raw,format=I420',
    '!',
    'filesink',
    `location=${raw720}`,
  ]);
  // What decoding costs, once per video: the decoder's CPU less reading the file.
  const decodeS = await medianCpuSeconds(['filesrc', `location=${source}`, '!', 'decodebin', '!', 'fakesink']);
  const readS = await medianCpuSeconds(['filesrc', `location=${source}`, '!', 'qtdemux', '!', 'fakesink']);
  const reference = join(work, 'reference.yuv');
  const lanczos = `scale=${PICTURE.width}:${PICTURE.height}:flags=lanczos+accurate_rnd+full_chroma_int,pad=${OUTPUT.width}:${OUTPUT.height}:0:${PICTURE.y}`;
  await execa('ffmpeg', [
    '-nostdin',
    '-v',
    'error',
    '-f',
    'rawvideo',
    '-pix_fmt',
    'yuv420p',
    '-s',
    `${SOURCE.width}x${SOURCE.height}`,
    '-i',
    raw720,
    '-vf',
    lanczos,
    '-f',
    'rawvideo',
    reference,
  ]);

  const scalers = await measureScalers(work, raw720, reference);
  const encoders = await measureEncoders(work, reference);
  const decode = { decoder_cpu_ms_per_frame: msPerFrame(decodeS, readS) };

  console.log(
    `\ndecoding ${SOURCE.width}x${SOURCE.height} H.264: ${decode.decoder_cpu_ms_per_frame} ms of CPU per frame`,
  );
  console.log(
    `scalers, ${SOURCE.width}x${SOURCE.height} -> ${OUTPUT.width}x${OUTPUT.height} (picture ${PICTURE.width}x${PICTURE.height}), against FFmpeg lanczos; encoded: x264 ${SCALER_ENCODER.preset}/${SCALER_ENCODER.profile} at ${SCALER_ENCODER.bitrateKbps} kbit/s`,
  );
  console.table(
    scalers.rows.map(({ method, cpu_ms_per_frame, cpu_ms_per_frame_to_bt601, scaled, encoded }) => ({
      method,
      'CPU ms/frame': cpu_ms_per_frame,
      'CPU ms/frame, to BT.601': cpu_ms_per_frame_to_bt601,
      SSIM: scaled.ssim,
      'SSIM dB': scaled.ssim_db,
      'PSNR dB': scaled.psnr_db,
      'encoded SSIM': encoded.ssim,
      'encoded SSIM dB': encoded.ssim_db,
      'encoded PSNR dB': encoded.psnr_db,
    })),
  );
  console.log(
    `x264enc (tune=zerolatency, key-int-max=${SOURCE.fps}, vbv-buf-capacity=200) from the lanczos ${OUTPUT.width}x${OUTPUT.height} frames, ${FRAMES} frames`,
  );
  console.table(
    encoders.rows.map((row) => ({
      preset: row.preset,
      profile: row.profile,
      'kbit/s asked': row.bitrate_kbps,
      'kbit/s made': row.actual_kbps,
      SSIM: row.ssim,
      'SSIM dB': row.ssim_db,
      'PSNR dB': row.psnr_db,
      'PSNR Y dB': row.psnr_y_db,
      'CPU ms/frame': row.cpu_ms_per_frame,
    })),
  );
  console.log(`took ${round((performance.now() - started) / 1000, 0)} s`);
  saveBenchResults('encoder', {
    date: new Date().toISOString(),
    source: { ...SOURCE, content: 'stamped test video (testsrc2)' },
    output: OUTPUT,
    picture: PICTURE,
    frames: FRAMES,
    cpu: `median of ${RUNS} runs, gst-launch-1.0 user + system time less the same pipeline without the element`,
    decode,
    scalers,
    encoders,
  });
} finally {
  rmSync(work, { recursive: true, force: true });
}
