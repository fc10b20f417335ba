// One colour per video file, the same in every chart of a run: the static and the dynamic mount of
// a file share it, and the line's dash tells the mode apart (solid static, dashed dynamic).
import { basename } from 'node:path';
import type { StreamMode } from './records.ts';

/** Tableau 10: distinct on screen and in print; files beyond ten reuse it in order. */
export const FILE_PALETTE: readonly string[] = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
];

export const MODE_DASH: Readonly<Record<StreamMode, number[]>> = { static: [1, 0], dynamic: [6, 4] };
export const MODES: readonly StreamMode[] = ['static', 'dynamic'];

/** What a chart needs to know about one video file. */
export interface FileStyle {
  file: string;
  /** Legend text: "name.mp4 (12.3 MB)", or the bare name when the size is unknown. */
  label: string;
  colour: string;
}

/** Legend label as the original project wrote it: file name and size in MB (10^6 bytes). */
export function fileLabel(file: string, sizeBytes: number | undefined): string {
  const name = basename(file);
  if (sizeBytes === undefined) return name;
  const mb = sizeBytes / 1e6;
  return `${name} (${mb.toFixed(mb < 10 ? 2 : 1)} MB)`;
}

/**
 * Styles for the files in first-seen order (the header's stream order), so a run's colours do not
 * depend on which streams had viewers. `sizes` maps a file to its size in bytes when known.
 */
export function fileStyles(files: readonly string[], sizes: ReadonlyMap<string, number>): Map<string, FileStyle> {
  const styles = new Map<string, FileStyle>();
  for (const file of files) {
    if (styles.has(file)) continue;
    const colour = FILE_PALETTE[styles.size % FILE_PALETTE.length]!;
    styles.set(file, { file, label: fileLabel(file, sizes.get(file)), colour });
  }
  return styles;
}
