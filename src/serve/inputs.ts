// The files a run serves: the user's, or the generated samples; each checked before serving.
import { probeVideos } from '../inputs/probe.ts';
import { ensureSampleVideos } from '../inputs/sample-videos.ts';
import type { Log } from '../ui/log.ts';

export interface SelectedInputs {
  files: string[];
  /** Per position in `files`: whether it is served. */
  usable: boolean[];
}

export async function selectInputs(videos: readonly string[], log: Log): Promise<SelectedInputs> {
  const files = videos.length > 0 ? [...videos] : await ensureSampleVideos();
  const probes = await probeVideos(files);
  const usable = probes.map((probe) => {
    if (!probe.ok) log.error(`${probe.path}: ${probe.reason}; it is not served`);
    return probe.ok;
  });
  return { files, usable };
}
