// Builds the Node server into dist/node.js (what `npm start` runs) and its database writer thread into
// dist/db-writer.js: esbuild bundles of src/, with the packages in node_modules left as they are
// (libSQL's native binding among them).
import { build } from 'esbuild';

await build({
  entryPoints: { node: 'src/node.ts', 'db-writer': 'src/db/drivers/file-writer-thread.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
