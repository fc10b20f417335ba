export type Target = 'start' | 'test';
export const TARGETS: readonly ['start', 'test'];
export function requiredPackages(target: Target): string[];
