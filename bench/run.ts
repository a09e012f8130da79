// `npm run bench`: Skiff against floors measured in the same run (the machine is shared and noisy, so
// only ratios mean something). Both servers are child processes; this process is the client.
// Knobs (environment): BENCH_SECONDS, BENCH_WARMUP_SECONDS, BENCH_ROUNDS, BENCH_PODS, BENCH_LIST_RUNS,
// BENCH_WATCH_RATE, BENCH_WATCH_SECONDS, BENCH_SERVER_NODE_ARGS (bench/servers.ts).
import { cpus, loadavg } from 'node:os';
import { buildSkiff, startFloor, startSkiff, type Started } from './servers.ts';
import { elapsedSeconds, envNumber, f0, f1, f2, progress, sleep } from './common.ts';
import { client, closedLoop, median, ok, percentile, runJobs, stream, type Endpoint, type LoadResult, type Reply, type Send } from './load.ts';
import { configMap, pod, runningPodStatus } from './objects.ts';

// The server runs as `npm start` runs it: from a fresh build.
buildSkiff();

const CLIENTS = 50;
const SECONDS = envNumber('BENCH_SECONDS', 5);
const WARMUP_SECONDS = envNumber('BENCH_WARMUP_SECONDS', 1);
const ROUNDS = envNumber('BENCH_ROUNDS', 3);
const PODS = envNumber('BENCH_PODS', 10_000);
const LIST_RUNS = envNumber('BENCH_LIST_RUNS', 7);
const WATCH_RATE = envNumber('BENCH_WATCH_RATE', 100);
const WATCH_SECONDS = envNumber('BENCH_WATCH_SECONDS', 5);
const WATCH_OBJECTS = 20;

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io';
const path = (ns: string, resource: string) => `/clusters/default/api/v1/namespaces/${ns}/${resource}`;

interface Figure { name: string; value: string; floor: string; ratio: number; target: string; met: boolean; details: string[] }
const figures: Figure[] = [];


async function main() {
  progress(`${cpus().length} cores, load average ${loadavg().map(f2).join(' ')}; starting servers`);
  const skiffServer = await startSkiff();
  const servers: Started[] = [skiffServer];
  try {
    const skiff = skiffServer.endpoint;
    const floorServer = await startFloor(skiffServer.dataDir, skiff.ca, skiff.token);
    servers.push(floorServer);
    const floor = floorServer.endpoint;
    const admin = client(skiff, 4);
    for (const ns of ['bench', 'bench-pods', 'bench-watch']) {
      ok(await admin.send('POST', '/clusters/default/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }), `namespace ${ns}`);
    }
    admin.close();

    await createFigure(floor, skiff);
    await getFigure(floor, skiff);
    await listFigure(floor, skiff);
    await watchFigure(floor, skiff);
  } finally {
    await Promise.all(servers.map(s => s.stop()));
  }
  report();
}

// ---- 1 and 2: throughput under 50 closed-loop clients ----

type Next = (send: Send, worker: number, i: number) => Promise<Reply>;

/**
 * Rounds alternate which server goes first. Each side's figure is its median round; the ratio is the
 * median of the per-round ratios (a round's two runs are seconds apart, so they share the machine's mood).
 */
async function throughput(label: string, floor: Endpoint, skiff: Endpoint, next: (round: number) => Next) {
  const rounds: Record<string, LoadResult[]> = { floor: [], skiff: [] };
  for (let r = 0; r < ROUNDS; r++) {
    for (const e of r % 2 ? [skiff, floor] : [floor, skiff]) {
      const result = await closedLoop(e, CLIENTS, WARMUP_SECONDS * 1000, SECONDS * 1000, next(r));
      rounds[e.name].push(result);
      progress(`${label} ${e.name} round ${r + 1}: ${f0(result.rps)} req/s, p50 ${f1(result.p50)} ms, p99 ${f1(result.p99)} ms, `
        + `server ${f2(result.serverCores)} cores, client ${f2(result.clientCores)} cores${result.errors ? `, ${result.errors} errors: ${result.firstError}` : ''}`);
    }
  }
  const pick = (results: LoadResult[]) => results.find(x => x.rps === median(results.map(y => y.rps)))!;
  const ratios = rounds.skiff.map((x, r) => x.rps / rounds.floor[r].rps);
  return { floor: pick(rounds.floor), skiff: pick(rounds.skiff), rounds, ratios, ratio: median(ratios) };
}

function throughputFigure(name: string, target: number, t: Awaited<ReturnType<typeof throughput>>) {
  const { ratio } = t;
  const line = (who: string, x: LoadResult, all: LoadResult[]) =>
    `${who}: p50 ${f1(x.p50)} ms, p99 ${f1(x.p99)} ms, server ${f2(x.serverCores)} cores, client ${f2(x.clientCores)} cores, `
    + `errors ${x.errors}; rounds ${all.map(y => f0(y.rps)).join(' / ')} req/s`;
  figures.push({
    name, value: `${f0(t.skiff.rps)} req/s`, floor: `${f0(t.floor.rps)} req/s`, ratio, target: `ratio >= ${target}`,
    met: ratio >= target && t.rounds.skiff.every(x => x.errors === 0),
    details: [line('skiff', t.skiff, t.rounds.skiff), line('floor', t.floor, t.rounds.floor), `ratio per round: ${t.ratios.map(f2).join(' / ')} (median taken)`],
  });
}

async function createFigure(floor: Endpoint, skiff: Endpoint) {
  const t = await throughput('create', floor, skiff, round => (send, w, i) =>
    send('POST', path('bench', 'configmaps'), configMap('bench', `cm-${round}-${w}-${i}`, i)));
  throughputFigure(`1. create ConfigMap, ${CLIENTS} clients`, 1.0, t);
}

async function getFigure(floor: Endpoint, skiff: Endpoint) {
  for (const e of [floor, skiff]) {
    const c = client(e, 1);
    ok(await c.send('POST', path('bench', 'configmaps'), configMap('bench', 'bench-get', 0)), `${e.name}: create bench-get`);
    c.close();
  }
  const t = await throughput('get', floor, skiff, () => send => send('GET', `${path('bench', 'configmaps')}/bench-get`));
  throughputFigure(`2. get one ConfigMap, ${CLIENTS} clients`, 0.8, t);
}

// ---- 3: listing 10,000 pods ----

async function listFigure(floor: Endpoint, skiff: Endpoint) {
  const pods = path('bench-pods', 'pods');
  progress(`seeding ${PODS} pods (create + status patch each, ${CLIENTS} clients)`);
  let t = performance.now();
  await runJobs(skiff, PODS, CLIENTS, async (send, i) => {
    const name = `web-${String(i).padStart(5, '0')}`;
    ok(await send('POST', pods, pod('bench-pods', name, i)), `create pod ${name}`);
    ok(await send('PATCH', `${pods}/${name}/status`, runningPodStatus(name, i, new Date()), { 'content-type': 'application/merge-patch+json' }), `status of ${name}`);
  });
  const seedSeconds = (performance.now() - t) / 1000;
  progress(`seeded in ${f1(seedSeconds)} s (${f0(PODS / seedSeconds)} pods/s, ${f0(2 * PODS / seedSeconds)} req/s)`);

  // The floor stores the very objects Skiff holds (as served), so rows are the same size.
  const c = client(skiff, 1);
  const items: any[] = JSON.parse(ok(await c.send('GET', pods), 'list pods').body.toString()).items;
  c.close();
  t = performance.now();
  await runJobs(floor, items.length, CLIENTS, async (send, i) => { ok(await send('POST', pods, { apiVersion: 'v1', kind: 'Pod', ...items[i] }), 'floor pod'); });
  progress(`floor seeded in ${f1((performance.now() - t) / 1000)} s`);

  const variants = [
    { key: 'paged', label: `Table, limit=500 + continue`, accept: TABLE, limit: 500 },
    { key: 'single', label: 'Table, one request', accept: TABLE, limit: 0 },
    { key: 'json', label: 'plain JSON, one request', accept: 'application/json', limit: 0 },
  ];
  const times: Record<string, number[]> = {};
  const sizes: Record<string, { bytes: number; requests: number }> = {};
  // One warm-up run, then LIST_RUNS measured runs; floor and Skiff alternate run by run.
  for (let run = 0; run <= LIST_RUNS; run++) {
    for (const e of [floor, skiff]) {
      const lc = client(e, 1);
      for (const v of variants) {
        if (e === floor && v.key === 'json') continue; // the floor serves one format
        const r = await fullList(lc.send, pods, v.accept, v.limit);
        if (r.items !== PODS) throw new Error(`${e.name} ${v.label}: listed ${r.items} of ${PODS}`);
        const key = `${e.name}/${v.key}`;
        sizes[key] = { bytes: r.bytes, requests: r.requests };
        if (run > 0) (times[key] ??= []).push(r.ms);
      }
      lc.close();
    }
    if (run > 0) progress(`list run ${run}: ${Object.entries(times).map(([k, v]) => `${k} ${f0(v[v.length - 1])} ms`).join(', ')}`);
  }
  const p50 = (key: string) => median(times[key]);
  const size = (key: string) => `${f1(sizes[key].bytes / 1e6)} MB in ${sizes[key].requests} requests`;
  for (const v of variants) {
    const s = p50(`skiff/${v.key}`);
    const fl = v.key === 'json' ? p50('floor/single') : p50(`floor/${v.key}`);
    const floorKey = v.key === 'json' ? 'floor/single' : `floor/${v.key}`;
    figures.push({
      name: `3. list ${PODS} pods, ${v.label}, p50 of ${LIST_RUNS}${v.key === 'json' ? ' (info)' : ''}`,
      value: `p50 ${f0(s)} ms`, floor: `p50 ${f0(fl)} ms`, ratio: s / fl,
      target: v.key === 'json' ? '-' : 'p50 <= 300 ms', met: v.key === 'json' ? true : s <= 300,
      details: [
        `skiff runs (ms): ${times[`skiff/${v.key}`].map(f0).join(' ')}; ${size(`skiff/${v.key}`)}`,
        `floor runs (ms): ${times[floorKey].map(f0).join(' ')}; ${size(floorKey)} (full objects as stored, no Table)`,
        ...(v.key === 'paged' ? [`seeding: ${PODS} pods in ${f1(seedSeconds)} s (${f0(PODS / seedSeconds)} pods/s; POST + PATCH status each, ${CLIENTS} clients)`] : []),
      ],
    });
  }
}

/** Lists everything, following `continue`; time is to the last byte of each response, client parsing excluded. */
async function fullList(send: Send, base: string, accept: string, limit: number) {
  let ms = 0, items = 0, bytes = 0, requests = 0, token = '';
  do {
    const q = new URLSearchParams();
    if (limit) q.set('limit', String(limit));
    if (token) q.set('continue', token);
    const t = performance.now();
    const r = ok(await send('GET', q.size ? `${base}?${q}` : base, undefined, { accept }), 'list');
    ms += performance.now() - t;
    bytes += r.body.length;
    requests++;
    const page = JSON.parse(r.body.toString());
    items += (page.rows ?? page.items).length;
    token = page.metadata?.continue ?? '';
  } while (token);
  return { ms, items, bytes, requests };
}

// ---- 4: watch event delay ----

async function watchDelays(e: Endpoint) {
  const base = path('bench-watch', 'configmaps');
  const c = client(e, CLIENTS);
  // Objects to update exist before the watch opens, so no update can overtake its object's create.
  const updated = (k: number) => `w-${e.name}-u${k}`;
  for (let k = 0; k < WATCH_OBJECTS; k++) ok(await c.send('POST', base, configMap('bench-watch', updated(k), -1)), 'watch object');
  const arrived = new Map<number, number>();
  const watch = await stream(e, `${base}?watch=1`, (line, at) => {
    const event = JSON.parse(line);
    const seq = Number(event.object?.data?.seq);
    if (event.type !== 'BOOKMARK' && Number.isInteger(seq) && seq >= 0 && !arrived.has(seq)) arrived.set(seq, at);
  });
  await sleep(300); // the watch is following before the first write
  const total = WATCH_RATE * WATCH_SECONDS;
  const sentAt: number[] = [], answeredAt: (number | undefined)[] = [];
  let errors = 0, firstError = '';
  const writes: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    // Open loop: each write leaves on its schedule whether or not earlier ones were answered.
    // Even writes create a new object, odd ones replace an existing one.
    const wait = start + (i * 1000) / WATCH_RATE - performance.now();
    if (wait > 0) await sleep(wait);
    const name = i % 2 ? updated((i >> 1) % WATCH_OBJECTS) : `w-${e.name}-c${i}`;
    const body = configMap('bench-watch', name, i);
    sentAt[i] = performance.now();
    const sent = i % 2 ? c.send('PUT', `${base}/${name}`, body) : c.send('POST', base, body);
    writes.push(sent.then(r => {
      if (r.status >= 200 && r.status < 300) answeredAt[i] = performance.now();
      else { errors++; firstError ||= `${r.status} ${r.body.toString().slice(0, 200)}`; }
    }));
  }
  const achievedRate = total / ((performance.now() - start) / 1000);
  await Promise.all(writes);
  await sleep(1000); // stragglers
  watch.close();
  c.close();
  const vsResponse: number[] = [], vsSend: number[] = [], writeLatency: number[] = [];
  let missing = 0;
  for (let i = 0; i < total; i++) {
    const answered = answeredAt[i];
    if (answered === undefined) continue;
    writeLatency.push(answered - sentAt[i]);
    const at = arrived.get(i);
    if (at === undefined) { missing++; continue; }
    vsResponse.push(at - answered);
    vsSend.push(at - sentAt[i]);
  }
  for (const a of [vsResponse, vsSend, writeLatency]) a.sort((x, y) => x - y);
  return { vsResponse, vsSend, writeLatency, missing, errors, firstError, achievedRate };
}

async function watchFigure(floor: Endpoint, skiff: Endpoint) {
  const results: Record<string, Awaited<ReturnType<typeof watchDelays>>> = {};
  for (const e of [floor, skiff]) {
    progress(`watch ${e.name}: ${WATCH_RATE} writes/s for ${WATCH_SECONDS} s`);
    results[e.name] = await watchDelays(e);
  }
  const s = results.skiff, fl = results.floor;
  const p = (a: number[], q: number) => f1(percentile(a, q));
  const line = (who: string, r: typeof s) =>
    `${who}: after response p50 ${p(r.vsResponse, 0.5)} / p99 ${p(r.vsResponse, 0.99)} ms; after send p50 ${p(r.vsSend, 0.5)} / p99 ${p(r.vsSend, 0.99)} ms; `
    + `write latency p50 ${p(r.writeLatency, 0.5)} / p99 ${p(r.writeLatency, 0.99)} ms; ${r.vsResponse.length} events, ${r.missing} missing, `
    + `${r.errors} write errors${r.firstError ? ` (${r.firstError})` : ''}; ${f0(r.achievedRate)} writes/s sent`;
  const p99 = percentile(s.vsResponse, 0.99);
  figures.push({
    name: `4. watch event delay after the write's response, ${WATCH_RATE} creates+updates/s`,
    value: `p50 ${p(s.vsResponse, 0.5)} / p99 ${f1(p99)} ms`,
    floor: `p50 ${p(fl.vsResponse, 0.5)} / p99 ${p(fl.vsResponse, 0.99)} ms`,
    ratio: p99 / percentile(fl.vsResponse, 0.99),
    target: 'p99 <= 50 ms', met: p99 <= 50 && s.missing === 0 && s.errors === 0,
    details: [line('skiff', s), line('floor', fl), 'delay = event line arrival - write response arrival (negative: the event came first); ratio is of p99s'],
  });
}

// ---- the report ----

function report() {
  const out: string[] = ['', `Skiff benchmarks: ${CLIENTS} clients, ${SECONDS} s windows after ${WARMUP_SECONDS} s warm-up, ${ROUNDS} rounds (median), ${cpus().length} cores`, ''];
  const widths = [Math.max(...figures.map(f => f.name.length)), Math.max(...figures.map(f => f.value.length)), Math.max(...figures.map(f => f.floor.length))];
  out.push(`${'figure'.padEnd(widths[0])}  ${'skiff'.padEnd(widths[1])}  ${'floor'.padEnd(widths[2])}  ratio  target`);
  for (const f of figures) {
    out.push(`${f.name.padEnd(widths[0])}  ${f.value.padEnd(widths[1])}  ${f.floor.padEnd(widths[2])}  ${f2(f.ratio).padStart(5)}  ${f.target}${f.target === '-' ? '' : f.met ? '  MET' : '  MISSED'}`);
    for (const d of f.details) out.push(`    ${d}`);
  }
  out.push('', `bench runtime: ${f1(elapsedSeconds())} s`, '');
  process.stdout.write(out.join('\n'));
}

// A failure still prints the figures measured before it.
main().catch(e => { console.error(e); report(); process.exit(1); });
