import { startServer } from '../test/support/server.ts';
import { runJobs, ok } from './load.ts';
import { pod, runningPodStatus } from './objects.ts';
const s = await startServer();
s.process.on('exit', (code, sig) => console.error('SERVER EXIT', code, sig, '\n' + s.logs.slice(-30).join('\n')));
const e = { name: 'skiff', url: s.url, ca: s.caPem, token: s.token, pid: s.process.pid! };
const { client } = await import('./load.ts');
const c = client(e, 1);
ok(await c.send('POST', '/clusters/default/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'p' } }), 'ns'); c.close();
const t = performance.now();
try {
  await runJobs(e, 10000, 50, async (send, i) => {
    const name = `web-${i}`;
    ok(await send('POST', '/clusters/default/api/v1/namespaces/p/pods', pod('p', name, i)), 'pod');
    ok(await send('PATCH', `/clusters/default/api/v1/namespaces/p/pods/${name}/status`, runningPodStatus(name, i, new Date()), { 'content-type': 'application/merge-patch+json' }), 'status');
    if (i % 1000 === 0) console.error(i, ((performance.now() - t) / 1000).toFixed(1));
  });
} catch (err) { console.error('CLIENT ERROR', err, 'exitCode', s.process.exitCode, 'signal', s.process.signalCode); await new Promise(r => setTimeout(r, 1000)); }
console.error('done', ((performance.now() - t) / 1000).toFixed(1));
await s.stop();
