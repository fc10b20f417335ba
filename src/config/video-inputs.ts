// --videos: each entry a file or a live source's URI, `NAME=FILE`, or (in a config file)
// `{ name, file }`. Relative files start where the user is: the folder the command was typed in, or
// the config file's own folder. A file:// URI is a file.
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { looksLikeUri, maskUri, uriProblem } from './source-uri.ts';
import { typed, UsageError } from './usage-error.ts';

export interface VideoInput {
  /** Its mounts are `/NAME` and `/NAME/adaptive`; undefined: `/videoN` by position. */
  name: string | undefined;
  /** Absolute path; for a live source, its URI with the secrets masked (what outputs show). */
  file: string;
  /** A live source's URI, secrets and all: only its helper is given it. */
  uri?: string;
}

/** A path, resolved; or a URI, checked (a file:// URI is a path). */
function sourceOf(text: string, baseDir: string, entry: string): Pick<VideoInput, 'file' | 'uri'> {
  if (!looksLikeUri(text)) return { file: resolve(baseDir, text) };
  if (/^file:\/\//i.test(text)) {
    try {
      return { file: fileURLToPath(text) };
    } catch {
      throw new UsageError(`--videos ${maskUri(entry)}: not a valid file:// URI`);
    }
  }
  const problem = uriProblem(text);
  if (problem !== undefined) throw new UsageError(`--videos ${maskUri(entry)}: ${problem}`);
  return { file: maskUri(text), uri: text };
}

/** Letters, digits, `-` and `_`: safe in an RTSP URL, a Prometheus label and a file name. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
/** The positional names, which a user's name must not take. */
const POSITIONAL = /^video\d+$/;

function checkedName(name: string, entry: string): string {
  if (!NAME.test(name)) {
    throw new UsageError(
      `--videos ${entry}: a name is 1 to 64 letters, digits, '-' or '_', starting with a letter or digit, got '${name}'`,
    );
  }
  if (POSITIONAL.test(name)) {
    throw new UsageError(`--videos ${entry}: '${name}' is a positional mount name (videoN); choose another`);
  }
  return name;
}

/** `NAME=FILE` when the part before the first `=` is a valid name; a file path otherwise (write `./a=b.mp4` for a file with `=`). */
function fromText(entry: string, baseDir: string): VideoInput {
  if (entry.trim() === '') throw new UsageError(`--videos: an entry is empty, got ''`);
  const equals = entry.indexOf('=');
  const head = equals > 0 ? entry.slice(0, equals) : '';
  if (equals > 0 && !head.includes('/') && !head.startsWith('.') && !looksLikeUri(entry)) {
    const file = entry.slice(equals + 1);
    if (file === '') throw new UsageError(`--videos ${maskUri(entry)}: no file after '='`);
    return { name: checkedName(head, maskUri(entry)), ...sourceOf(file, baseDir, entry) };
  }
  return { name: undefined, ...sourceOf(entry, baseDir, entry) };
}

function fromMapping(entry: Record<string, unknown>, baseDir: string): VideoInput {
  const { name, file, ...rest } = entry;
  const shown = maskUri(JSON.stringify(entry));
  const unknown = Object.keys(rest);
  if (unknown.length > 0) throw new UsageError(`videos: ${shown}: unknown key(s) ${unknown.join(', ')} (name, file)`);
  if (typeof file !== 'string' || file.trim() === '') throw new UsageError(`videos: ${shown}: needs a file`);
  if (name !== undefined && typeof name !== 'string') throw new UsageError(`videos: ${shown}: name must be text`);
  return { name: name === undefined ? undefined : checkedName(name, shown), ...sourceOf(file, baseDir, file) };
}

export function videoInputs(raw: unknown, baseDir: string): VideoInput[] {
  if (raw === undefined) return [];
  const entries = Array.isArray(raw) ? raw : [raw];
  if (entries.length === 0)
    throw new UsageError('--videos needs at least one file (leave it out to serve the samples)');
  const inputs = entries.map((entry) => {
    if (typeof entry === 'string') return fromText(entry, baseDir);
    if (typeof entry === 'object' && entry !== null && !Array.isArray(entry))
      return fromMapping(entry as Record<string, unknown>, baseDir);
    throw new UsageError(`--videos: each entry is a file, NAME=FILE or {name, file}, got ${typed(entry)}`);
  });
  const names = inputs.flatMap((input) => (input.name === undefined ? [] : [input.name]));
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  if (repeated !== undefined) throw new UsageError(`--videos: the name '${repeated}' is given twice`);
  return inputs;
}

/** A config file's `videos`, resolved against the file's folder (absolute paths stay as they are). */
export function resolveConfigVideos(raw: unknown, configDir: string): unknown {
  const entries = Array.isArray(raw) ? raw : raw === undefined ? undefined : [raw];
  return entries?.map((entry: unknown) => {
    if (typeof entry === 'string') {
      const input = fromText(entry, configDir);
      const source = input.uri ?? input.file;
      return input.name === undefined ? source : { name: input.name, file: source };
    }
    if (typeof entry === 'object' && entry !== null && !Array.isArray(entry)) {
      const { file } = entry as { file?: unknown };
      return typeof file === 'string' && !isAbsolute(file) && !looksLikeUri(file)
        ? { ...entry, file: resolve(configDir, file) }
        : entry;
    }
    return entry;
  });
}
