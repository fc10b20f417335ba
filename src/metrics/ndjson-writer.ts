// Appends records to an NDJSON file as they happen: buffered, flushed every second and at close,
// always whole lines. A write failure (disk full, directory gone) is reported once and recording
// stops; serving goes on. A write cut short (ENOSPC after part of a chunk) is undone by
// truncating the file back to its last whole line, so what was written stays parseable.
import { closeSync, fstatSync, ftruncateSync, openSync, writeSync } from 'node:fs';

export interface NdjsonWriter {
  readonly path: string;
  append(record: object): void;
  flush(): void;
  close(): void;
}

/** The file calls the writer makes; tests pass a failing `write`. */
export interface NdjsonFs {
  write(fd: number, buffer: Buffer, offset: number): number;
  truncate(fd: number, length: number): void;
  /** Links to the open file: 0 once it (or its folder) was removed. */
  links(fd: number): number;
}

const realFs: NdjsonFs = {
  write: (fd, buffer, offset) => writeSync(fd, buffer, offset),
  truncate: (fd, length) => ftruncateSync(fd, length),
  links: (fd) => fstatSync(fd).nlink,
};

export interface NdjsonWriterOptions {
  flushIntervalMs?: number;
  onError(error: Error): void;
  fs?: NdjsonFs;
}

export function openNdjsonWriter(path: string, options: NdjsonWriterOptions): NdjsonWriter {
  const fs = options.fs ?? realFs;
  const fd = openSync(path, 'a');
  /** Bytes of whole lines in the file. */
  let wholeBytes = fstatSync(fd).size;
  let pending: string[] = [];
  let failed = false;
  let closed = false;

  const fail = (error: unknown): void => {
    failed = true;
    pending = [];
    let undone = '';
    try {
      fs.truncate(fd, wholeBytes);
    } catch (truncateError) {
      undone = `; the last line may be cut (truncate failed: ${(truncateError as Error).message})`;
    }
    options.onError(
      new Error(
        `could not append to ${path}: ${(error as Error).message}; recording stopped, the ${wholeBytes} bytes written so far are kept${undone}`,
      ),
    );
  };

  const flush = (): void => {
    if (failed || pending.length === 0) return;
    const chunk = Buffer.from(pending.join(''));
    pending = [];
    try {
      // Writing on into a removed file would lose every record without a word.
      if (fs.links(fd) === 0) throw new Error('the file or its folder was removed');
      let offset = 0;
      while (offset < chunk.length) {
        const written = fs.write(fd, chunk, offset);
        if (written <= 0) throw new Error('write made no progress');
        offset += written;
      }
      wholeBytes += chunk.length;
    } catch (error) {
      fail(error);
    }
  };
  const timer = setInterval(flush, options.flushIntervalMs ?? 1_000);
  timer.unref();

  return {
    path,
    append(record) {
      if (!failed && !closed) pending.push(`${JSON.stringify(record)}\n`);
    },
    flush,
    close() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      flush();
      try {
        closeSync(fd);
      } catch (error) {
        if (!failed) options.onError(new Error(`could not close ${path}: ${(error as Error).message}`));
      }
    },
  };
}
