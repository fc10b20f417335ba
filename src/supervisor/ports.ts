// Checks before start that the ports a run needs are free, so a clash is one clear error.
import { createServer } from 'node:net';

export interface TakenPort {
  port: number;
  code: string;
}

function probePort(host: string, port: number): Promise<TakenPort | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolve({ port, code: error.code ?? error.message }));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
}

export async function findTakenPorts(host: string, ports: readonly number[]): Promise<TakenPort[]> {
  const results = await Promise.all(ports.map((port) => probePort(host, port)));
  return results.filter((result): result is TakenPort => result !== undefined);
}
