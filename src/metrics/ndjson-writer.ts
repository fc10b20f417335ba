// Appends records to an NDJSON file as they happen: buffered, flushed every second and at close,
// always whole lines. A write failure (disk full, directory gone) is reported once and recording
// stops; serving goes on.
import { closeSync, openSync, writeSync } from 'node:fs';

export interface NdjsonWriter {
  readonly path: string;
  append(record: object): void;
  flush(): void;
  close(): void;
}

export interface NdjsonWriterOptions {
  flushIntervalMs?: number;
  onError(error: Error): void;
}

export function openNdjsonWriter(path: string, options: NdjsonWriterOptions): NdjsonWriter {
  const fd = openSync(path, 'a');
  let pending: string[] = [];
  let failed = false;
  let closed = false;

  const flush = (): void => {
    if (failed || pending.length === 0) return;
    const chunk = Buffer.from(pending.join(''));
    pending = [];
    try {
      let offset = 0;
      while (offset < chunk.length) offset += writeSync(fd, chunk, offset);
    } catch (error) {
      failed = true;
      options.onError(new Error(`could not append to ${path}: ${(error as Error).message}; recording stopped`));
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
      closeSync(fd);
    },
  };
}
