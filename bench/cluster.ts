// `npm run bench:cluster`: the speed figures of the reconcilers (scheduler, simulated kubelet, node
// lifecycle, node pools), each on a fresh server built as `npm start` builds it (a child process, so its CPU and memory can
// be read from /proc). This process is the client; it shares the machine's cores with the server, so what
// it spends is printed too.
//
//   1. scheduling throughput: 5,000 simulated nodes, 10,000 pods held by a scheduling gate, then ungated
//   2. pod startup latency: created (POST answered) -> Running and Ready (watch event), 20 pods/s
//   3. server CPU with 1,000 nodes heartbeating (a Lease renewal per node every 10 s)
//   4. server RSS holding 100,000 Running pods on 1,000 nodes
//
// Knobs (environment): BENCH_FIGURES (e.g. "1,3"; default all), BENCH_CONCURRENCY, BENCH_SCHED_NODES,
// BENCH_SCHED_PODS, BENCH_STARTUP_NODES, BENCH_STARTUP_RATE, BENCH_STARTUP_SECONDS, BENCH_HEARTBEAT_NODES,
// BENCH_HEARTBEAT_SETTLE_SECONDS, BENCH_HEARTBEAT_SECONDS, BENCH_HOLD_NODES, BENCH_HOLD_PODS;
// BENCH_SERVER_NODE_ARGS: extra node flags for the server (bench/servers.ts).
import { readFileSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { client, ok, percentile, processCpuSeconds, runJobs, stream, type Endpoint, type Send } from './load.ts';
import { buildSkiff, startSkiff } from './servers.ts';
import { elapsedSeconds, envNumber, f0, f1, f2, progress, sleep } from './common.ts';

// The server runs as `npm start` runs it: from a fresh build.
buildSkiff();

const FIGURES = new Set((process.env.BENCH_FIGURES ?? '1,2,3,4').split(',').map(s => Number(s.trim())));
const CONCURRENCY = envNumber('BENCH_CONCURRENCY', 50);
const SCHED_NODES = envNumber('BENCH_SCHED_NODES', 5000);
const SCHED_PODS = envNumber('BENCH_SCHED_PODS', 10_000);
const STARTUP_NODES = envNumber('BENCH_STARTUP_NODES', 10);
const STARTUP_RATE = envNumber('BENCH_STARTUP_RATE', 20);
const STARTUP_SECONDS = envNumber('BENCH_STARTUP_SECONDS', 40);
const HB_NODES = envNumber('BENCH_HEARTBEAT_NODES', 1000);
const HB_SETTLE_SECONDS = envNumber('BENCH_HEARTBEAT_SETTLE_SECONDS', 20);
const HB_SECONDS = envNumber('BENCH_HEARTBEAT_SECONDS', 60);
const HOLD_NODES = envNumber('BENCH_HOLD_NODES', 1000);
const HOLD_PODS = envNumber('BENCH_HOLD_PODS', 100_000);

const API = '/clusters/default/api/v1';
const POOL = '/clusters/default/apis/skiff.dev/v1alpha1/nodepools/sim';
const podsPath = (ns: string) => `${API}/namespaces/${ns}/pods`;
const MERGE = { 'content-type': 'application/merge-patch+json' };

interface Figure { name: string; value: string; target: string; reference: string; met: boolean; seconds: number; details: string[] }
const figures: Figure[] = [];
const failures: string[] = [];

const mib = (kib: number) => `${f0(kib / 1024)} MiB`;

// ---- the server process, from /proc ----

/** VmRSS and VmHWM (peak) of a process, in KiB. */
function memoryKiB(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: field('VmRSS'), hwm: field('VmHWM') };
}

/** CPU (server and this client) between two moments, as a share of one core. */
function cpuMeter(pid: number) {
  const t = performance.now(), server = processCpuSeconds(pid), own = process.cpuUsage();
  return () => {
    const seconds = (performance.now() - t) / 1000;
    const u = process.cpuUsage(own);
    return { seconds, server: (processCpuSeconds(pid) - server) / seconds, client: (u.user + u.system) / 1e6 / seconds };
  };
}

/** The server's JavaScript heap, used of taken, from its /metrics. */
async function heapMiB(send: Send): Promise<string> {
  const text = ok(await send('GET', '/metrics'), 'metrics').body.toString();
  const gauge = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN) / 2 ** 20;
  return `${f0(gauge('nodejs_heap_size_used_bytes'))} of ${f0(gauge('nodejs_heap_size_total_bytes'))} MiB used`;
}

const dbSizeMiB = (dataDir: string) => {
  let bytes = 0;
  for (const f of ['skiff.db', 'skiff.db-wal']) try { bytes += statSync(join(dataDir, f)).size; } catch { /* absent */ }
  return bytes / 2 ** 20;
};

// ---- watches ----

/**
 * A watch as a reflector keeps one: on its own connection, and when the server ends it (a watch that falls
 * behind is ended, as in Kubernetes) it is opened again from the last resourceVersion seen, so no event is
 * lost. `onLine` gets each raw event line and its arrival time; parsing is left to it (at 100,000 pods the
 * client cannot afford to parse every event).
 */
async function watch(e: Endpoint, path: string, onLine: (line: string, at: number) => void): Promise<{ close(): void; restarts(): number }> {
  let closing = false, restarts = 0, rv = '';
  let current: { close(): void } | undefined;
  const open = async (): Promise<void> => {
    const query = `watch=1&allowWatchBookmarks=true${rv ? `&resourceVersion=${rv}` : ''}`;
    current = await stream(e, `${path}${path.includes('?') ? '&' : '?'}${query}`, (line, at) => {
      const m = /"resourceVersion":"(\d+)"/.exec(line);
      if (m) rv = m[1];
      if (line.includes('"type":"ERROR"')) { progress(`watch ${path}: ${line.slice(0, 300)}`); return; }
      if (!line.startsWith('{"type":"BOOKMARK"')) onLine(line, at);
    }, () => {
      if (closing) return;
      restarts++;
      open().catch(err => progress(`watch ${path} could not be reopened: ${err.message}`));
    });
  };
  await open();
  return { close: () => { closing = true; current?.close(); }, restarts: () => restarts };
}

// ---- nodes ----

async function scalePool(send: Send, replicas: number) {
  ok(await send('PATCH', POOL, { spec: { replicas } }, MERGE), `scale pool sim to ${replicas}`);
}

/** Nodes Ready, untainted and with a pod CIDR, by a paged list (a pool's status may run ahead of the taints). */
async function countUsableNodes(send: Send): Promise<{ total: number; usable: number }> {
  let token = '', total = 0, usable = 0;
  do {
    const page = JSON.parse(ok(await send('GET', `${API}/nodes?limit=500${token ? `&continue=${encodeURIComponent(token)}` : ''}`), 'list nodes').body.toString());
    for (const n of page.items) {
      total++;
      const ready = (n.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
      const tainted = (n.spec?.taints ?? []).some((t: any) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
      if (ready && !tainted && n.spec?.podCIDR) usable++;
    }
    token = page.metadata?.continue ?? '';
  } while (token);
  return { total, usable };
}

/** Scales the default pool and waits until every node is Ready, untainted and has a pod CIDR. */
async function bringUpNodes(e: Endpoint, send: Send, replicas: number, timeoutS = 900): Promise<{ seconds: number; line: string }> {
  const meter = cpuMeter(e.pid);
  const t = performance.now();
  await scalePool(send, replicas);
  let lastReport = 0;
  for (;;) {
    const pool = JSON.parse(ok(await send('GET', POOL), 'get pool').body.toString());
    const elapsed = (performance.now() - t) / 1000;
    if ((pool.status?.readyReplicas ?? 0) >= replicas) {
      const c = await countUsableNodes(send);
      if (c.usable >= replicas) break;
      progress(`  pool reports ${replicas} Ready; ${c.usable} of ${c.total} nodes usable (Ready, untainted, podCIDR)`);
    } else if (elapsed - lastReport >= 10) {
      lastReport = elapsed;
      progress(`  nodes: ${pool.status?.replicas ?? 0} created, ${pool.status?.readyReplicas ?? 0} Ready of ${replicas} after ${f0(elapsed)} s`);
    }
    if (elapsed > timeoutS) throw new Error(`nodes not Ready after ${timeoutS} s`);
    await sleep(1000);
  }
  const seconds = (performance.now() - t) / 1000;
  const cpu = meter();
  const line = `${replicas} nodes Ready in ${f1(seconds)} s (${f0(replicas / seconds)} nodes/s; server ${f0(cpu.server * 100)}% of a core meanwhile)`;
  progress(`  ${line}`);
  return { seconds, line };
}

// ---- pods ----

/** scheduler_perf's pod (config/templates/pod-default.yaml), optionally held by a scheduling gate. */
function perfPod(namespace: string, name: string, gated: boolean) {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace },
    spec: {
      containers: [{
        name: 'pause', image: 'registry.k8s.io/pause:3.10', ports: [{ containerPort: 80 }],
        resources: { limits: { cpu: '100m', memory: '500Mi' }, requests: { cpu: '100m', memory: '500Mi' } },
      }],
      ...(gated ? { schedulingGates: [{ name: 'bench.skiff.dev/hold' }] } : {}),
    },
  };
}

/** A pod as `kubectl run NAME --image=nginx` sends it. */
function runPod(namespace: string, name: string) {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace, labels: { run: name } },
    spec: { containers: [{ name: 'app', image: 'nginx:1.27', resources: {} }], restartPolicy: 'Always', dnsPolicy: 'ClusterFirst' },
  };
}

const isRunningReady = (pod: any) => pod?.status?.phase === 'Running'
  && (pod.status.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');

async function createNamespace(send: Send, name: string) {
  ok(await send('POST', `${API}/namespaces`, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }), `namespace ${name}`);
}

/** Waits until `done()`, printing `status()` every `everyS` seconds; throws after `timeoutS`. */
async function waitFor(what: string, done: () => boolean, status: () => string, timeoutS: number, everyS = 5) {
  const t = performance.now();
  let last = t;
  while (!done()) {
    await sleep(50);
    const now = performance.now();
    if (now - last >= everyS * 1000) { last = now; progress(`  ${status()}`); }
    if (now - t > timeoutS * 1000) throw new Error(`${what}: not done after ${timeoutS} s (${status()})`);
  }
}

// ---- 1: scheduling throughput ----

async function schedulingFigure(e: Endpoint, dataDir: string) {
  const admin = client(e, CONCURRENCY);
  const ns = 'sched';
  await createNamespace(admin.send, ns);
  progress(`1. bringing up ${SCHED_NODES} simulated nodes (NodePool sim)`);
  const nodes = await bringUpNodes(e, admin.send, SCHED_NODES);

  // Binding times come from a watch opened before the first pod: the first event showing spec.nodeName.
  const boundAt = new Map<string, number>();
  const nodesUsed = new Set<string>();
  let unschedulable = 0;
  const w = await watch(e, podsPath(ns), (line, at) => {
    if (!line.includes('"nodeName"')) {
      if (line.includes('"Unschedulable"')) unschedulable++;
      return;
    }
    const name = /"name":"(sched-\d+)"/.exec(line)?.[1];
    if (!name || boundAt.has(name)) return;
    boundAt.set(name, at);
    const node = /"nodeName":"([^"]+)"/.exec(line)?.[1];
    if (node) nodesUsed.add(node);
  });
  await sleep(300);

  progress(`1. creating ${SCHED_PODS} pods with a scheduling gate (${CONCURRENCY} clients)`);
  const name = (i: number) => `sched-${String(i).padStart(5, '0')}`;
  let t = performance.now();
  await runJobs(e, SCHED_PODS, CONCURRENCY, async (send, i) => { ok(await send('POST', podsPath(ns), perfPod(ns, name(i), true)), `create ${name(i)}`); });
  const createS = (performance.now() - t) / 1000;
  progress(`  created in ${f1(createS)} s (${f0(SCHED_PODS / createS)} pods/s); ${boundAt.size} bound so far`);
  if (boundAt.size) throw new Error(`${boundAt.size} gated pods were bound`);
  await sleep(2000); // the passes the creates woke are over: nothing to schedule, so the window starts quiet

  // The window: from the first ungating PATCH sent to the last binding seen.
  progress(`1. removing the gates (merge PATCH spec.schedulingGates=null per pod, ${CONCURRENCY} clients); measuring until all are bound`);
  const meter = cpuMeter(e.pid);
  const start = performance.now(), startWall = Date.now();
  let ungatedAt = 0;
  const ungating = runJobs(e, SCHED_PODS, CONCURRENCY, async (send, i) => {
    ok(await send('PATCH', `${podsPath(ns)}/${name(i)}`, { spec: { schedulingGates: null } }, MERGE), `ungate ${name(i)}`);
  }).then(() => { ungatedAt = performance.now(); });
  await waitFor('binding', () => boundAt.size >= SCHED_PODS,
    () => `${boundAt.size} of ${SCHED_PODS} bound after ${f1((performance.now() - start) / 1000)} s${ungatedAt ? '' : ' (still ungating)'}`, 900);
  await ungating;
  const cpu = meter();
  w.close();
  // The binding times that do not depend on the watch keeping up (a saturated server delivers watch events
  // late): each binding's Scheduled event is named `<pod>.<hex Unix nanoseconds>`, as Kubernetes names events,
  // from the scheduler's clock just after the binding was written. Both clocks are this machine's.
  const scheduledAt = new Map<string, number>();
  for (let token = ''; ;) {
    const page = JSON.parse(ok(await admin.send('GET', `${API}/namespaces/${ns}/events?fieldSelector=reason%3DScheduled&limit=2000${token ? `&continue=${encodeURIComponent(token)}` : ''}`), 'list events').body.toString());
    for (const ev of page.items) {
      const m = /^(sched-\d+)\.([0-9a-f]+)$/.exec(ev.metadata.name);
      if (m) scheduledAt.set(m[1], Number(BigInt(`0x${m[2]}`) / 1_000_000n) - startWall + start);
    }
    token = page.metadata?.continue ?? '';
    if (!token) break;
  }
  if (scheduledAt.size !== SCHED_PODS) throw new Error(`${scheduledAt.size} Scheduled events for ${SCHED_PODS} pods`);
  const times = [...scheduledAt.values()];
  const last = Math.max(...times);
  const seconds = (last - start) / 1000;
  const rate = SCHED_PODS / seconds;
  const watchSeconds = (Math.max(...boundAt.values()) - start) / 1000;
  const boundWhileUngating = times.filter(x => x <= ungatedAt).length;
  const afterUngate = (SCHED_PODS - boundWhileUngating) / ((last - ungatedAt) / 1000);
  // Per-second samples, as scheduler_perf's SchedulingThroughput takes them.
  const perSecond: number[] = [];
  for (const x of times) { const s = Math.max(0, Math.floor((x - start) / 1000)); perSecond[s] = (perSecond[s] ?? 0) + 1; }
  const samples = Array.from(perSecond, v => v ?? 0);
  const sorted = [...samples].sort((x, y) => x - y);
  admin.close();
  figures.push({
    name: `1. scheduling throughput, ${SCHED_NODES} nodes, ${SCHED_PODS} pods`,
    value: `${f0(rate)} pods/s`, target: '>= 1000 pods/s', reference: 'scheduler_perf floor 680 pods/s',
    met: rate >= 1000 && boundAt.size === SCHED_PODS,
    seconds: 0,
    details: [
      `${SCHED_PODS} pods bound in ${f2(seconds)} s: from the first ungating PATCH sent to the last binding (its Scheduled event's time); ${nodesUsed.size} distinct nodes used, ${unschedulable} Unschedulable reports`,
      `ungating (${SCHED_PODS} PATCHes) took ${f2((ungatedAt - start) / 1000)} s (${f0(SCHED_PODS / ((ungatedAt - start) / 1000))} PATCH/s), ${boundWhileUngating} pods bound meanwhile; after it: ${f0(afterUngate)} pods/s`,
      `pods bound per second: ${samples.join(' ')} (p50 ${percentile(sorted, 0.5)}, max ${sorted[sorted.length - 1]})`,
      `a watch saw the last binding ${f1(watchSeconds)} s after the start (${f0(SCHED_PODS / watchSeconds)} pods/s as a watcher sees it; reopened ${w.restarts()} times after falling behind)`,
      `server ${f0(cpu.server * 100)}% of a core, client ${f0(cpu.client * 100)}% during the window`,
      nodes.line,
      `pods created (gated) in ${f1(createS)} s (${f0(SCHED_PODS / createS)} pods/s, ${CONCURRENCY} clients); server RSS after: ${mib(memoryKiB(e.pid).rss)}, database ${f0(dbSizeMiB(dataDir))} MiB`,
    ],
  });
}

// ---- 2: pod startup latency ----

async function startupFigure(e: Endpoint) {
  const admin = client(e, CONCURRENCY);
  const ns = 'startup';
  await createNamespace(admin.send, ns);
  progress(`2. bringing up ${STARTUP_NODES} simulated nodes`);
  const nodes = await bringUpNodes(e, admin.send, STARTUP_NODES);

  const runningAt = new Map<string, number>();
  const w = await watch(e, podsPath(ns), (line, at) => {
    if (!line.includes('"Running"')) return;
    const event = JSON.parse(line);
    const name = event.object?.metadata?.name;
    if (name && !runningAt.has(name) && isRunningReady(event.object)) runningAt.set(name, at);
  });
  await sleep(300);

  const total = Math.round(STARTUP_RATE * STARTUP_SECONDS);
  progress(`2. creating ${total} pods at ${STARTUP_RATE} pods/s (open loop) for ${STARTUP_SECONDS} s`);
  const sentAt: number[] = [], answeredAt: (number | undefined)[] = [];
  const names: string[] = [];
  let errors = 0, firstError = '';
  const writes: Promise<void>[] = [];
  const meter = cpuMeter(e.pid);
  const start = performance.now(), startWall = Date.now();
  for (let i = 0; i < total; i++) {
    const wait = start + (i * 1000) / STARTUP_RATE - performance.now();
    if (wait > 0) await sleep(wait);
    names[i] = `start-${String(i).padStart(5, '0')}`;
    sentAt[i] = performance.now();
    writes.push(admin.send('POST', podsPath(ns), runPod(ns, names[i])).then(r => {
      if (r.status === 201) answeredAt[i] = performance.now();
      else { errors++; firstError ||= `${r.status} ${r.body.toString().slice(0, 200)}`; }
    }));
  }
  const achieved = total / ((performance.now() - start) / 1000);
  await Promise.all(writes);
  const cpu = meter();
  await waitFor('startup', () => names.every((n, i) => answeredAt[i] === undefined || runningAt.has(n)),
    () => `${runningAt.size} of ${total} Running`, 30, 5).catch(err => progress(`  ${err.message}`));
  w.close();
  // A server-side cross-check: the kubelet's Started event, named `<pod>.<hex Unix nanoseconds>`, is
  // recorded right after the status write that shows the pod Running and Ready.
  const startedAt = new Map<string, number>();
  const events = JSON.parse(ok(await admin.send('GET', `${API}/namespaces/${ns}/events?fieldSelector=reason%3DStarted`), 'list events').body.toString());
  for (const ev of events.items) {
    const m = /^(start-\d+)\.([0-9a-f]+)$/.exec(ev.metadata.name);
    if (m) startedAt.set(m[1], Number(BigInt(`0x${m[2]}`) / 1_000_000n) - startWall + start);
  }
  admin.close();

  const afterCreate: number[] = [], afterSend: number[] = [], started: number[] = [];
  let missing = 0;
  names.forEach((n, i) => {
    const a = answeredAt[i], r = runningAt.get(n);
    if (a === undefined) return;
    if (r === undefined) { missing++; return; }
    afterCreate.push(r - a);
    afterSend.push(r - sentAt[i]);
    const st = startedAt.get(n);
    if (st !== undefined) started.push(st - a);
  });
  for (const x of [afterCreate, afterSend, started]) x.sort((a, b) => a - b);
  const p = (a: number[], q: number) => percentile(a, q);
  const p99 = p(afterCreate, 0.99);
  figures.push({
    name: `2. pod startup, created -> Running+Ready, ${STARTUP_RATE} pods/s for ${STARTUP_SECONDS} s, ${STARTUP_NODES} nodes`,
    value: `p50 ${f0(p(afterCreate, 0.5))} / p99 ${f0(p99)} ms`, target: 'p99 <= 1000 ms', reference: 'upstream SLO p99 <= 5 s',
    met: p99 <= 1000 && missing === 0 && errors === 0,
    seconds: 0,
    details: [
      `created = the POST's 201 arriving; Running = the first watch event with phase Running and Ready=True (condition timestamps have whole seconds only)`,
      `${afterCreate.length} pods: p50 ${f0(p(afterCreate, 0.5))}, p90 ${f0(p(afterCreate, 0.9))}, p99 ${f0(p99)}, max ${f0(afterCreate[afterCreate.length - 1])} ms; ${missing} never seen Running, ${errors} create errors${firstError ? ` (${firstError})` : ''}`,
      `from the POST sent instead: p50 ${f0(p(afterSend, 0.5))} / p99 ${f0(p(afterSend, 0.99))} ms; ${f1(achieved)} pods/s sent`,
      `server side, created -> the kubelet's Started event (recorded just after the Running+Ready status): p50 ${f0(p(started, 0.5))} / p99 ${f0(p(started, 0.99))} ms over ${started.length} pods`,
      `server ${f0(cpu.server * 100)}% of a core, client ${f0(cpu.client * 100)}% while creating`,
      nodes.line,
    ],
  });
}

// ---- 3: heartbeats ----

async function heartbeatFigure(e: Endpoint) {
  const admin = client(e, CONCURRENCY);
  progress(`3. bringing up ${HB_NODES} simulated nodes`);
  const nodes = await bringUpNodes(e, admin.send, HB_NODES);
  progress(`3. settling for ${HB_SETTLE_SECONDS} s`);
  const settle = cpuMeter(e.pid);
  await sleep(HB_SETTLE_SECONDS * 1000);
  const settleCpu = settle();

  let window: [number, number] = [Infinity, Infinity];
  const inWindow = (at: number) => at >= window[0] && at <= window[1];
  let renewals = 0, nodeUpdates = 0;
  const renewed = new Set<string>();
  const lastRenewal = new Map<string, number>();
  const intervals: number[] = [];
  const leases = await watch(e, '/clusters/default/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', (line, at) => {
    if (!line.startsWith('{"type":"MODIFIED"')) return;
    const name = /"name":"([^"]+)"/.exec(line)?.[1];
    if (!name) return;
    const before = lastRenewal.get(name);
    lastRenewal.set(name, at);
    if (!inWindow(at)) return;
    renewals++;
    renewed.add(name);
    if (before !== undefined) intervals.push(at - before);
  });
  const nodeWatch = await watch(e, `${API}/nodes`, (line, at) => {
    if (inWindow(at) && line.startsWith('{"type":"MODIFIED"')) nodeUpdates++;
  });
  await sleep(500);

  progress(`3. measuring server CPU for ${HB_SECONDS} s`);
  const samples: number[] = [];
  const meter = cpuMeter(e.pid);
  window = [performance.now(), Infinity];
  for (let s = 0; s < HB_SECONDS; s += 10) {
    const m = cpuMeter(e.pid);
    await sleep(Math.min(10, HB_SECONDS - s) * 1000);
    samples.push(m().server * 100);
    progress(`  ${s + 10} s: server ${f0(samples[samples.length - 1])}% of a core over the last 10 s, ${renewals} lease renewals so far`);
  }
  window = [window[0], performance.now()];
  const cpu = meter();
  await sleep(200);
  leases.close();
  nodeWatch.close();
  const mem = memoryKiB(e.pid);
  admin.close();
  const pct = cpu.server * 100;
  const perTen = renewals / (cpu.seconds / 10);
  figures.push({
    name: `3. ${HB_NODES} nodes heartbeating every 10 s, server CPU over ${HB_SECONDS} s`,
    value: `${f1(pct)}% of a core`, target: '< 30%', reference: `${renewals} lease renewals in ${f0(cpu.seconds)} s (${f0(perTen)} per 10 s; ~${HB_NODES} expected)`,
    met: pct < 30 && perTen >= HB_NODES * 0.9,
    seconds: 0,
    details: [
      `lease renewals (MODIFIED events on kube-node-lease) in ${f1(cpu.seconds)} s: ${renewals}, ${renewed.size} distinct leases; node updates: ${nodeUpdates}`,
      `time between two renewals of a lease (as the watch saw them): p50 ${f2(percentile(intervals.sort((x, y) => x - y), 0.5) / 1000)} s, p1 ${f2(percentile(intervals, 0.01) / 1000)} s, p99 ${f2(percentile(intervals, 0.99) / 1000)} s (renewals come in rounds: a window holds 6 or 7 of them)`,
      `per 10 s: ${samples.map(f0).join(' / ')} % of a core; client ${f0(cpu.client * 100)}% (two watches open, counted in the server's CPU too)`,
      `settling before the window (${HB_SETTLE_SECONDS} s after all Ready): server ${f0(settleCpu.server * 100)}% of a core; server RSS ${mib(mem.rss)}`,
      `node status posts (every 5 min per node) fall in the window only if it starts >= 5 min after the nodes registered (BENCH_HEARTBEAT_SETTLE_SECONDS)`,
      nodes.line,
    ],
  });
}

// ---- 4: memory holding 100,000 pods ----

async function holdFigure(e: Endpoint, dataDir: string) {
  const admin = client(e, CONCURRENCY);
  const ns = 'hold';
  await createNamespace(admin.send, ns);
  progress(`4. bringing up ${HOLD_NODES} simulated nodes`);
  const nodes = await bringUpNodes(e, admin.send, HOLD_NODES);

  // Progress from the kubelet's Started events (a watch with a field selector: one small event per pod,
  // where a watch of the pods themselves would carry ~6 full pods per pod and fall far behind). The kubelet
  // writes a pod's Started event right after the status that shows it Running and Ready, and names it
  // `<pod>.<hex Unix nanoseconds>`: the time it was recorded, whenever the watch delivers it.
  const startedAt = new Map<string, number>();
  const w = await watch(e, `${API}/namespaces/${ns}/events?fieldSelector=reason%3DStarted`, line => {
    const m = /"name":"(hold-\d+)\.([0-9a-f]+)"/.exec(line);
    if (m && !startedAt.has(m[1])) startedAt.set(m[1], Number(BigInt(`0x${m[2]}`) / 1_000_000n));
  });
  await sleep(300);

  progress(`4. creating ${HOLD_PODS} pods (${CONCURRENCY} clients); the scheduler binds them, the kubelet runs them`);
  const meter = cpuMeter(e.pid);
  const start = performance.now(), startWall = Date.now();
  let created = 0;
  const elapsed = () => (performance.now() - start) / 1000;
  const report = setInterval(() => {
    const m = memoryKiB(e.pid);
    progress(`  ${f0(elapsed())} s: ${created} created, ${startedAt.size} Started; server RSS ${mib(m.rss)}, database ${f0(dbSizeMiB(dataDir))} MiB`);
  }, 15_000);
  let createdS = 0;
  try {
    await runJobs(e, HOLD_PODS, CONCURRENCY, async (send, i) => {
      const name = `hold-${String(i).padStart(6, '0')}`;
      ok(await send('POST', podsPath(ns), runPod(ns, name)), `create ${name}`);
      created++;
    });
    createdS = elapsed();
    progress(`  all ${HOLD_PODS} created after ${f0(createdS)} s (${f0(HOLD_PODS / createdS)} pods/s); ${startedAt.size} Started`);
    await waitFor('pods Started', () => startedAt.size >= HOLD_PODS, () => `${startedAt.size} of ${HOLD_PODS} Started after ${f0(elapsed())} s`, 1800, 15);
  } finally {
    clearInterval(report);
  }
  const seenS = elapsed();
  const seedS = (Math.max(...startedAt.values()) - startWall) / 1000;
  const seedCpu = meter();
  w.close();
  progress(`  all Started ${f0(seedS)} s after the first create (the watch delivered the last ${f0(seenS)} s after); waiting for the server to go idle`);

  // Held: two 10-s windows in a row under 20% of a core (what is left is heartbeats; the server gives
  // memory back once a burst is over, src/server/memory.ts), or 180 s at most.
  const idleStart = performance.now();
  let idleCpu = NaN;
  for (let quietWindows = 0; quietWindows < 2;) {
    const m = cpuMeter(e.pid);
    await sleep(10_000);
    idleCpu = m().server * 100;
    progress(`  server ${f0(idleCpu)}% of a core over 10 s, RSS ${mib(memoryKiB(e.pid).rss)}`);
    quietWindows = idleCpu < 20 ? quietWindows + 1 : 0;
    if (performance.now() - idleStart > 180_000) break;
  }
  const mem = memoryKiB(e.pid);
  const heap = await heapMiB(admin.send);
  const idleS = (performance.now() - idleStart) / 1000;
  const db = dbSizeMiB(dataDir);

  // After the reading: every pod really is Running and Ready (a paged list, 1,000 at a time).
  progress('  checking every pod by a paged list');
  let listed = 0, runningReady = 0;
  const perNode = new Map<string, number>();
  for (let token = ''; ;) {
    const page = JSON.parse(ok(await admin.send('GET', `${podsPath(ns)}?limit=1000${token ? `&continue=${encodeURIComponent(token)}` : ''}`), 'list pods').body.toString());
    for (const p of page.items) {
      listed++;
      if (isRunningReady(p)) runningReady++;
      perNode.set(p.spec.nodeName, (perNode.get(p.spec.nodeName) ?? 0) + 1);
    }
    token = page.metadata?.continue ?? '';
    if (!token) break;
  }
  admin.close();
  const counts = [...perNode.values()];
  figures.push({
    name: `4. ${HOLD_PODS} Running pods on ${HOLD_NODES} nodes, server RSS when idle`,
    value: `${mib(mem.rss)}`, target: '<= 1024 MiB', reference: `peak (VmHWM) ${mib(mem.hwm)}`,
    met: mem.rss <= 1024 * 1024 && runningReady === HOLD_PODS,
    seconds: 0,
    details: [
      `seeding: ${HOLD_PODS} pods created in ${f0(createdS)} s (${f0(HOLD_PODS / createdS)} pods/s, ${CONCURRENCY} clients); the last Started ${f0(seedS)} s after the first create (${f0(HOLD_PODS / seedS)} pods/s end to end)`,
      `during seeding: server ${f0(seedCpu.server * 100)}% of a core, client ${f0(seedCpu.client * 100)}%; the Started watch was reopened ${w.restarts()} times`,
      `RSS read ${f0(idleS)} s after the last Started event arrived, the server at ${f0(idleCpu)}% of a core over the last 10 s; JavaScript heap then: ${heap}; database ${f0(db)} MiB on disk`,
      `checked afterwards by a paged list: ${runningReady} of ${listed} pods Running and Ready, on ${perNode.size} nodes (${Math.min(...counts)} to ${Math.max(...counts)} per node)`,
      nodes.line,
    ],
  });
}

// ---- the server ----

/** `npm start`'s build as a child process on a free port and a fresh data directory; its errors are shown as they come. */
async function startServer() {
  const s = await startSkiff();
  const shown = setInterval(() => {
    // Errors the reconcilers log are worth seeing while the bench runs.
    for (const line of s.logs.splice(0)) if (/"level":"error"/.test(line)) progress(`server: ${line.slice(0, 400)}`);
  }, 1000);
  return { ...s, async stop() { clearInterval(shown); await s.stop(); } };
}

// ---- the run ----

async function runFigure(n: number, run: (e: Endpoint, dataDir: string) => Promise<void>) {
  if (!FIGURES.has(n)) return;
  const t = performance.now();
  const server = await startServer();
  try {
    await run(server.endpoint, server.dataDir);
  } catch (err) {
    failures.push(`figure ${n}: ${(err as Error).stack ?? err}`);
    progress(`figure ${n} failed: ${(err as Error).message}`);
  } finally {
    await server.stop();
  }
  const seconds = (performance.now() - t) / 1000;
  const f = figures.find(x => x.name.startsWith(`${n}.`));
  if (f) f.seconds = seconds;
  progress(`figure ${n} took ${f0(seconds)} s`);
}

function report() {
  const out: string[] = ['', `Skiff cluster benchmarks: figures ${[...FIGURES].sort().join(',')}; ${cpus().length} cores, load average ${loadavg().map(f2).join(' ')}`, ''];
  if (figures.length) {
    const w = [Math.max(...figures.map(f => f.name.length)), Math.max(...figures.map(f => f.value.length)), Math.max(...figures.map(f => f.target.length))];
    out.push(`${'figure'.padEnd(w[0])}  ${'skiff'.padEnd(w[1])}  ${'target'.padEnd(w[2])}  result  reference`);
    for (const f of figures) {
      out.push(`${f.name.padEnd(w[0])}  ${f.value.padEnd(w[1])}  ${f.target.padEnd(w[2])}  ${(f.met ? 'MET' : 'MISSED').padEnd(6)}  ${f.reference}`);
      for (const d of f.details) out.push(`    ${d}`);
      out.push(`    (figure runtime ${f0(f.seconds)} s, server start and stop included)`);
    }
  }
  for (const x of failures) out.push(`FAILED ${x}`);
  out.push('', `bench:cluster runtime: ${f1(elapsedSeconds())} s`, '');
  process.stdout.write(out.join('\n'));
}

async function main() {
  progress(`${cpus().length} cores, load average ${loadavg().map(f2).join(' ')}; figures ${[...FIGURES].sort().join(',')}`);
  await runFigure(1, schedulingFigure);
  await runFigure(2, startupFigure);
  await runFigure(3, heartbeatFigure);
  await runFigure(4, holdFigure);
  report();
  if (failures.length) process.exit(1);
}

main().catch(e => { console.error(e); report(); process.exit(1); });
