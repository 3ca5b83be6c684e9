// Bundles the admin's GraphQL IDE (GraphiQL, React and the sign-in bar of src/server/ide/browser) into
// dist/ide/ide.js and dist/ide/ide.css, which the server serves itself: the IDE works with no internet.
// Runs from `npm install` (postinstall) and `npm run build`; `--if-missing` skips a build already there.
// Plain .mjs so that it runs before anything is compiled.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outputDirectory = path.join(root, 'dist', 'ide');

if (process.argv.includes('--if-missing') && existsSync(path.join(outputDirectory, 'ide.js')) && existsSync(path.join(outputDirectory, 'ide.css'))) {
  process.exit(0);
}

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  // `npm install --omit=optional` leaves esbuild without its binary: the API still works, the IDE does not.
  console.warn('ide-build: esbuild is not installed; the GraphQL IDE will not be served until `npm run build` succeeds');
  process.exit(0);
}

const started = Date.now();
const result = await esbuild.build({
  entryPoints: { ide: path.join(root, 'src', 'server', 'ide', 'browser', 'main.jsx') },
  outdir: outputDirectory,
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['chrome109', 'firefox115', 'safari16'],
  jsx: 'automatic',
  define: { 'process.env.NODE_ENV': '"production"' },
  loader: { '.woff': 'dataurl', '.woff2': 'dataurl', '.ttf': 'dataurl', '.svg': 'dataurl', '.png': 'dataurl' },
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
});
const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
console.log(`ide-build: dist/ide (${Math.round(bytes / 1024)} KB) in ${Date.now() - started} ms`);
