// Build ../../static/vendor/plotly-budget.min.js from entry.js with the pinned esbuild.
// Deterministic: no sourcemap, no banner with dates, fixed target; `npm ci && npm run build`
// reproduces the committed file byte for byte (check-bundle.mjs compares them).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { readFileSync } from 'node:fs';

const here = path.dirname(fileURLToPath(import.meta.url));
const pinned = JSON.parse(readFileSync(path.join(here, 'package.json'), 'utf8')).devDependencies;
const outfile = process.argv[2] || path.join(here, '../../static/vendor/plotly-budget.min.js');

await build({
  entryPoints: [path.join(here, 'entry.js')],
  outfile,
  bundle: true,
  minify: true,
  format: 'iife',
  globalName: 'Plotly',
  target: 'es2017',
  legalComments: 'eof',
  banner: { js: `/*! plotly-budget: plotly.js ${pinned['plotly.js']} core+bar+pie+sunburst+zh-CN, esbuild ${pinned.esbuild} (tools/plotly-bundle) */` },
  sourcemap: false,
  charset: 'utf8',
  // registry.js require()s the maplibre CSS for map traces, which this bundle leaves out.
  loader: { '.css': 'empty' },
  define: { global: 'window', 'define.amd': 'false', 'process.env.NODE_DEBUG': 'false' },
  logLevel: 'warning',
});
