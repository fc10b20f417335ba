// The files a run serves: the user's, or the generated samples; each checked before serving.
import type { VideoInput } from '../config/video-inputs.ts';
import { probeVideos } from '../inputs/probe.ts';
import { ensureSampleVideos } from '../inputs/sample-videos.ts';
import { livePictureOf, type PictureRule } from '../streams/picture.ts';
import type { SourceMedia } from '../streams/plan.ts';
import type { Log } from '../ui/log.ts';

export interface SelectedInputs {
  files: VideoInput[];
  /** Per position in `files`: its own picture and audio when it is served, undefined when it is refused. */
  sources: (SourceMedia | undefined)[];
}

export async function selectInputs(
  videos: readonly VideoInput[],
  picture: PictureRule,
  log: Log,
): Promise<SelectedInputs> {
  const files: VideoInput[] =
    videos.length > 0 ? [...videos] : (await ensureSampleVideos()).map((file) => ({ name: undefined, file }));
  // A live source is not probed: it may not be there yet, and it is pulled only when watched.
  const probes = await probeVideos(files.flatMap((input) => (input.uri === undefined ? [input.file] : [])));
  const sources = files.map((input): SourceMedia | undefined => {
    if (input.uri !== undefined) return { picture: livePictureOf(picture), audio: undefined };
    const probe = probes.shift()!;
    if (probe.ok) return { picture: { width: probe.width, height: probe.height, fps: probe.fps }, audio: probe.audio };
    log.error(`${probe.path}: ${probe.reason}; it is not served`);
    return undefined;
  });
  return { files, sources };
}
