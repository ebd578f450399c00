// Rebuild into a temporary file and compare with the committed bundle: exit 1 if they differ.
import { execFileSync } from 'node:child_process';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const fresh = path.join(mkdtempSync(path.join(tmpdir(), 'plotly-budget-')), 'plotly-budget.min.js');
execFileSync(process.execPath, [path.join(here, 'build.mjs'), fresh], { stdio: 'inherit' });
const committed = path.join(here, '../../static/vendor/plotly-budget.min.js');
if (!readFileSync(fresh).equals(readFileSync(committed))) {
  console.error(`static/vendor/plotly-budget.min.js differs from a fresh build (${fresh})`);
  process.exit(1);
}
console.log('static/vendor/plotly-budget.min.js matches a fresh build');
