// Builds the Node server into dist/node.js (what `npm start` runs): one esbuild bundle of src/,
// with the packages in node_modules left as they are (libSQL's native binding among them).
import { build } from 'esbuild';

await build({
  entryPoints: ['src/node.ts'],
  outfile: 'dist/node.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
