// Starts the real `npm start` server (dist/node.js, built from src/node.ts) as a child process on a free port.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const BUILT = resolve('dist/node.js');

export interface RunningServer {
  url: string;
  port: number;
  dataDir: string;
  kubeconfig: string;
  token: string;
  caPem: string;
  process: ChildProcess;
  logs: string[];
  stop(): Promise<void>;
}

export async function startServer(opts: { dataDir?: string; env?: Record<string, string>; nodeArgs?: string[] } = {}): Promise<RunningServer> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'skiff-e2e-'));
  if (!existsSync(BUILT)) execFileSync(process.execPath, ['scripts/build-node.mjs']);
  const child = spawn(process.execPath, ['--enable-source-maps', ...(opts.nodeArgs ?? []), BUILT], {
    env: { ...process.env, SKIFF_DATA_DIR: dataDir, SKIFF_PORT: '0', SKIFF_LOG_LEVEL: 'info', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const url = await new Promise<string>((ok, fail) => {
    let buffer = '';
    const timer = setTimeout(() => fail(new Error(`server did not start:\n${logs.join('\n')}`)), 60_000);
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString();
      let i;
      while ((i = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 1);
        logs.push(line);
        try {
          const entry = JSON.parse(line);
          if (entry.msg === 'serving') { clearTimeout(timer); ok(entry.url); }
        } catch { /* not a log line */ }
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => logs.push(c.toString()));
    child.once('exit', code => { clearTimeout(timer); fail(new Error(`server exited with ${code}:\n${logs.join('\n')}`)); });
  });
  return {
    url,
    port: Number(new URL(url).port),
    dataDir,
    kubeconfig: join(dataDir, 'kubeconfig'),
    token: readFileSync(join(dataDir, 'admin-token'), 'utf8').trim(),
    caPem: readFileSync(join(dataDir, 'ca.crt'), 'utf8'),
    process: child,
    logs,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise(r => child.once('exit', r));
      child.kill('SIGTERM');
      // A profiling server (--cpu-prof) writes its profile on the way out, which can take a while.
      await Promise.race([exited, new Promise(r => setTimeout(r, 30_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
