// An in-process Skiff over a temporary SQLite file, driven through app.request() (no sockets).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { libsqlFileDriver } from '../../src/db/drivers/libsql-file.ts';
import { createSkiff, type SkiffOptions } from '../../src/skiff.ts';
import { staticTokenAuthenticator } from '../../src/api/authn.ts';
import { silentLogger } from '../../src/util/log.ts';

export const TOKEN = 'test-token';

export interface Answer { status: number; headers: Headers; body: any; text: string }

export async function testSkiff(options: Partial<SkiffOptions> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-it-'));
  const skiff = await createSkiff({
    driver: libsqlFileDriver(join(dir, 'db.sqlite')),
    authenticate: staticTokenAuthenticator(TOKEN),
    feed: 'hub',
    coalesceWrites: true,
    log: silentLogger,
    ...options,
  });
  await skiff.clusters.ensure('default');

  /** A request to the default cluster's API; `body` objects are sent as JSON. */
  async function request(method: string, path: string, opts: { body?: unknown; raw?: BodyInit; contentType?: string; accept?: string; token?: string | null } = {}): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (opts.token !== null) headers.authorization = `Bearer ${opts.token ?? TOKEN}`;
    if (opts.accept) headers.accept = opts.accept;
    let body: BodyInit | undefined = opts.raw;
    if (opts.body !== undefined) body = JSON.stringify(opts.body);
    if (body !== undefined) headers['content-type'] = opts.contentType ?? 'application/json';
    const res = await skiff.app.request(`https://skiff.test/clusters/default${path}`, { method, headers, body });
    const text = await res.text();
    let parsed: any;
    try { parsed = JSON.parse(text); } catch { parsed = undefined; }
    return { status: res.status, headers: res.headers, body: parsed, text };
  }

  /** Opens a watch and returns an iterator of its events. */
  async function watch(path: string, signal: AbortSignal) {
    const res = await skiff.app.request(`https://skiff.test/clusters/default${path}`, { headers: { authorization: `Bearer ${TOKEN}` }, signal });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    return {
      status: res.status,
      async next(): Promise<any> {
        for (;;) {
          const i = buffer.indexOf('\n');
          if (i >= 0) { const line = buffer.slice(0, i); buffer = buffer.slice(i + 1); return JSON.parse(line); }
          const { value, done } = await reader.read();
          if (done) return undefined;
          buffer += decoder.decode(value, { stream: true });
        }
      },
      close: () => reader.cancel(),
    };
  }

  return { skiff, request, watch, close: () => skiff.store.close() };
}
