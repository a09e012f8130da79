// Watches from the Worker in workerd: events stream as they happen (not buffered by compression).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, startWorker, type RunningWorker } from './harness.ts';

let worker: RunningWorker;
beforeAll(async () => {
  worker = await startWorker();
  await worker.call('POST', `${API}/api/v1/namespaces`, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'watched' } });
});
afterAll(async () => { await worker?.dispose(); });

const CMS = `${API}/api/v1/namespaces/watched/configmaps`;

/** Reads a watch response one JSON line at a time; fails if an event takes longer than `ms`. */
function events(res: Response) {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  return {
    async next(ms = 5000): Promise<{ type: string; object: any }> {
      const deadline = Date.now() + ms;
      while (!buffered.includes('\n')) {
        const chunk = await Promise.race([
          reader.read(),
          new Promise<never>((_, fail) => setTimeout(() => fail(new Error(`no watch event within ${ms} ms (have ${JSON.stringify(buffered)})`)), deadline - Date.now())),
        ]);
        if (chunk.done) throw new Error('the watch ended');
        buffered += chunk.value;
      }
      const i = buffered.indexOf('\n');
      const line = buffered.slice(0, i);
      buffered = buffered.slice(i + 1);
      return JSON.parse(line);
    },
    close: () => reader.cancel(),
  };
}

const put = (name: string, data: Record<string, string>) =>
  worker.call('POST', CMS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });

describe('watch on the Worker', () => {
  it('streams each change as it happens', async () => {
    const first = await put('first', { n: '1' });
    const rv = first.body.metadata.resourceVersion;
    // Ask for gzip as clients do: the response must still stream.
    const res = await worker.fetch(`${CMS}?watch=true&resourceVersion=${rv}`, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBe('identity');
    expect(res.headers.get('content-type')).toBe('application/json');
    const watch = events(res);
    try {
      // Each event is read before the next change is made: nothing waits for the response to end.
      await put('second', { n: '2' });
      expect(await watch.next()).toMatchObject({ type: 'ADDED', object: { kind: 'ConfigMap', metadata: { name: 'second' }, data: { n: '2' } } });
      await worker.call('PATCH', `${CMS}/first`, { data: { n: 'one' } }, 'application/merge-patch+json');
      expect(await watch.next()).toMatchObject({ type: 'MODIFIED', object: { metadata: { name: 'first' }, data: { n: 'one' } } });
      await worker.call('DELETE', `${CMS}/second`);
      expect(await watch.next()).toMatchObject({ type: 'DELETED', object: { metadata: { name: 'second' } } });
    } finally {
      await watch.close();
    }
  });

  it('ends the initial events of a WatchList with the initial-events-end bookmark', async () => {
    await put('listed', { n: '3' });
    const existing = (await worker.call('GET', CMS)).body.items.map((i: any) => i.metadata.name).sort();
    const res = await worker.fetch(`${CMS}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`);
    expect(res.status).toBe(200);
    const watch = events(res);
    try {
      const added: string[] = [];
      let event = await watch.next();
      while (event.type === 'ADDED') { added.push(event.object.metadata.name); event = await watch.next(); }
      expect(added.sort()).toEqual(existing);
      expect(event).toMatchObject({
        type: 'BOOKMARK',
        object: { kind: 'ConfigMap', apiVersion: 'v1', metadata: { annotations: { 'k8s.io/initial-events-end': 'true' } } },
      });
      const bookmarkRv = Number(event.object.metadata.resourceVersion);
      // Then it goes on as a watch from that point.
      const later = await put('later', { n: '4' });
      expect(Number(later.body.metadata.resourceVersion)).toBeGreaterThan(bookmarkRv);
      expect(await watch.next()).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'later' } } });
    } finally {
      await watch.close();
    }
  });
});
