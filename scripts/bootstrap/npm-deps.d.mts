export const STAMP_NAME: string;
export type Stamp = { lockSha256: string; nodeAbi: string };
export type NpmState = { fresh: true; writeStamp: boolean } | { fresh: false; reason: string };
export function sha256(text: string): string;
export function lockfilesMatch(lock: unknown, hidden: unknown): boolean;
export function decideNpm(facts: {
  hasNodeModules: boolean;
  lockText: string;
  nodeAbi: string;
  stamp: Stamp | undefined;
  hiddenLock: unknown;
}): NpmState;
export function ensureNpmDependencies(root: string): void;

export function buildEnv(env: NodeJS.ProcessEnv, nodePath: string): NodeJS.ProcessEnv;
