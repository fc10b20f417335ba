// The host to print in URLs: a wildcard bind address is not something a client can dial.
import { networkInterfaces } from 'node:os';

export function reachableHost(bindHost: string): string {
  if (bindHost === '0.0.0.0' || bindHost === '::') {
    const external = Object.values(networkInterfaces())
      .flat()
      .find((address) => address !== undefined && !address.internal && address.family === 'IPv4');
    return external?.address ?? '127.0.0.1';
  }
  return bindHost;
}
