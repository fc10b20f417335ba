// Vega-Lite spec -> Vega -> SVG and (through node `canvas`) PNG, written beside the spec.
// Rendering is headless (`renderer: 'none'`) and offline: specs carry their data inline.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Canvas } from 'canvas';
import { parse, View, type Loader, type ViewOptions } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { withTheme } from './theme.ts';

export interface RenderOptions {
  /** PNG pixels per chart unit; 2 gives sharp images on high-density screens. Default 1. */
  pngScale?: number;
}

export interface RenderedChart {
  vlJsonPath: string;
  svgPath: string;
  pngPath: string;
  /** The SVG document as written, e.g. to inline in an HTML report. */
  svg: string;
  /** PNG size in pixels, as vega drew it (axes, title and padding included). */
  width: number;
  height: number;
  /** Vega's runtime warnings, e.g. `Infinite extent for field "x"` when a layer has no rows. */
  warnings: string[];
}

/** What vega logged while rendering: errors fail the render, warnings are handed back. */
interface VegaLog {
  errors: string[];
  warnings: string[];
}

/**
 * Charts carry their data inline. Vega only warns on a failed load and draws an empty chart,
 * so a refusal is also logged as an error.
 */
function offlineLoader(log: VegaLog): Loader {
  // Vega awaits what a loader returns: a refusal is a rejected promise, never a synchronous throw.
  const refuse = (uri: string): Promise<never> => {
    const message = `chart specs must carry their data inline; refusing to load ${JSON.stringify(uri)}`;
    log.errors.push(message);
    return Promise.reject(new Error(message));
  };
  return { load: refuse, sanitize: refuse, http: refuse, file: refuse };
}

type Logger = NonNullable<ViewOptions['logger']>;

/** Plain functions, not methods: vega calls them with itself as receiver. */
function collectingLogger(log: VegaLog): Logger {
  const line = (args: unknown[]): string => args.map(String).join(' ');
  const logger: Logger = {
    level: () => 2, // vega-util's `Warn`
    error: (...args: unknown[]) => {
      log.errors.push(line(args));
      return logger;
    },
    warn: (...args: unknown[]) => {
      log.warnings.push(line(args));
      return logger;
    },
    info: () => logger,
    debug: () => logger,
  };
  return logger;
}

/** Writes `<outBase>.vl.json` (the themed spec), `<outBase>.svg` and `<outBase>.png`. */
export async function renderChart(
  spec: TopLevelSpec,
  outBase: string,
  options: RenderOptions = {},
): Promise<RenderedChart> {
  const pngScale = options.pngScale ?? 1;
  if (!(pngScale > 0))
    throw new TypeError(`renderChart: pngScale must be a positive number, got ${JSON.stringify(options.pngScale)}`);
  const themed = withTheme(spec);
  const { result, warnings } = await withView(themed, async (view) => {
    const svg = await view.toSVG();
    const canvas = await view.toCanvas(pngScale);
    // vega-canvas swallows a failed `import('canvas')` and hands back something else.
    if (!(canvas instanceof Canvas)) throw new Error('renderChart: vega did not draw on a node-canvas Canvas');
    return { svg, png: canvas.toBuffer('image/png'), width: canvas.width, height: canvas.height };
  });
  const chart: RenderedChart = {
    vlJsonPath: `${outBase}.vl.json`,
    svgPath: `${outBase}.svg`,
    pngPath: `${outBase}.png`,
    svg: result.svg,
    width: result.width,
    height: result.height,
    warnings,
  };
  await mkdir(dirname(outBase), { recursive: true });
  await Promise.all([
    writeFile(chart.vlJsonPath, `${JSON.stringify(themed, null, 2)}\n`),
    writeFile(chart.svgPath, chart.svg),
    writeFile(chart.pngPath, result.png),
  ]);
  return chart;
}

async function withView<T>(
  spec: TopLevelSpec,
  use: (view: View) => Promise<T>,
): Promise<{ result: T; warnings: string[] }> {
  // Vega tags each inline data row with a symbol; the clone keeps the caller's rows untouched.
  const runtime = parse(compile(structuredClone(spec)).spec);
  const log: VegaLog = { errors: [], warnings: [] };
  const view = new View(runtime, { renderer: 'none', loader: offlineLoader(log), logger: collectingLogger(log) });
  try {
    const result = await use(view);
    if (log.errors.length > 0) throw new Error(`chart rendering failed: ${log.errors.join('; ')}`);
    return { result, warnings: log.warnings };
  } finally {
    // Releases the view's timers and listeners.
    view.finalize();
  }
}
