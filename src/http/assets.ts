// The dashboard's files, read once at start from the repository and its node_modules (so it works
// offline), and its chart specs, compiled once: all served from memory, no request names a file.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dashboardSpecs } from './dashboard-specs.ts';
import type { AssetPath } from './routes.ts';

export interface Asset {
  body: Buffer;
  contentType: string;
}

const fromRepo = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));

const FILES: Readonly<Record<Exclude<AssetPath, '/dashboard-specs.json'>, { file: string; contentType: string }>> = {
  '/': { file: 'web/dashboard.html', contentType: 'text/html; charset=utf-8' },
  '/dashboard.js': { file: 'web/dashboard.js', contentType: 'text/javascript; charset=utf-8' },
  '/whep-player.js': { file: 'web/whep-player.js', contentType: 'text/javascript; charset=utf-8' },
  '/dashboard.css': { file: 'web/dashboard.css', contentType: 'text/css; charset=utf-8' },
  '/vendor/vega.min.js': { file: 'node_modules/vega/build/vega.min.js', contentType: 'text/javascript; charset=utf-8' },
};

export function loadAssets(): ReadonlyMap<AssetPath, Asset> {
  const specs: Asset = {
    body: Buffer.from(JSON.stringify(dashboardSpecs())),
    contentType: 'application/json; charset=utf-8',
  };
  return new Map([
    ['/dashboard-specs.json', specs],
    ...Object.entries(FILES).map(([path, { file, contentType }]): [AssetPath, Asset] => {
      const name = fromRepo(file);
      try {
        return [path as AssetPath, { body: readFileSync(name), contentType }];
      } catch (error) {
        throw new Error(
          `dashboard file ${name} cannot be read: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        );
      }
    }),
  ]);
}
