// One clock for every bench observation: wall-clock milliseconds since the epoch with
// sub-millisecond resolution, comparable with `ping -D` stamps and the server's `started_at`.
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}
