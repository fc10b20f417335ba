import type { Target } from './packages.mjs';
export type Plan =
  | { action: 'none' }
  | { action: 'install'; missing: string[]; updateFirst: boolean; install: string[]; update: string[] }
  | { action: 'ask-root'; missing: string[]; command: string };
export function planSystemPackages(facts: { missing: readonly string[]; isRoot: boolean; listsEmpty: boolean }): Plan;
export function aptListsEmpty(dir?: string): boolean;
export function ensureSystemPackages(target: Target): void;
