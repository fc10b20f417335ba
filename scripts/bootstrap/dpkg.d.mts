export const DPKG_STATUS_PATH: string;
export function parseDpkgStatus(text: string): Set<string>;
export function parseProvides(value: string): string[];
export function missingPackages(required: readonly string[], installed: ReadonlySet<string>): string[];
export function readInstalledPackages(path?: string): Set<string> | undefined;
