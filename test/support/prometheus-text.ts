// Reads Prometheus text exposition (what /metrics answers) into samples, for assertions.
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parsePrometheusText(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = SAMPLE.exec(line);
      if (!match) throw new Error(`not a Prometheus sample line: ${JSON.stringify(line)}`);
      const labels = Object.fromEntries(
        [...(match[2] ?? '').matchAll(LABEL)].map((label) => [label[1]!, label[2]!.replace(/\\(.)/g, '$1')]),
      );
      return { name: match[1]!, labels, value: Number(match[3]) };
    });
}

/** The one sample of `name` whose labels include `labels`; throws when there is not exactly one. */
export function sampleOf(samples: readonly Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = samples.filter(
    (sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  );
  if (found.length !== 1) throw new Error(`${found.length} samples of ${name} ${JSON.stringify(labels)}`);
  return found[0]!.value;
}
