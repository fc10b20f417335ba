// --config FILE: the options as a YAML or JSON mapping (JSON is YAML), keys as on the command
// line (`static-bitrate` or `staticBitrate`); flags on the command line win. Parsed once here;
// its paths (videos, out) start from its own folder.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import { UsageError } from './usage-error.ts';
import { resolveConfigVideos } from './video-inputs.ts';

/** The file's own paths, resolved against its folder before they meet the command line's. */
function withPathsFrom(folder: string, options: Record<string, unknown>): Record<string, unknown> {
  const resolved = { ...options };
  if ('videos' in resolved) resolved.videos = resolveConfigVideos(resolved.videos, folder);
  if (typeof resolved.out === 'string') resolved.out = resolve(folder, resolved.out);
  return resolved;
}

export function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(
      `--config ${path}: cannot be read (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  let value: unknown;
  try {
    value = parse(text);
  } catch (error) {
    throw new UsageError(
      `--config ${path}: not YAML or JSON (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`,
    );
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new UsageError(
      `--config ${path}: must be a mapping of option names to values, got ${Array.isArray(value) ? 'a list' : typeof value}`,
    );
  }
  return withPathsFrom(dirname(path), value as Record<string, unknown>);
}
