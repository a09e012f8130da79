// Starts the two servers under test as child processes (each gets a core of its own to contend for,
// and its CPU time can be read): Skiff exactly as `npm start` runs it, and the floor server.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startServer } from '../test/support/server.ts';
import type { Endpoint } from './load.ts';

export interface Started { endpoint: Endpoint; stop(): Promise<void> }

/** Builds the server as `npm start` does (dist/), so that the benchmarks measure what users run. */
export function buildSkiff() {
  execFileSync(process.execPath, ['scripts/build-node.mjs'], { stdio: 'inherit' });
}

/** Skiff's server; BENCH_SERVER_NODE_ARGS adds node flags, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof". */
export async function startSkiff(): Promise<Started & { dataDir: string; logs: string[] }> {
  const s = await startServer({ nodeArgs: (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean) });
  let stopping = false;
  // A server that goes away mid-run otherwise only shows up as reset or refused connections.
  s.process.once('exit', (code, signal) => {
    if (!stopping) process.stderr.write(`skiff exited unexpectedly (code ${code}, signal ${signal}); last log lines:\n${s.logs.slice(-20).join('\n')}\n`);
  });
  return {
    endpoint: { name: 'skiff', url: s.url, ca: s.caPem, token: s.token, pid: s.process.pid! },
    dataDir: s.dataDir,
    logs: s.logs,
    async stop() { stopping = true; await s.stop(); rmSync(s.dataDir, { recursive: true, force: true }); },
  };
}

/** The floor server, serving with the certificate found in `tlsDir` (Skiff's); it ignores the token, sent only so requests are byte-identical. */
export async function startFloor(tlsDir: string, ca: string, token: string): Promise<Started> {
  const dataDir = mkdtempSync(join(tmpdir(), 'skiff-floor-'));
  const child = spawn(process.execPath, ['--import', 'tsx', resolve('bench/floor-server.ts')], {
    env: { ...process.env, FLOOR_DATA_DIR: dataDir, FLOOR_TLS_DIR: tlsDir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((ok, fail) => {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const m = /"url":"([^"]+)"/.exec(buffer);
      if (m) ok(m[1]);
    });
    child.once('exit', code => fail(new Error(`floor server exited with ${code}`)));
  });
  let stopping = false;
  child.once('exit', (code, signal) => { if (!stopping) process.stderr.write(`floor exited unexpectedly (code ${code}, signal ${signal})\n`); });
  return {
    endpoint: { name: 'floor', url, ca, token, pid: child.pid! },
    async stop() {
      stopping = true;
      const exited = new Promise(r => child.once('exit', r));
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise(r => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
