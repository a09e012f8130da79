// The client side of every benchmark. Floor and product are driven by exactly this code, so their
// figures differ only by the server: node:https over keep-alive agents, closed-loop workers.
import { Agent, request } from 'node:https';
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';

/** A server under test: where it listens and how to talk to it. */
export interface Endpoint { name: string; url: string; ca: string; token: string; pid: number }

export interface Reply { status: number; body: Buffer }

export type Send = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<Reply>;

/** A client for one endpoint over its own keep-alive agent (at most `sockets` connections). */
export function client(e: Endpoint, sockets = 50): { send: Send; close(): void } {
  const agent = new Agent({ keepAlive: true, maxSockets: sockets, ca: e.ca });
  const { hostname, port } = new URL(e.url);
  const auth = `Bearer ${e.token}`;
  const send: Send = (method, path, body, headers = {}) => new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const h: Record<string, string | number> = { authorization: auth, accept: 'application/json', ...headers };
    if (payload !== undefined) {
      h['content-type'] ??= 'application/json';
      h['content-length'] = Buffer.byteLength(payload);
    }
    const req = request({ agent, hostname, port, method, path, headers: h }, res => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
  return { send, close: () => agent.destroy() };
}

/**
 * Opens a streamed GET (a watch) on a connection of its own; `onLine` gets each line and its arrival time,
 * `onEnd` is told once if the server ends the stream (not when `close` does).
 */
export function stream(e: Endpoint, path: string, onLine: (line: string, at: number) => void, onEnd: () => void = () => {}): Promise<{ close(): void }> {
  const { hostname, port } = new URL(e.url);
  let closed = false;
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method: 'GET', ca: e.ca, agent: false,
      headers: { authorization: `Bearer ${e.token}`, accept: 'application/json' } }, (res: IncomingMessage) => {
      if (res.statusCode !== 200) { reject(new Error(`${e.name}: watch ${path} answered ${res.statusCode}`)); res.resume(); return; }
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const at = performance.now();
        buffer += chunk;
        let i;
        while ((i = buffer.indexOf('\n')) >= 0) { onLine(buffer.slice(0, i), at); buffer = buffer.slice(i + 1); }
      });
      const ended = () => { if (!closed) { closed = true; onEnd(); } };
      res.on('end', ended);
      res.on('error', ended);
      resolve({ close: () => { closed = true; req.destroy(); } });
    });
    req.on('error', err => { if (!req.destroyed) reject(err); });
    req.end();
  });
}

export interface LoadResult {
  /** Completed 2xx requests per second inside the measured window. */
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  firstError?: string;
  /** CPU used by the server process and by this (client) process during the window, in cores. */
  serverCores: number;
  clientCores: number;
}

/**
 * `concurrency` workers, each sending its next request as soon as the previous one answered, for
 * `warmupMs` (connections open, JIT warms) and then `durationMs`, the window that is counted.
 */
export async function closedLoop(
  e: Endpoint, concurrency: number, warmupMs: number, durationMs: number,
  next: (send: Send, worker: number, i: number) => Promise<Reply>,
): Promise<LoadResult> {
  const c = client(e, concurrency);
  const start = performance.now();
  const from = start + warmupMs;
  const until = from + durationMs;
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let cpuAtStart: { server: number; client: NodeJS.CpuUsage } | undefined;
  const cpuTimer = setTimeout(() => { cpuAtStart = { server: processCpuSeconds(e.pid), client: process.cpuUsage() }; }, warmupMs);
  const worker = async (w: number) => {
    for (let i = 0; performance.now() < until; i++) {
      const t0 = performance.now();
      let r: Reply;
      try {
        r = await next(c.send, w, i);
      } catch (err) {
        r = { status: 0, body: Buffer.from(String(err)) };
      }
      const t1 = performance.now();
      if (t1 < from || t1 > until) continue;
      if (r.status >= 200 && r.status < 300) latencies.push(t1 - t0);
      else { errors++; firstError ??= `${r.status} ${r.body.toString().slice(0, 300)}`; }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  clearTimeout(cpuTimer);
  const seconds = durationMs / 1000;
  const serverCores = cpuAtStart ? (processCpuSeconds(e.pid) - cpuAtStart.server) / seconds : NaN;
  const clientUsage = cpuAtStart ? process.cpuUsage(cpuAtStart.client) : undefined;
  const clientCores = clientUsage ? (clientUsage.user + clientUsage.system) / 1e6 / seconds : NaN;
  c.close();
  latencies.sort((a, b) => a - b);
  return {
    rps: latencies.length / seconds, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99),
    errors, firstError, serverCores, clientCores,
  };
}

/** Runs `count` jobs with `concurrency` in flight; fails on the first non-2xx reply. */
export async function runJobs(e: Endpoint, count: number, concurrency: number, job: (send: Send, i: number) => Promise<void>): Promise<void> {
  const c = client(e, concurrency);
  let next = 0;
  try {
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next < count) await job(c.send, next++);
    }));
  } finally {
    c.close();
  }
}

export function ok(r: Reply, what: string): Reply {
  if (r.status < 200 || r.status >= 300) throw new Error(`${what}: ${r.status} ${r.body.toString().slice(0, 500)}`);
  return r;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

export function median(values: number[]): number {
  return percentile([...values].sort((a, b) => a - b), 0.5);
}

const TICKS_PER_SECOND = 100; // USER_HZ: what /proc reports times in on Linux

/** User + system CPU seconds a process has used so far (Linux /proc), NaN elsewhere. */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces); utime and stime are the 14th and 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return NaN;
  }
}
