// Builds the Worker exactly as `wrangler deploy` would (wrangler's own esbuild bundling of src/worker.ts
// with wrangler.toml's settings), without uploading, and checks the bundle holds no Node-only code.
// Usage: tsx scripts/build-worker.ts [outdir]   (default dist/worker)
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const root = resolve(import.meta.dirname, '..');

/** Node-only code that must never reach the Worker: the libSQL client, the Node server and its helpers. */
const FORBIDDEN_INPUTS = [/node_modules\/@libsql\//, /node_modules\/libsql\//, /node_modules\/@hono\/node-server\//,
  /^src\/node\.ts$/, /^src\/server\//, /^src\/db\/drivers\/libsql\.ts$/];
/** Node built-ins workerd does not really provide; importing one means Node-only code slipped in. */
const FORBIDDEN_BUILTINS = /^(node:)?(fs|fs\/promises|child_process|net|tls|http|https|http2|os|worker_threads|cluster|dgram)$/;

export interface WorkerBuild {
  /** The bundled Worker module. */
  scriptPath: string;
  /** Every source file and package file the bundle was made from (repo-relative). */
  inputs: string[];
  /** Modules left for the runtime to provide (e.g. `node:` built-ins under nodejs_compat). */
  externals: string[];
}

export async function buildWorker(outdir = join(root, 'dist/worker')): Promise<WorkerBuild> {
  const metafile = join(outdir, 'bundle-meta.json');
  await promisify(execFile)(join(root, 'node_modules/.bin/wrangler'), ['deploy', '--dry-run', '--outdir', outdir, '--metafile', metafile], {
    cwd: root,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', NO_COLOR: '1' },
  });
  const meta = JSON.parse(readFileSync(metafile, 'utf8')) as { inputs: Record<string, { imports: { path: string; external?: boolean }[] }> };
  const inputs = Object.keys(meta.inputs);
  // `<runtime>` is esbuild's own helper module, not an import.
  const externals = [...new Set(Object.values(meta.inputs).flatMap(i => i.imports.filter(x => x.external && x.path !== '<runtime>').map(x => x.path)))];
  const problems = [
    ...inputs.filter(i => FORBIDDEN_INPUTS.some(re => re.test(i))).map(i => `bundles Node-only ${i}`),
    ...externals.filter(x => FORBIDDEN_BUILTINS.test(x)).map(x => `imports Node-only ${x}`),
  ];
  if (problems.length) throw new Error(`the Worker bundle is not Worker-safe:\n  ${problems.join('\n  ')}`);
  return { scriptPath: join(outdir, 'worker.js'), inputs, externals };
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const build = await buildWorker(process.argv[2] ? resolve(process.argv[2]) : undefined);
  console.log(`built ${build.scriptPath} from ${build.inputs.length} files; runtime modules: ${build.externals.join(', ') || 'none'}`);
}
